import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Webflow: `x-webflow-signature` is the hex HMAC-SHA256 of timestamp + ':' + body with the OAuth app's
// client secret; `x-webflow-timestamp` in milliseconds, older than 5 minutes rejected.
// https://developers.webflow.com/data/docs/working-with-webhooks
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'x-webflow-signature': createHmac('sha256', secret).update(`${ts * 1000}:`).update(body).digest('hex'), 'x-webflow-timestamp': String(ts * 1000) },
});

describe('webflow preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('webflow')).toEqual({ eventPath: 'body.triggerType' });
	});
});

runPresetSuite({
	verifier: verifiers.webflow,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'webflow-secret-current',
	otherSecret: 'webflow-secret-previous',
	body: '{"triggerType":"form_submission","payload":{"name":"Contact"}}',
	sign,
	signatureHeader: 'x-webflow-signature',
	timestamped: true,
});
