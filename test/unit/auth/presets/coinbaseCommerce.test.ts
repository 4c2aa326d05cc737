import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Coinbase Commerce: `X-CC-Webhook-Signature` is the SHA256 HMAC (hex) of the raw payload keyed with
// the shared secret. https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security
const sign = (secret: string, body: string) => ({
	headers: { 'x-cc-webhook-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('coinbaseCommerce preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('coinbaseCommerce')).toEqual({ eventPath: 'body.event.type', deliveryIdPath: 'body.event.id' });
	});
});

runPresetSuite({
	verifier: verifiers.coinbaseCommerce,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'coinbaseCommerce-secret-current',
	otherSecret: 'coinbaseCommerce-secret-previous',
	body: '{"id":1,"event":{"id":"24934862","type":"charge:created"}}',
	sign,
	signatureHeader: 'x-cc-webhook-signature',
	timestamped: false,
});
