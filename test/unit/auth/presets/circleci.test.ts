import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// CircleCI: `circleci-signature: v1=<hex>`, HMAC-SHA256 of the body with the webhook's secret token.
// https://circleci.com/docs/outbound-webhooks/#validate-webhooks
const sign = (secret: string, body: string) => ({
	headers: { 'circleci-signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}` },
});

describe('circleci preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('circleci')).toEqual({ eventPath: 'headers.circleci-event-type', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: verifiers.circleci,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'circleci-secret-current',
	otherSecret: 'circleci-secret-previous',
	body: '{"id":"3888f21b","type":"workflow-completed"}',
	sign,
	signatureHeader: 'circleci-signature',
	timestamped: false,
});
