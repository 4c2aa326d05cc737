import { commonPreset } from './common';

/** WooCommerce: `X-WC-Webhook-Signature: <base64>`, HMAC-SHA256 of the raw body with the webhook's secret. */
export const woocommerceVerifier = commonPreset('woocommerce', {
	displayName: 'WooCommerce',
	description: 'X-WC-Webhook-Signature (base64)',
	docs: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks',
	header: 'x-wc-webhook-signature',
	algorithm: 'sha256',
	encoding: 'base64',
	signs: ['body'],
	preset: { eventPath: 'headers.x-wc-webhook-topic', deliveryIdPath: 'headers.x-wc-webhook-delivery-id' },
});
