import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Heroku app webhooks: `Heroku-Webhook-Hmac-SHA256` is base64(HMAC-SHA256(secret, raw body)).
// https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests
const sign = (secret: string, body: string) => ({
	headers: { 'heroku-webhook-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64') },
});

describe('heroku preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('heroku')).toEqual({ eventPath: 'body.resource', deliveryIdPath: 'headers.heroku-webhook-id' });
	});
});

runPresetSuite({
	verifier: verifiers.heroku,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'heroku-secret-current',
	otherSecret: 'heroku-secret-previous',
	body: '{"action":"update","resource":"release"}',
	sign,
	signatureHeader: 'heroku-webhook-hmac-sha256',
	timestamped: false,
});
