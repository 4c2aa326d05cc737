import { rawBytes } from '../request';
import { isRejected, requiredHeader, signedPreset } from './signed';

/**
 * WooCommerce: `X-WC-Webhook-Signature: <base64>`, HMAC-SHA256 of the raw body with the webhook's
 * secret. https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
 */
const HEADER = 'x-wc-webhook-signature';

export const woocommerceVerifier = signedPreset({
	scheme: 'woocommerce',
	displayName: 'WooCommerce',
	description: 'X-WC-Webhook-Signature (base64)',
	algorithm: 'sha256',
	encoding: 'base64',
	timestamped: false,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		return { payload: rawBytes(request), candidates: [header] };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'headers.x-wc-webhook-topic', deliveryIdPath: 'headers.x-wc-webhook-delivery-id' },
});
