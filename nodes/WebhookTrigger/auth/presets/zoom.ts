import { computeHmac } from '../hmac-core';
import type { Handshake, Rejected, VerificationRequest } from '../types';
import { reject } from '../verifier';
import { isRejected, prefixed, prefixedSignature, requiredHeader, signedPreset } from './signed';
import { parsedBody } from './body';

/**
 * Zoom: `x-zm-signature: v0=<hex>`, HMAC-SHA256 of `v0:${x-zm-request-timestamp}:${body}` with the
 * app's Secret Token; the `endpoint.url_validation` event is answered with
 * `{ plainToken, encryptedToken: hex(HMAC-SHA256(secret, plainToken)) }`.
 * https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 */
const SIGNATURE = 'x-zm-signature';
const TIMESTAMP = 'x-zm-request-timestamp';

function urlValidation(request: VerificationRequest, key: string | Buffer): Handshake | Rejected | undefined {
	const body = parsedBody(request) as { event?: unknown; payload?: { plainToken?: unknown } } | undefined;
	if (body?.event !== 'endpoint.url_validation') return undefined;
	const plainToken = body.payload?.plainToken;
	if (typeof plainToken !== 'string' || plainToken === '') {
		return reject('invalid_handshake', 'endpoint.url_validation without payload.plainToken', { status: 400 });
	}
	const encryptedToken = computeHmac('sha256', key, Buffer.from(plainToken, 'utf8')).toString('hex');
	return {
		kind: 'handshake',
		status: 200,
		contentType: 'application/json',
		body: JSON.stringify({ plainToken, encryptedToken }),
	};
}

export const zoomVerifier = signedPreset({
	scheme: 'zoom',
	displayName: 'Zoom',
	description: 'x-zm-signature (v0=…) with a replay window; answers endpoint.url_validation',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const candidate = prefixedSignature(request, SIGNATURE, 'v0=');
		if (isRejected(candidate)) return candidate;
		const ts = requiredHeader(request, TIMESTAMP, 'timestamp');
		if (isRejected(ts)) return ts;
		return { payload: prefixed(`v0:${ts}:`, request), candidates: [candidate], timestamp: ts };
	},
	handshake: urlValidation,
	secretFields: { headers: [SIGNATURE], query: [] },
	preset: { eventPath: 'body.event', deliveryIdPath: 'headers.x-zm-trackingid' },
});
