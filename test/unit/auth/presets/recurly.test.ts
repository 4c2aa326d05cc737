import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { request, runPresetSuite } from './presetSuite';

// Recurly JSON webhooks: `recurly-signature: <ms timestamp>,<hex>[,<hex>]` (two signatures for 24 h after a key is
// regenerated), each the hex HMAC-SHA256 of `${timestamp}.${raw body}` with the endpoint's secret key.
// https://docs.recurly.com/recurly-subscriptions/docs/signature-verification (tolerance in milliseconds as in
// Recurly's client libraries, e.g. recurly-client-ruby lib/recurly/webhooks.rb: 5 * 60 * 1000).
const hex = (secret: string, body: string, ms: string) => createHmac('sha256', secret).update(`${ms}.`).update(body).digest('hex');
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'recurly-signature': `${ts * 1000},${hex(secret, body, String(ts * 1000))}` },
});

describe('recurly preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('recurly')).toEqual({ eventPath: 'body.event_type' });
	});

	const secret = 'recurly-secret-current';
	const body = '{"id":"pp7qr7e1qr1o","object_type":"subscription","event_type":"created"}';
	const verify = (value: string, now = 1_700_000_000_000) =>
		verifiers.recurly.verify(request({ headers: { 'recurly-signature': value } }, body, undefined, now), { secret });

	it('reads the leading timestamp, never as a signature, and the signatures after it', () => {
		const ms = '1700000000000';
		expect(verify(`${ms},${hex(secret, body, ms)}`)).toMatchObject({ kind: 'accepted', details: { timestamp: 1_700_000_000 } });
		expect(verify(`${ms},${'0'.repeat(64)},${hex(secret, body, ms)}`)).toMatchObject({ kind: 'accepted' });
		// A timestamp alone, or signatures without one in front, are refused.
		expect(verify(ms)).toMatchObject({ kind: 'rejected', code: 'malformed_signature' });
		expect(verify(hex(secret, body, ms))).toMatchObject({ kind: 'rejected', status: 401 });
		// The signature is over the timestamp sent: another one in front does not verify.
		expect(verify(`1700000001000,${hex(secret, body, ms)}`)).toMatchObject({ kind: 'rejected', code: 'signature_mismatch' });
	});
});

runPresetSuite({
	verifier: verifiers.recurly,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'recurly-secret-current',
	otherSecret: 'recurly-secret-previous',
	body: '{"id":"pp7qr7e1qr1o","object_type":"account","site_id":"pp7qr7e1qr1o","event_type":"created","account_code":"a1"}',
	sign,
	several: (valid, wrong) => ({
		headers: { 'recurly-signature': `${wrong.headers['recurly-signature']},${valid.headers['recurly-signature'].split(',')[1]}` },
	}),
	signatureHeader: 'recurly-signature',
	timestamped: true,
});
