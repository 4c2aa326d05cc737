import { accept, noRedactions, type SchemeVerifier } from './verifier';

/** Public endpoint: nothing to check or hide. Credentials are ignored. */
export type NoCredentials = Record<string, unknown>;

export const noneVerifier: SchemeVerifier<NoCredentials> = {
	scheme: 'none',
	displayName: 'None (Public)',
	description: 'Accept any call; pair it with an IP allowlist',
	verify: () => accept('none'),
	redactions: noRedactions,
	secretFields: noRedactions(),
	tokenOnly: true,
};
