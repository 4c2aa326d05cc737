import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Help Scout: `X-HelpScout-Signature` is base64(HMAC-SHA1(secret key, request body)).
// https://developer.helpscout.com/webhooks/
const sign = (secret: string, body: string) => ({
	headers: { 'x-helpscout-signature': createHmac('sha1', secret).update(body).digest('base64') },
});

describe('helpScout preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('helpScout')).toEqual({ eventPath: 'headers.x-helpscout-event' });
	});
});

runPresetSuite({
	verifier: verifiers.helpScout,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'helpScout-secret-current',
	otherSecret: 'helpScout-secret-previous',
	body: '{"id":123,"number":1,"status":"active"}',
	sign,
	signatureHeader: 'x-helpscout-signature',
	timestamped: false,
});
