import { rawBytes } from '../request';
import { stripPrefix } from '../hmac-core';
import { signatureRejection } from '../verifier';
import { isRejected, requiredHeader, signedPreset } from './signed';

/**
 * Typeform: `Typeform-Signature: sha256=<base64>`, HMAC-SHA256 of the raw body.
 * https://www.typeform.com/developers/webhooks/secure-your-webhooks/
 */
const HEADER = 'typeform-signature';

export const typeformVerifier = signedPreset({
	scheme: 'typeform',
	displayName: 'Typeform',
	description: 'Typeform-Signature (sha256=base64)',
	algorithm: 'sha256',
	encoding: 'base64',
	timestamped: false,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const candidate = stripPrefix(header, 'sha256=');
		if (candidate === undefined) return signatureRejection('malformed');
		return { payload: rawBytes(request), candidates: [candidate] };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'body.event_type', deliveryIdPath: 'body.event_id' },
});
