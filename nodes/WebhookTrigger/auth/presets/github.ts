import { commonPreset } from './common';

/** GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the raw body. */
export const githubVerifier = commonPreset('github', {
	displayName: 'GitHub',
	description: 'X-Hub-Signature-256 (sha256=…)',
	docs: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries',
	header: 'x-hub-signature-256',
	algorithm: 'sha256',
	encoding: 'hex',
	prefix: 'sha256=',
	signs: ['body'],
	// GitHub also sends the legacy SHA-1 header: hidden too.
	alsoHide: ['x-hub-signature'],
	preset: { eventPath: 'headers.x-github-event', deliveryIdPath: 'headers.x-github-delivery' },
});
