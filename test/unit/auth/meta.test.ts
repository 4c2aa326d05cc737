import { metaVerifier } from '../../../nodes/WebhookTrigger/auth/meta';
import type {
	Rejected,
	VerificationRequest,
	VerificationResult,
} from '../../../nodes/WebhookTrigger/auth/types';

const VERIFY_TOKEN = 'meta-VERIFY-token-5150';
const APP_SECRET = 'meta-app-secret-0123';
const creds = { verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET };
// printf '%s' "$BODY" | openssl dgst -sha256 -hmac meta-app-secret-0123
const BODY =
	'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages"}]}]}';
const SIG = 'sha256=11d6e5c43629f98b1befe7423500009dd587a4e9b977de5ed845b22de1ccf943';

function get(query: Record<string, unknown>, method = 'GET'): VerificationRequest {
	return { method, headers: {}, query, rawBody: Buffer.alloc(0), body: {}, now: 0 };
}

function post(headers: VerificationRequest['headers'], body = BODY): VerificationRequest {
	return { method: 'POST', headers, query: {}, rawBody: Buffer.from(body), body: JSON.parse(body), now: 0 };
}

const subscribe = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' };

function expectRejected(result: VerificationResult, status: number, code: string): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status, code });
	const text = JSON.stringify(result);
	expect(text).not.toContain(VERIFY_TOKEN);
	expect(text).not.toContain(APP_SECRET);
	return result as Rejected;
}

describe('meta verifier: GET subscription handshake', () => {
	const handshake = { kind: 'handshake', status: 200, contentType: 'text/plain', body: '1158201444' };

	it('echoes hub.challenge as text when the verify token matches (literal dotted keys)', () => {
		expect(metaVerifier.verify(get(subscribe), creds)).toEqual(handshake);
	});

	it('also reads the qs-nested shape and a lower-case method', () => {
		const nested = { hub: { mode: 'subscribe', verify_token: VERIFY_TOKEN, challenge: '1158201444' } };
		expect(metaVerifier.verify(get(nested), creds)).toEqual(handshake);
		expect(metaVerifier.verify(get(subscribe, 'get'), creds)).toEqual(handshake);
	});

	it('rejects a wrong or wrong-length verify token with 403 verify_token_mismatch', () => {
		for (const token of ['nope', VERIFY_TOKEN.slice(1), `${VERIFY_TOKEN}!`]) {
			const result = metaVerifier.verify(get({ ...subscribe, 'hub.verify_token': token }), creds);
			expectRejected(result, 403, 'verify_token_mismatch');
			expect(JSON.stringify(result)).not.toContain('1158201444');
		}
	});

	it('rejects a wrong mode or a missing / repeated parameter with 403 invalid_handshake', () => {
		const cases: Record<string, unknown>[] = [
			{ ...subscribe, 'hub.mode': 'unsubscribe' },
			{ ...subscribe, 'hub.mode': undefined },
			{ ...subscribe, 'hub.challenge': undefined },
			{ ...subscribe, 'hub.challenge': '' },
			{ ...subscribe, 'hub.verify_token': undefined },
			{ ...subscribe, 'hub.verify_token': [VERIFY_TOKEN, VERIFY_TOKEN] },
			{},
		];
		for (const query of cases) {
			expectRejected(metaVerifier.verify(get(query), creds), 403, 'invalid_handshake');
		}
	});

	it('never completes the handshake with a blank verify token', () => {
		const query = { ...subscribe, 'hub.verify_token': '' };
		expectRejected(metaVerifier.verify(get(query), { ...creds, verifyToken: '' }), 401, 'not_configured');
	});
});

describe('meta verifier: signed POST', () => {
	it('accepts the right X-Hub-Signature-256 and redacts both signature headers', () => {
		expect(metaVerifier.verify(post({ 'x-hub-signature-256': SIG }), creds)).toEqual({
			kind: 'accepted',
			scheme: 'meta',
			details: { algorithm: 'sha256', secret: 'current' },
			redact: { headers: ['x-hub-signature-256', 'x-hub-signature'], query: [] },
		});
		expect(metaVerifier.verify(post({ 'x-hub-signature-256': SIG.toUpperCase() }), creds).kind).toBe('accepted');
		expect(metaVerifier.credentialType).toBe('webhookMetaApi');
	});

	it('rejects a tampered body or wrong secret as 401 signature_mismatch', () => {
		expectRejected(metaVerifier.verify(post({ 'x-hub-signature-256': SIG }, BODY.replace('messages', 'statuses')), creds), 401, 'signature_mismatch');
		expectRejected(metaVerifier.verify(post({ 'x-hub-signature-256': SIG }), { ...creds, appSecret: 'other' }), 401, 'signature_mismatch');
	});

	it('rejects a missing header as 401 missing_signature (the legacy SHA-1 header does not count)', () => {
		expectRejected(metaVerifier.verify(post({}), creds), 401, 'missing_signature');
		expectRejected(metaVerifier.verify(post({ 'x-hub-signature': 'sha1=00' }), creds), 401, 'missing_signature');
	});

	it('rejects a missing prefix, wrong algorithm label, wrong length or repeated header as malformed', () => {
		const hex = SIG.slice('sha256='.length);
		for (const value of [hex, `sha1=${hex}`, `sha256=${hex.slice(0, 40)}`, `sha256=${hex}00`, [SIG, SIG]]) {
			expectRejected(metaVerifier.verify(post({ 'x-hub-signature-256': value }), creds), 401, 'malformed_signature');
		}
	});

	it('never accepts a POST with a blank app secret', () => {
		expectRejected(metaVerifier.verify(post({ 'x-hub-signature-256': SIG }), { ...creds, appSecret: '' }), 401, 'not_configured');
	});

	it('lists the GET token and both signature headers for redaction', () => {
		expect(metaVerifier.redactions(creds)).toEqual({
			headers: ['x-hub-signature-256', 'x-hub-signature'],
			query: ['hub.verify_token'],
		});
	});
});
