import { queryVerifier } from '../../../nodes/WebhookTrigger/auth/query';
import type {
	Rejected,
	VerificationRequest,
	VerificationResult,
} from '../../../nodes/WebhookTrigger/auth/types';

const TOKEN = 'q-SECRET-77aa19';
const creds = { parameterName: 'token', token: TOKEN };

function req(query: Record<string, unknown>): VerificationRequest {
	return { method: 'POST', headers: {}, query, rawBody: Buffer.alloc(0), body: undefined, now: 0 };
}

function expectRejected(result: VerificationResult, status: number, code: string): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status, code });
	expect(JSON.stringify(result)).not.toContain(TOKEN);
	return result as Rejected;
}

describe('query verifier', () => {
	it('accepts the right token and redacts the parameter', () => {
		expect(queryVerifier.verify(req({ token: TOKEN, other: '1' }), creds)).toEqual({
			kind: 'accepted',
			scheme: 'query',
			details: { parameterName: 'token' },
			redact: { headers: [], query: ['token'] },
		});
		expect(queryVerifier.redactions(creds)).toEqual({ headers: [], query: ['token'] });
		expect(queryVerifier.credentialType).toBe('webhookQueryAuthApi');
	});

	it('rejects a wrong or wrong-length token with 401 invalid_token', () => {
		for (const value of ['nope', TOKEN.slice(0, -1), `${TOKEN}0`]) {
			expectRejected(queryVerifier.verify(req({ token: value }), creds), 401, 'invalid_token');
		}
	});

	it('rejects a missing or empty parameter with 401 missing_token; names are case-sensitive', () => {
		expectRejected(queryVerifier.verify(req({}), creds), 401, 'missing_token');
		expectRejected(queryVerifier.verify(req({ token: '' }), creds), 401, 'missing_token');
		expectRejected(queryVerifier.verify(req({ Token: TOKEN }), creds), 401, 'missing_token');
	});

	it('rejects a repeated (array) or nested (object) parameter as malformed', () => {
		expectRejected(queryVerifier.verify(req({ token: [TOKEN, TOKEN] }), creds), 401, 'malformed_token');
		expectRejected(queryVerifier.verify(req({ token: [TOKEN] }), creds), 401, 'malformed_token');
		expectRejected(queryVerifier.verify(req({ token: { a: TOKEN } }), creds), 401, 'malformed_token');
	});

	it('does not read inherited properties of the query object', () => {
		expectRejected(
			queryVerifier.verify(req({}), { parameterName: '__proto__', token: TOKEN }),
			401,
			'missing_token',
		);
	});

	it('never accepts with a blank token or parameter name', () => {
		expectRejected(queryVerifier.verify(req({ token: '' }), { ...creds, token: '' }), 401, 'not_configured');
		expectRejected(queryVerifier.verify(req({ token: TOKEN }), { ...creds, parameterName: '' }), 401, 'not_configured');
	});
});
