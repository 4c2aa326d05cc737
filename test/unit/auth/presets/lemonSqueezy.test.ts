import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Lemon Squeezy: `X-Signature` is the HMAC hex digest (SHA-256) of the payload with the signing secret.
// https://docs.lemonsqueezy.com/help/webhooks/signing-requests
const sign = (secret: string, body: string) => ({
	headers: { 'x-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('lemonSqueezy preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('lemonSqueezy')).toEqual({ eventPath: 'body.meta.event_name' });
	});
});

runPresetSuite({
	verifier: verifiers.lemonSqueezy,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'lemonSqueezy-secret-current',
	otherSecret: 'lemonSqueezy-secret-previous',
	body: '{"meta":{"event_name":"order_created"},"data":{"id":"1"}}',
	sign,
	signatureHeader: 'x-signature',
	timestamped: false,
});
