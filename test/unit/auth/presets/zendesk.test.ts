import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Zendesk: `X-Zendesk-Webhook-Signature` is base64(HMACSHA256(TIMESTAMP + BODY)) with the signing secret;
// `X-Zendesk-Webhook-Signature-Timestamp` is ISO 8601 (2021-03-25T05:09:27Z).
// https://developer.zendesk.com/documentation/webhooks/verifying/
const iso = (ts: number) => new Date(ts * 1000).toISOString().replace('.000Z', 'Z');
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'x-zendesk-webhook-signature': createHmac('sha256', secret).update(iso(ts)).update(body).digest('base64'), 'x-zendesk-webhook-signature-timestamp': iso(ts) },
});

describe('zendesk preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('zendesk')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'headers.x-zendesk-webhook-invocation-id' });
	});
});

runPresetSuite({
	verifier: verifiers.zendesk,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'zendesk-secret-current',
	otherSecret: 'zendesk-secret-previous',
	body: '{"type":"zen:event-type:ticket.created","id":"1"}',
	sign,
	signatureHeader: 'x-zendesk-webhook-signature',
	timestamped: true,
});
