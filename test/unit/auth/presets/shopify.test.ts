import { createHmac } from 'crypto';

import { shopifyVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/shopify';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';

// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
// The provider publishes the scheme (no prefix, sha256, base64 of the raw body), not a fixed vector:
// this one was made with `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64`.
const sign = (secret: string, body: string) => ({
	headers: { 'x-shopify-hmac-sha256': `${createHmac('sha256', secret).update(body).digest('base64')}` },
});
const BODY = '{"id":820982911946154508,"email":"jon@example.com"}';
const EXAMPLE_SIGNATURE = '' + createHmac('sha256', 'example-secret').update(BODY).digest('base64');

describe('shopify preset', () => {
	it('accepts a signature made the documented way', () => {
		expect(
			shopifyVerifier.verify(request({ headers: { 'x-shopify-hmac-sha256': EXAMPLE_SIGNATURE } }, BODY, undefined, NOW), {
				secret: 'example-secret',
			}),
		).toEqual({
			kind: 'accepted',
			scheme: 'shopify',
			details: { algorithm: 'sha256', secret: 'current' },
			redact: { headers: ['x-shopify-hmac-sha256'], query: [] },
		});
	});

	it('names the event and the delivery id', () => {
		expect(presetDefaults('shopify')).toEqual({ eventPath: 'headers.x-shopify-topic', deliveryIdPath: 'headers.x-shopify-webhook-id' });
	});
});

runPresetSuite({
	verifier: shopifyVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'shopify-secret-1',
	otherSecret: 'shopify-secret-2',
	body: BODY,
	sign,
	signatureHeader: 'x-shopify-hmac-sha256',
	timestamped: false,
});
