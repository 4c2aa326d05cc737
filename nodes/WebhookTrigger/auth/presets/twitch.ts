import { readHeader } from '../request';
import type { Handshake, Rejected, VerificationRequest } from '../types';
import { reject } from '../verifier';
import { parsedBody } from './body';
import { secondsOf } from './common';
import { isRejected, prefixed, prefixedSignature, requiredHeader, signedPreset } from './signed';

/**
 * Twitch EventSub (webhook transport): `Twitch-Eventsub-Message-Signature: sha256=<hex>`, HMAC-SHA256
 * of message id + timestamp + raw body with the subscription's secret; the timestamp is RFC 3339
 * (nanoseconds). A verified `webhook_callback_verification` is answered with `body.challenge` as
 * text/plain, without an execution.
 * https://dev.twitch.tv/docs/eventsub/handling-webhook-events/
 */
const SIGNATURE = 'twitch-eventsub-message-signature';
const ID = 'twitch-eventsub-message-id';
const TIMESTAMP = 'twitch-eventsub-message-timestamp';
const TYPE = 'twitch-eventsub-message-type';

function callbackVerification(request: VerificationRequest): Handshake | Rejected | undefined {
	const type = readHeader(request, TYPE);
	if (type.kind !== 'present' || type.value !== 'webhook_callback_verification') return undefined;
	const challenge = (parsedBody(request) as { challenge?: unknown } | undefined)?.challenge;
	if (typeof challenge !== 'string' || challenge === '') {
		return reject('invalid_handshake', 'webhook_callback_verification without a challenge', { status: 400 });
	}
	return { kind: 'handshake', status: 200, contentType: 'text/plain', body: challenge };
}

export const twitchVerifier = signedPreset({
	scheme: 'twitch',
	displayName: 'Twitch EventSub',
	description: 'Twitch-Eventsub-Message-Signature with a replay window; answers the callback verification',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const candidate = prefixedSignature(request, SIGNATURE, 'sha256=');
		if (isRejected(candidate)) return candidate;
		const id = readHeader(request, ID);
		if (id.kind !== 'present') return reject('missing_id', `Send exactly one ${ID} header`);
		const sent = requiredHeader(request, TIMESTAMP, 'timestamp');
		if (isRejected(sent)) return sent;
		return { payload: prefixed(id.value + sent, request), candidates: [candidate], timestamp: secondsOf(sent, 'iso') };
	},
	handshake: callbackVerification,
	secretFields: { headers: [SIGNATURE], query: [] },
	preset: { eventPath: 'headers.twitch-eventsub-subscription-type', deliveryIdPath: 'headers.twitch-eventsub-message-id' },
});
