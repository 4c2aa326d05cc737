import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`, hex HMAC-SHA256 of `${t}.${body}` with the webhook secret.
// https://workos.com/docs/events/data-syncing/webhooks
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'workos-signature': `t=${ts * 1000}, v1=${createHmac('sha256', secret).update(`${ts * 1000}.`).update(body).digest('hex')}` },
});

describe('workos preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('workos')).toEqual({ eventPath: 'body.event', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: verifiers.workos,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'workos-secret-current',
	otherSecret: 'workos-secret-previous',
	body: '{"id":"wh_01","event":"user.created","data":{}}',
	sign,
	signatureHeader: 'workos-signature',
	timestamped: true,
});
