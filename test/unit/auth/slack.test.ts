import { createHmac } from 'crypto';
import { slackVerifier } from '../../../nodes/WebhookTrigger/auth/slack';
import type {
	Rejected,
	VerificationRequest,
	VerificationResult,
} from '../../../nodes/WebhookTrigger/auth/types';

// Slack's documented example (api.slack.com "Verifying requests from Slack"), reproduced with
// `printf 'v0:1531420618:%s' "$BODY" | openssl dgst -sha256 -hmac 8f742231b10e8888abcd99yyyzzz85a5`.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = 1531420618;
const BODY =
	'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIG = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const creds = { signingSecret: SECRET };

// url_verification event signed with openssl (secret and timestamp below).
const HS_SECRET = 'slack-signing-secret-0123';
const HS_TS = 1700000000;
const HS_CHALLENGE = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
const HS_BODY = `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"${HS_CHALLENGE}","type":"url_verification"}`;
const HS_SIG = 'v0=eef844e01492f13fd0a2d0eb0c189161dde9bbbf3a760ef161fc09eaedbf4bb5';

function req(
	headers: VerificationRequest['headers'],
	options: { body?: string; parsed?: unknown; now?: number } = {},
): VerificationRequest {
	return {
		method: 'POST',
		headers,
		query: {},
		rawBody: Buffer.from(options.body ?? BODY),
		body: options.parsed,
		now: options.now ?? TS * 1000,
	};
}

const signed = (extra: Record<string, string | string[]> = {}) => ({
	'x-slack-signature': SIG,
	'x-slack-request-timestamp': String(TS),
	...extra,
});

function expectRejected(result: VerificationResult, status: number, code: string): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status, code });
	const text = JSON.stringify(result);
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain(HS_SECRET);
	return result as Rejected;
}

describe('slack verifier', () => {
	it("accepts Slack's documented example and reports the timestamp", () => {
		expect(slackVerifier.verify(req(signed()), creds)).toEqual({
			kind: 'accepted',
			scheme: 'slack',
			details: { timestamp: TS, secret: 'current' },
			redact: { headers: ['x-slack-signature'], query: [] },
		});
		expect(slackVerifier.credentialType).toBe('webhookSlackApi');
		expect(slackVerifier.redactions(creds)).toEqual({ headers: ['x-slack-signature'], query: [] });
	});

	it('accepts when n8n already parsed the form body', () => {
		const parsed = { token: 'xyzz0WbapA4vBCDEFasx0q6G', command: '/webhook-collect' };
		expect(slackVerifier.verify(req(signed(), { parsed }), creds).kind).toBe('accepted');
	});

	it('accepts up to 300 s of skew either way', () => {
		expect(slackVerifier.verify(req(signed(), { now: (TS + 300) * 1000 }), creds).kind).toBe('accepted');
		expect(slackVerifier.verify(req(signed(), { now: (TS - 300) * 1000 }), creds).kind).toBe('accepted');
	});

	it('rejects a replay, too-old and too-new timestamps as timestamp_outside_tolerance', () => {
		for (const now of [(TS + 301) * 1000, (TS - 301) * 1000, (TS + 86_400) * 1000, Date.now()]) {
			expectRejected(slackVerifier.verify(req(signed(), { now }), creds), 401, 'timestamp_outside_tolerance');
		}
	});

	it('rejects a changed timestamp (still in the window) as signature_mismatch', () => {
		const headers = signed({ 'x-slack-request-timestamp': String(TS + 1) });
		expectRejected(slackVerifier.verify(req(headers), creds), 401, 'signature_mismatch');
	});

	it('rejects a tampered body or a wrong secret as signature_mismatch', () => {
		const body = BODY.replace('roadrunner', 'wileecoyote');
		expectRejected(slackVerifier.verify(req(signed(), { body }), creds), 401, 'signature_mismatch');
		expectRejected(slackVerifier.verify(req(signed()), { signingSecret: 'x'.repeat(32) }), 401, 'signature_mismatch');
	});

	it('rejects missing headers with missing_signature / missing_timestamp', () => {
		expectRejected(slackVerifier.verify(req({ 'x-slack-request-timestamp': String(TS) }), creds), 401, 'missing_signature');
		expectRejected(slackVerifier.verify(req({ 'x-slack-signature': SIG }), creds), 401, 'missing_timestamp');
	});

	it('rejects malformed timestamps', () => {
		for (const ts of [`${TS}.0`, `-${TS}`, 'yesterday', `${TS}000000`, [String(TS), String(TS)]]) {
			expectRejected(
				slackVerifier.verify(req(signed({ 'x-slack-request-timestamp': ts })), creds),
				401,
				'malformed_timestamp',
			);
		}
	});

	it('rejects malformed signatures: other version, no prefix, wrong length, non-hex, repeated', () => {
		const hex = SIG.slice(3);
		for (const sig of [`v1=${hex}`, hex, `v0=${hex.slice(2)}`, `v0=${hex}ab`, `v0=${hex.slice(0, -1)}x`, [SIG, SIG]]) {
			expectRejected(slackVerifier.verify(req(signed({ 'x-slack-signature': sig })), creds), 401, 'malformed_signature');
		}
	});

	it('answers url_verification with the challenge as JSON once the signature verifies', () => {
		const headers = { 'x-slack-signature': HS_SIG, 'x-slack-request-timestamp': String(HS_TS) };
		const expected = {
			kind: 'handshake',
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify({ challenge: HS_CHALLENGE }),
		};
		const options = { body: HS_BODY, now: HS_TS * 1000 };
		expect(slackVerifier.verify(req(headers, options), { signingSecret: HS_SECRET })).toEqual(expected);
		const parsed = JSON.parse(HS_BODY) as unknown;
		expect(slackVerifier.verify(req(headers, { ...options, parsed }), { signingSecret: HS_SECRET })).toEqual(expected);
	});

	it('does not echo a url_verification challenge without a valid signature', () => {
		const headers = { 'x-slack-signature': SIG, 'x-slack-request-timestamp': String(HS_TS) };
		const result = slackVerifier.verify(req(headers, { body: HS_BODY, now: HS_TS * 1000 }), { signingSecret: HS_SECRET });
		expectRejected(result, 401, 'signature_mismatch');
		expect(JSON.stringify(result)).not.toContain(HS_CHALLENGE);
	});

	it('never accepts with a blank signing secret', () => {
		for (const bad of [{ signingSecret: '' }, {}, null]) {
			expectRejected(slackVerifier.verify(req(signed()), bad as typeof creds), 401, 'not_configured');
		}
	});
});

describe('slack verifier: url_verification without a challenge', () => {
	it('rejects it with 400 invalid_handshake (signed here with node crypto, independent of the module)', () => {
		const body = '{"type":"url_verification"}';
		const sig = `v0=${createHmac('sha256', HS_SECRET).update(`v0:${HS_TS}:${body}`).digest('hex')}`;
		const headers = { 'x-slack-signature': sig, 'x-slack-request-timestamp': String(HS_TS) };
		const result = slackVerifier.verify(req(headers, { body, now: HS_TS * 1000 }), { signingSecret: HS_SECRET });
		expectRejected(result, 400, 'invalid_handshake');
	});
});
