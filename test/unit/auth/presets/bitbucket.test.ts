import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Bitbucket Cloud: `X-Hub-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body with the webhook secret.
// https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/
const sign = (secret: string, body: string) => ({
	headers: { 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
});

describe('bitbucket preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('bitbucket')).toEqual({ eventPath: 'headers.x-event-key', deliveryIdPath: 'headers.x-request-uuid' });
	});
});

runPresetSuite({
	verifier: verifiers.bitbucket,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'bitbucket-secret-current',
	otherSecret: 'bitbucket-secret-previous',
	body: '{"push":{"changes":[]},"repository":{"name":"r"}}',
	sign,
	signatureHeader: 'x-hub-signature',
	timestamped: false,
});
