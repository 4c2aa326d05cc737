import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Checkout.com: `Cko-Signature` is the hex (Base16) HMAC-SHA256 of the webhook payload keyed with the
// key set in the workflow's webhook action. https://www.checkout.com/docs/workflows
const sign = (secret: string, body: string) => ({
	headers: { 'cko-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('checkoutCom preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('checkoutCom')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: verifiers.checkoutCom,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'checkoutCom-secret-current',
	otherSecret: 'checkoutCom-secret-previous',
	body: '{"id":"evt_1","type":"payment_approved"}',
	sign,
	signatureHeader: 'cko-signature',
	timestamped: false,
});
