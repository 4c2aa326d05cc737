import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`, HMAC-SHA256 of the raw body; one v1 per
// active secret. https://developer.pagerduty.com/docs/verifying-webhook-signatures
const sign = (secret: string, body: string) => ({
	headers: { 'x-pagerduty-signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}` },
});

describe('pagerDuty preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('pagerDuty')).toEqual({ eventPath: 'body.event.event_type', deliveryIdPath: 'body.event.id' });
	});
});

runPresetSuite({
	verifier: verifiers.pagerDuty,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'pagerDuty-secret-current',
	otherSecret: 'pagerDuty-secret-previous',
	body: '{"event":{"id":"01D","event_type":"incident.triggered"}}',
	sign,
	signatureHeader: 'x-pagerduty-signature',
	several: (valid, wrong) => ({ headers: { 'x-pagerduty-signature': `${wrong.headers['x-pagerduty-signature']},${valid.headers['x-pagerduty-signature']}` } }),
	timestamped: false,
});
