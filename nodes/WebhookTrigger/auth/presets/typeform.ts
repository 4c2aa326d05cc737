import { commonPreset } from './common';

/** Typeform: `Typeform-Signature: sha256=<base64>`, HMAC-SHA256 of the raw body. */
export const typeformVerifier = commonPreset('typeform', {
	displayName: 'Typeform',
	description: 'Typeform-Signature (sha256=base64)',
	docs: 'https://www.typeform.com/developers/webhooks/secure-your-webhooks/',
	header: 'typeform-signature',
	algorithm: 'sha256',
	encoding: 'base64',
	prefix: 'sha256=',
	signs: ['body'],
	preset: { eventPath: 'body.event_type', deliveryIdPath: 'body.event_id' },
});
