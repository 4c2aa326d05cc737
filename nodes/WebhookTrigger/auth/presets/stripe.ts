import { commonPreset } from './common';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of `${t}.${body}` with the
 * endpoint's `whsec_…` secret used as text. Several v1 during Stripe's own secret roll.
 */
export const stripeVerifier = commonPreset('stripe', {
	displayName: 'Stripe',
	description: 'Stripe-Signature (t=…,v1=…) with a replay window',
	docs: 'https://docs.stripe.com/webhooks#verify-manually',
	header: 'stripe-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	fields: { separator: ',', timestamp: 't', signature: 'v1', timestampAloneIsMissing: true },
	timestamp: { unit: 'seconds' },
	signs: ['timestamp', { text: '.' }, 'body'],
	preset: { eventPath: 'body.type', deliveryIdPath: 'body.id' },
});
