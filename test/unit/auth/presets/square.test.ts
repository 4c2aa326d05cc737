import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Square: `x-square-hmacsha256-signature` is base64(HMAC-SHA256(signature key, notification URL + raw
// body)); the URL is the one configured in the subscription. https://developer.squareup.com/docs/webhooks/step3validate
const URL = 'https://n8n.example.com/webhook/hooks?x=1';
const sign = (secret: string, body: string) => ({
	headers: { 'x-square-hmacsha256-signature': createHmac('sha256', secret).update(URL).update(body).digest('base64') },
});

describe('square preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('square')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'body.event_id' });
	});
});

runPresetSuite({
	verifier: verifiers.square,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds, webhookUrl: URL }),
	secret: 'square-secret-current',
	otherSecret: 'square-secret-previous',
	body: '{"merchant_id":"M1","type":"payment.updated","event_id":"e1"}',
	sign,
	signatureHeader: 'x-square-hmacsha256-signature',
	timestamped: false,
});
