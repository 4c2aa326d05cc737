import { rawBytes } from '../request';
import { isRejected, requiredHeader, signedPreset } from './signed';
import { parsedBody } from './body';

/**
 * Linear: `Linear-Signature: <hex>`, HMAC-SHA256 of the raw body; the signed body carries
 * `webhookTimestamp` (milliseconds), checked against the replay window.
 * https://linear.app/developers/webhooks#securing-webhooks
 */
const HEADER = 'linear-signature';

function timestampSeconds(body: unknown): string | undefined {
	const value = (body as { webhookTimestamp?: unknown } | undefined)?.webhookTimestamp;
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(Math.floor(value / 1000)) : undefined;
}

export const linearVerifier = signedPreset({
	scheme: 'linear',
	displayName: 'Linear',
	description: 'Linear-Signature with webhookTimestamp in a replay window',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		return { payload: rawBytes(request), candidates: [header], timestamp: timestampSeconds(parsedBody(request)) };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'body.type', deliveryIdPath: 'headers.linear-delivery' },
});
