import { commonPreset } from './common';

/** Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, HMAC-SHA256 of `${t}.${body}` with the webhook signing key. */
export const calendlyVerifier = commonPreset('calendly', {
	displayName: 'Calendly',
	description: 'Calendly-Webhook-Signature (t=…,v1=…) with a replay window',
	docs: 'https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures',
	header: 'calendly-webhook-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	fields: { separator: ',', timestamp: 't', signature: 'v1' },
	timestamp: { unit: 'seconds' },
	signs: ['timestamp', { text: '.' }, 'body'],
	// No delivery id: the payload's URIs are shared by different events (created, then canceled).
	preset: { eventPath: 'body.event' },
});
