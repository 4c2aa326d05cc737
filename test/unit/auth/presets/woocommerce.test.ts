import { createHmac } from 'crypto';

import { woocommerceVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/woocommerce';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';

// https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
// The provider publishes the scheme (no prefix, sha256, base64 of the raw body), not a fixed vector:
// this one was made with `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64`.
const sign = (secret: string, body: string) => ({
	headers: { 'x-wc-webhook-signature': `${createHmac('sha256', secret).update(body).digest('base64')}` },
});
const BODY = '{"id":727,"status":"processing"}';
const EXAMPLE_SIGNATURE = '' + createHmac('sha256', 'example-secret').update(BODY).digest('base64');

describe('woocommerce preset', () => {
	it('accepts a signature made the documented way', () => {
		expect(
			woocommerceVerifier.verify(request({ headers: { 'x-wc-webhook-signature': EXAMPLE_SIGNATURE } }, BODY, undefined, NOW), {
				secret: 'example-secret',
			}),
		).toEqual({
			kind: 'accepted',
			scheme: 'woocommerce',
			details: { algorithm: 'sha256', secret: 'current' },
			redact: { headers: ['x-wc-webhook-signature'], query: [] },
		});
	});

	it('names the event and the delivery id', () => {
		expect(presetDefaults('woocommerce')).toEqual({ eventPath: 'headers.x-wc-webhook-topic', deliveryIdPath: 'headers.x-wc-webhook-delivery-id' });
	});
});

runPresetSuite({
	verifier: woocommerceVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'woocommerce-secret-1',
	otherSecret: 'woocommerce-secret-2',
	body: BODY,
	sign,
	signatureHeader: 'x-wc-webhook-signature',
	timestamped: false,
});
