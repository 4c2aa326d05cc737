import { bearerVerifier } from '../../../nodes/WebhookTrigger/auth/bearer';
import type {
	Rejected,
	VerificationRequest,
	VerificationResult,
} from '../../../nodes/WebhookTrigger/auth/types';

const TOKEN = 'tok_9f8e7d6c5b4a-bearer-SECRET';
const creds = { token: TOKEN };

function req(headers: VerificationRequest['headers']): VerificationRequest {
	return { method: 'POST', headers, query: {}, rawBody: Buffer.from('{}'), body: {}, now: 0 };
}

function expectRejected(result: VerificationResult, status: number, code: string): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status, code });
	expect(JSON.stringify(result)).not.toContain(TOKEN);
	return result as Rejected;
}

describe('bearer verifier', () => {
	it('accepts the right token and redacts the Authorization header', () => {
		expect(bearerVerifier.verify(req({ authorization: `Bearer ${TOKEN}` }), creds)).toEqual({
			kind: 'accepted',
			scheme: 'bearer',
			details: {},
			redact: { headers: ['authorization'], query: [] },
		});
		expect(bearerVerifier.credentialType).toBe('webhookBearerAuthApi');
		expect(bearerVerifier.redactions(creds)).toEqual({ headers: ['authorization'], query: [] });
	});

	it('treats the scheme word case-insensitively and allows a tab or several spaces', () => {
		for (const value of [`bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer\t${TOKEN}`, `Bearer    ${TOKEN}`]) {
			expect(bearerVerifier.verify(req({ authorization: value }), creds).kind).toBe('accepted');
		}
	});

	it('finds the header when the caller kept its original casing', () => {
		expect(bearerVerifier.verify(req({ Authorization: `Bearer ${TOKEN}` }), creds).kind).toBe('accepted');
	});

	it('rejects a wrong token with 401 invalid_token and the RFC 6750 error attribute', () => {
		const result = expectRejected(
			bearerVerifier.verify(req({ authorization: 'Bearer not-the-token' }), creds),
			401,
			'invalid_token',
		);
		expect(result.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="webhook", error="invalid_token"' });
	});

	it('rejects tokens that are a prefix, an extension or a case variant of the right one', () => {
		for (const token of [TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toLowerCase()]) {
			expectRejected(bearerVerifier.verify(req({ authorization: `Bearer ${token}` }), creds), 401, 'invalid_token');
		}
	});

	it('rejects a missing header with 401 missing_token and a bare challenge', () => {
		const result = expectRejected(bearerVerifier.verify(req({}), creds), 401, 'missing_token');
		expect(result.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="webhook"' });
	});

	it('treats another scheme, a bare "Bearer" or a glued token as missing', () => {
		for (const value of [`Basic ${TOKEN}`, 'Bearer', 'Bearer   ', `Bearer${TOKEN}`, TOKEN, '']) {
			expectRejected(bearerVerifier.verify(req({ authorization: value }), creds), 401, 'missing_token');
		}
	});

	it('rejects a repeated header as malformed (400 invalid_request)', () => {
		const result = expectRejected(
			bearerVerifier.verify(req({ authorization: [`Bearer ${TOKEN}`, 'Bearer x'] }), creds),
			400,
			'malformed_token',
		);
		expect(result.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="webhook", error="invalid_request"' });
	});

	it('never accepts when the credential token is blank or missing', () => {
		for (const bad of [{ token: '' }, {}, { token: 42 }, null, undefined]) {
			expectRejected(
				bearerVerifier.verify(req({ authorization: 'Bearer ' }), bad as typeof creds),
				401,
				'not_configured',
			);
			expectRejected(
				bearerVerifier.verify(req({ authorization: 'Bearer x' }), bad as typeof creds),
				401,
				'not_configured',
			);
		}
	});

	it('rejects a huge token without throwing', () => {
		expectRejected(
			bearerVerifier.verify(req({ authorization: `Bearer ${'a'.repeat(1_000_000)}` }), creds),
			401,
			'invalid_token',
		);
	});
});
