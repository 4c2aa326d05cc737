import { commonPreset } from './common';

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the raw body with the app's client
 * secret (or the webhook signing secret shown under Settings > Notifications > Webhooks).
 */
export const shopifyVerifier = commonPreset('shopify', {
	displayName: 'Shopify',
	description: 'X-Shopify-Hmac-Sha256 (base64)',
	docs: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook',
	header: 'x-shopify-hmac-sha256',
	algorithm: 'sha256',
	encoding: 'base64',
	signs: ['body'],
	preset: { eventPath: 'headers.x-shopify-topic', deliveryIdPath: 'headers.x-shopify-webhook-id' },
});
