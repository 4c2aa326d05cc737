import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Sentry integration platform: `Sentry-Hook-Signature` is the hex HMAC-SHA256 of the body keyed with the
// integration's client secret. https://docs.sentry.io/integrations/integration-platform/webhooks/
const sign = (secret: string, body: string) => ({
	headers: { 'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex') },
});

describe('sentry preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('sentry')).toEqual({ eventPath: 'headers.sentry-hook-resource', deliveryIdPath: 'headers.request-id' });
	});
});

runPresetSuite({
	verifier: verifiers.sentry,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'sentry-secret-current',
	otherSecret: 'sentry-secret-previous',
	body: '{"action":"created","data":{"issue":{"id":"1"}}}',
	sign,
	signatureHeader: 'sentry-hook-signature',
	timestamped: false,
});
