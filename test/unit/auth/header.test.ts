import { headerVerifier } from '../../../nodes/WebhookTrigger/auth/header';
import type {
	Rejected,
	VerificationRequest,
	VerificationResult,
} from '../../../nodes/WebhookTrigger/auth/types';

const TOKEN = 'hdr-SECRET-4c1f0e';
const creds = { headerName: 'X-Webhook-Token', token: TOKEN };

function req(headers: VerificationRequest['headers']): VerificationRequest {
	return { method: 'POST', headers, query: {}, rawBody: Buffer.alloc(0), body: undefined, now: 0 };
}

function expectRejected(result: VerificationResult, status: number, code: string): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status, code });
	expect(JSON.stringify(result)).not.toContain(TOKEN);
	return result as Rejected;
}

describe('header verifier', () => {
	it('accepts the right token, matching the header name case-insensitively, and redacts it lower-cased', () => {
		expect(headerVerifier.verify(req({ 'x-webhook-token': TOKEN }), creds)).toEqual({
			kind: 'accepted',
			scheme: 'header',
			details: { headerName: 'x-webhook-token' },
			redact: { headers: ['x-webhook-token'], query: [] },
		});
		expect(headerVerifier.verify(req({ 'X-WEBHOOK-TOKEN': TOKEN }), creds).kind).toBe('accepted');
		expect(headerVerifier.redactions(creds)).toEqual({ headers: ['x-webhook-token'], query: [] });
		expect(headerVerifier.credentialType).toBe('webhookHeaderAuthApi');
	});

	it('rejects a wrong or wrong-length token with 401 invalid_token', () => {
		for (const value of ['nope', TOKEN.slice(1), `${TOKEN} `, TOKEN.toUpperCase()]) {
			expectRejected(headerVerifier.verify(req({ 'x-webhook-token': value }), creds), 401, 'invalid_token');
		}
	});

	it('rejects a missing or empty header with 401 missing_token', () => {
		expectRejected(headerVerifier.verify(req({}), creds), 401, 'missing_token');
		expectRejected(headerVerifier.verify(req({ 'x-webhook-token': '' }), creds), 401, 'missing_token');
		expectRejected(headerVerifier.verify(req({ authorization: TOKEN }), creds), 401, 'missing_token');
	});

	it('rejects a repeated header as malformed', () => {
		expectRejected(
			headerVerifier.verify(req({ 'x-webhook-token': [TOKEN, TOKEN] }), creds),
			401,
			'malformed_token',
		);
	});

	it('does not read inherited properties as headers', () => {
		expectRejected(
			headerVerifier.verify(req({}), { headerName: 'constructor', token: TOKEN }),
			401,
			'missing_token',
		);
	});

	it('never accepts with a blank token or header name', () => {
		expectRejected(headerVerifier.verify(req({ 'x-webhook-token': '' }), { ...creds, token: '' }), 401, 'not_configured');
		expectRejected(headerVerifier.verify(req({ '': TOKEN }), { ...creds, headerName: '  ' }), 401, 'not_configured');
		expect(headerVerifier.redactions({ headerName: '', token: '' })).toEqual({ headers: [], query: [] });
	});
});
