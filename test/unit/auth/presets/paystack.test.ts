import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Paystack: `x-paystack-signature` is the hex HMAC-SHA512 of the raw body keyed with the account's secret key.
// https://paystack.com/docs/payments/webhooks/#verify-event-origin
const sign = (secret: string, body: string) => ({
	headers: { 'x-paystack-signature': createHmac('sha512', secret).update(body).digest('hex') },
});

describe('paystack preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('paystack')).toEqual({ eventPath: 'body.event' });
	});
});

runPresetSuite({
	verifier: verifiers.paystack,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'sk_test_paystack_current',
	otherSecret: 'sk_test_paystack_previous',
	body: '{"event":"charge.success","data":{"id":302961,"reference":"qTPrJoy9Bx"}}',
	sign,
	signatureHeader: 'x-paystack-signature',
	timestamped: false,
});
