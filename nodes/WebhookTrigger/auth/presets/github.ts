import { rawBytes } from '../request';
import { stripPrefix } from '../hmac-core';
import { isRejected, requiredHeader, signedPreset } from './signed';
import { signatureRejection } from '../verifier';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the raw body.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
const HEADER = 'x-hub-signature-256';

export const githubVerifier = signedPreset({
	scheme: 'github',
	displayName: 'GitHub',
	description: 'X-Hub-Signature-256 (sha256=…)',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: false,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const candidate = stripPrefix(header, 'sha256=');
		if (candidate === undefined) return signatureRejection('malformed');
		return { payload: rawBytes(request), candidates: [candidate] };
	},
	// GitHub also sends the legacy SHA-1 header: hidden too.
	secretFields: { headers: [HEADER, 'x-hub-signature'], query: [] },
	preset: { eventPath: 'headers.x-github-event', deliveryIdPath: 'headers.x-github-delivery' },
});
