import { prefixed, parseKeyValues, requiredHeader, isRejected, signedPreset } from './signed';
import { signatureRejection } from '../verifier';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of `${t}.${body}` with the
 * endpoint's `whsec_…` secret used as text. Several v1 during Stripe's own secret roll.
 * https://docs.stripe.com/webhooks#verify-manually
 */
const HEADER = 'stripe-signature';

export const stripeVerifier = signedPreset({
	scheme: 'stripe',
	displayName: 'Stripe',
	description: 'Stripe-Signature (t=…,v1=…) with a replay window',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const fields = parseKeyValues(header, ',');
		const t = fields.get('t')?.[0];
		const candidates = fields.get('v1') ?? [];
		if (candidates.length === 0) return signatureRejection(t === undefined ? 'malformed' : 'missing');
		return { payload: prefixed(`${t ?? ''}.`, request), candidates, timestamp: t };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'body.type', deliveryIdPath: 'body.id' },
});
