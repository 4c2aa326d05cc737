import { commonPreset } from './common';

/** Intercom: `X-Hub-Signature: sha1=<hex>`, HMAC-SHA1 of the raw body with the app's client secret. */
export const intercomVerifier = commonPreset('intercom', {
	displayName: 'Intercom',
	description: 'X-Hub-Signature (sha1=…)',
	docs: 'https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications',
	header: 'x-hub-signature',
	algorithm: 'sha1',
	encoding: 'hex',
	prefix: 'sha1=',
	signs: ['body'],
	preset: { eventPath: 'body.topic', deliveryIdPath: 'body.id' },
});
