import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { request, runPresetSuite } from './presetSuite';

// Revolut: `Revolut-Signature: v1=<hex>` (several, comma-separated, while two secrets are active), the hex
// HMAC-SHA256 of `v1.{Revolut-Request-Timestamp}.{raw body}` with the webhook's signing secret; the timestamp
// in milliseconds, within 5 minutes. https://developer.revolut.com/docs/guides/manage-accounts/webhooks/verify-the-payload-signature
const signature = (secret: string, body: string, ms: string) =>
	`v1=${createHmac('sha256', secret).update(`v1.${ms}.`).update(body).digest('hex')}`;
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'revolut-signature': signature(secret, body, String(ts * 1000)), 'revolut-request-timestamp': String(ts * 1000) },
});

describe('revolut preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('revolut')).toEqual({ eventPath: 'body.event' });
	});

	it("verifies the documentation's example payload_to_sign, with its timestamp and example secret", () => {
		// The payload and timestamp of the guide's `v1.1683650202360.{...}` example; the secret its Python sample uses.
		const secret = 'wsk_r59a4HfWVAKycbCaNO1RvgCJec02gRd8';
		const ms = '1683650202360';
		const body =
			'{"data":{"id":"645a7696-1234-aa47-1234-cbae0449cc46","new_state":"completed","old_state":"pending","request_id":"app_charges-9f5d5eb3-1234-1234-1234-3914763e0bcb"},"event":"TransactionStateChanged","timestamp":"2023-05-09T16:36:38.028960Z"}';
		const expected = createHmac('sha256', secret).update(`v1.${ms}.${body}`).digest('hex');
		const call = { headers: { 'revolut-signature': `v1=${expected}`, 'revolut-request-timestamp': ms } };
		const result = verifiers.revolut.verify(request(call, body, undefined, Number(ms)), { secret });
		expect(result).toMatchObject({ kind: 'accepted', details: { secret: 'current', timestamp: 1683650202 } });
	});

	it('refuses a call without Revolut-Request-Timestamp', () => {
		const call = sign('revolut-secret-current', '{}', 1_700_000_000);
		delete (call.headers as Record<string, string>)['revolut-request-timestamp'];
		const result = verifiers.revolut.verify(request(call, '{}', undefined), { secret: 'revolut-secret-current' });
		expect(result).toMatchObject({ kind: 'rejected', status: 401 });
	});
});

runPresetSuite({
	verifier: verifiers.revolut,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'wsk_revolut_current',
	otherSecret: 'wsk_revolut_previous',
	body: '{"event":"TransactionCreated","timestamp":"2023-05-09T16:36:38.028960Z","data":{"id":"645a7696"}}',
	sign,
	several: (valid, wrong) => ({
		headers: { ...valid.headers, 'revolut-signature': `${wrong.headers['revolut-signature']},${valid.headers['revolut-signature']}` },
	}),
	signatureHeader: 'revolut-signature',
	timestamped: true,
});
