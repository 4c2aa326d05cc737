import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Nuvemshop / Tiendanube: `x-linkedstore-hmac-sha256` is the hex HMAC-SHA256 of the raw body keyed
// with the app's client secret. https://tiendanube.github.io/api-documentation/resources/webhook
const sign = (secret: string, body: string) => ({
	headers: { 'x-linkedstore-hmac-sha256': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('nuvemshop preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('nuvemshop')).toEqual({ eventPath: 'body.event' });
	});
});

runPresetSuite({
	verifier: verifiers.nuvemshop,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'nuvemshop-secret-current',
	otherSecret: 'nuvemshop-secret-previous',
	body: '{"store_id":1,"event":"order/paid","id":42}',
	sign,
	signatureHeader: 'x-linkedstore-hmac-sha256',
	timestamped: false,
});
