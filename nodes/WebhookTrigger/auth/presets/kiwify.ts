import { rawBytes, readQuery } from '../request';
import { signatureRejection } from '../verifier';
import { signedPreset } from './signed';

/**
 * Kiwify: the `signature` query parameter, hex HMAC-SHA1 of the raw body with the webhook token.
 * (Kiwify documents only the parameter and algorithm; the generic HMAC scheme did the same before.)
 */
const PARAM = 'signature';

export const kiwifyVerifier = signedPreset({
	scheme: 'kiwify',
	displayName: 'Kiwify',
	description: 'HMAC-SHA1 of the body in the signature query parameter',
	algorithm: 'sha1',
	encoding: 'hex',
	timestamped: false,
	parse(request) {
		const field = readQuery(request, PARAM);
		if (field.kind !== 'present') return signatureRejection(field.kind);
		return { payload: rawBytes(request), candidates: [field.value] };
	},
	secretFields: { headers: [], query: [PARAM] },
	// No delivery id: order_id is shared by an order's different events (approved, refunded).
	preset: { eventPath: 'body.webhook_event_type' },
});
