import { signatureRejection } from '../verifier';
import { isRejected, parseKeyValues, prefixed, requiredHeader, signedPreset } from './signed';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=…]`, HMAC-SHA256 of `${ts}:${body}`.
 * https://developer.paddle.com/webhooks/signature-verification
 */
const HEADER = 'paddle-signature';

export const paddleVerifier = signedPreset({
	scheme: 'paddle',
	displayName: 'Paddle',
	description: 'Paddle-Signature (ts=…;h1=…) with a replay window',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const fields = parseKeyValues(header, ';');
		const ts = fields.get('ts')?.[0];
		const candidates = fields.get('h1') ?? [];
		if (candidates.length === 0) return signatureRejection('malformed');
		return { payload: prefixed(`${ts ?? ''}:`, request), candidates, timestamp: ts };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'body.event_type', deliveryIdPath: 'body.event_id' },
});
