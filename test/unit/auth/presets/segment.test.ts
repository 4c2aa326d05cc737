import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Segment Webhooks (Actions) destination: with a shared secret set, `X-Signature` is the hex HMAC-SHA1 of the
// raw body keyed with that secret. https://www.twilio.com/docs/segment/connections/destinations/catalog/actions-webhook
const sign = (secret: string, body: string) => ({
	headers: { 'x-signature': createHmac('sha1', secret).update(body).digest('hex') },
});

describe('segment preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('segment')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'body.messageId' });
	});
});

runPresetSuite({
	verifier: verifiers.segment,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'segment-secret-current',
	otherSecret: 'segment-secret-previous',
	body: '{"type":"track","event":"Order Completed","messageId":"ajs-next-1"}',
	sign,
	signatureHeader: 'x-signature',
	timestamped: false,
});
