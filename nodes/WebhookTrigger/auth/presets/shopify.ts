import { rawBytes } from '../request';
import { isRejected, requiredHeader, signedPreset } from './signed';

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the raw body with the app's client
 * secret (or the webhook signing secret shown under Settings > Notifications > Webhooks).
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 */
const HEADER = 'x-shopify-hmac-sha256';

export const shopifyVerifier = signedPreset({
	scheme: 'shopify',
	displayName: 'Shopify',
	description: 'X-Shopify-Hmac-Sha256 (base64)',
	algorithm: 'sha256',
	encoding: 'base64',
	timestamped: false,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		return { payload: rawBytes(request), candidates: [header] };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'headers.x-shopify-topic', deliveryIdPath: 'headers.x-shopify-webhook-id' },
});
