import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Razorpay: `X-Razorpay-Signature` is the hex HMAC-SHA256 of the raw body keyed with the webhook secret.
// https://razorpay.com/docs/webhooks/validate-test/
const sign = (secret: string, body: string) => ({
	headers: { 'x-razorpay-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('razorpay preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('razorpay')).toEqual({ eventPath: 'body.event', deliveryIdPath: 'headers.x-razorpay-event-id' });
	});
});

runPresetSuite({
	verifier: verifiers.razorpay,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'razorpay-secret-current',
	otherSecret: 'razorpay-secret-previous',
	body: '{"entity":"event","event":"payment.captured"}',
	sign,
	signatureHeader: 'x-razorpay-signature',
	timestamped: false,
});
