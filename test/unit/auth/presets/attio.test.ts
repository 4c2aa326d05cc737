import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Attio: `Attio-Signature` (also `X-Attio-Signature`) is the hex HMAC-SHA256 of the body with the webhook
// secret. https://docs.attio.com/rest-api/guides/webhooks
const sign = (secret: string, body: string) => ({
	headers: { 'attio-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('attio preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('attio')).toEqual({ eventPath: 'body.events.0.event_type', deliveryIdPath: 'body.webhook_id' });
	});
});

runPresetSuite({
	verifier: verifiers.attio,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'attio-secret-current',
	otherSecret: 'attio-secret-previous',
	body: '{"webhook_id":"w1","events":[{"event_type":"record.created"}]}',
	sign,
	signatureHeader: 'attio-signature',
	timestamped: false,
});
