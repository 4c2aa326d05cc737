import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Customer.io reporting webhooks: `X-CIO-Signature` is the hex HMAC-SHA256 of `v0:` + X-CIO-Timestamp + `:` +
// body with the webhook signing key. https://docs.customer.io/journeys/webhooks/#securely-verifying-requests
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'x-cio-signature': createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex'), 'x-cio-timestamp': String(ts) },
});

describe('customerIo preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('customerIo')).toEqual({ eventPath: 'body.metric', deliveryIdPath: 'body.event_id' });
	});
});

runPresetSuite({
	verifier: verifiers.customerIo,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'customerIo-secret-current',
	otherSecret: 'customerIo-secret-previous',
	body: '{"event_id":"01E","metric":"opened","object_type":"email"}',
	sign,
	signatureHeader: 'x-cio-signature',
	timestamped: true,
});
