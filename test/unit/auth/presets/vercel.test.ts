import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Vercel: `x-vercel-signature` is the hex HMAC-SHA1 of the raw body with the webhook secret.
// https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks
const sign = (secret: string, body: string) => ({
	headers: { 'x-vercel-signature': createHmac('sha1', secret).update(body).digest('hex') },
});

describe('vercel preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('vercel')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: verifiers.vercel,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'vercel-secret-current',
	otherSecret: 'vercel-secret-previous',
	body: '{"id":"evt_1","type":"deployment.succeeded"}',
	sign,
	signatureHeader: 'x-vercel-signature',
	timestamped: false,
});
