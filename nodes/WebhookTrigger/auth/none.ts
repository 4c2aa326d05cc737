import { accept, noRedactions, type SchemeVerifier } from './verifier';

/** Public endpoint: nothing to check or hide. Credentials are ignored. */
export type NoCredentials = Record<string, unknown>;

export const noneVerifier: SchemeVerifier<NoCredentials> = {
	scheme: 'none',
	verify: () => accept('none'),
	redactions: noRedactions,
	secretFields: noRedactions(),
};
