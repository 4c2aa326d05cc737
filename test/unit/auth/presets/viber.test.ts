import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Viber: `X-Viber-Content-Signature` is the hex HMAC-SHA256 of the whole body keyed with the bot's
// authentication token. https://developers.viber.com/docs/api/rest-bot-api/#callbacks
const sign = (secret: string, body: string) => ({
	headers: { 'x-viber-content-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('viber preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('viber')).toEqual({ eventPath: 'body.event', deliveryIdPath: 'body.message_token' });
	});
});

runPresetSuite({
	verifier: verifiers.viber,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'viber-secret-current',
	otherSecret: 'viber-secret-previous',
	body: '{"event":"message","timestamp":1457764197627,"message_token":4912661846655238145}',
	sign,
	signatureHeader: 'x-viber-content-signature',
	timestamped: false,
});
