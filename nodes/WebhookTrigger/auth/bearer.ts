import { safeEqual } from './compare';
import { credentialSecret, readHeader } from './request';
import { accept, notConfigured, reject, type SchemeVerifier } from './verifier';

export interface BearerCredentials {
	token: string;
}

const REALM = 'Bearer realm="webhook"';
const REDACT = { headers: ['authorization'], query: [] };

/** The token after a case-insensitive `Bearer` and whitespace; parsed by hand to avoid regex backtracking. */
function bearerToken(value: string): string | undefined {
	if (value.length < 8 || value.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
	if (value[6] !== ' ' && value[6] !== '\t') return undefined;
	const token = value.slice(7).trim();
	return token === '' ? undefined : token;
}

export const bearerVerifier: SchemeVerifier<BearerCredentials> = {
	scheme: 'bearer',
	credentialType: 'webhookBearerAuthApi',
	displayName: 'Bearer Token',
	description: 'Authorization: Bearer &lt;token&gt;',
	requirements: { secrets: [{ field: 'token', label: 'Token' }] },
	verify(request, credentials) {
		const token = credentialSecret(credentials, 'token');
		if (token === '') return notConfigured('Bearer token');
		const header = readHeader(request, 'authorization');
		// RFC 6750 §3.1: a malformed request is invalid_request / 400.
		if (header.kind === 'malformed') {
			return reject('malformed_token', 'Send exactly one Authorization header', {
				status: 400,
				headers: { 'WWW-Authenticate': `${REALM}, error="invalid_request"` },
			});
		}
		// No header, or another scheme (Basic…): RFC 6750 says challenge without an error code.
		const presented = header.kind === 'present' ? bearerToken(header.value) : undefined;
		if (presented === undefined) {
			return reject('missing_token', 'Send the token as Authorization: Bearer <token>', {
				headers: { 'WWW-Authenticate': REALM },
			});
		}
		if (!safeEqual(presented, token)) {
			return reject('invalid_token', 'The bearer token is not valid', {
				headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
			});
		}
		return accept('bearer', {}, REDACT);
	},
	redactions: () => ({ headers: [...REDACT.headers], query: [] }),
	secretFields: REDACT,
	tokenOnly: true,
};
