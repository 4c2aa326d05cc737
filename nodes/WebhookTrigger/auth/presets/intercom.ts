import { rawBytes } from '../request';
import { stripPrefix } from '../hmac-core';
import { signatureRejection } from '../verifier';
import { isRejected, requiredHeader, signedPreset } from './signed';

/**
 * Intercom: `X-Hub-Signature: sha1=<hex>`, HMAC-SHA1 of the raw body with the app's client secret.
 * https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications
 */
const HEADER = 'x-hub-signature';

export const intercomVerifier = signedPreset({
	scheme: 'intercom',
	displayName: 'Intercom',
	description: 'X-Hub-Signature (sha1=…)',
	algorithm: 'sha1',
	encoding: 'hex',
	timestamped: false,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const candidate = stripPrefix(header, 'sha1=');
		if (candidate === undefined) return signatureRejection('malformed');
		return { payload: rawBytes(request), candidates: [candidate] };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'body.topic', deliveryIdPath: 'body.id' },
});
