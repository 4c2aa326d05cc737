import { stripPrefix } from './hmac-core';
import { parsedBody } from './presets/body';
import { credentialSecret, rawBytes, readHeader } from './request';
import { checkRotated } from './rotation';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from './timestamp';
import type { Handshake, VerificationRequest } from './types';
import { accept, notConfigured, reject, signatureRejection, type SchemeVerifier } from './verifier';

/** https://api.slack.com/authentication/verifying-requests-from-slack */
export interface SlackCredentials {
	signingSecret: string;
	previousSigningSecret?: string;
	toleranceSeconds?: number;
}

const SIGNATURE_HEADER = 'x-slack-signature';
const TIMESTAMP_HEADER = 'x-slack-request-timestamp';
const REDACT = { headers: [SIGNATURE_HEADER], query: [] };

/** Slack's url_verification event, answered only once its signature has verified. */
function urlVerification(request: VerificationRequest): Handshake | 'not_handshake' | 'invalid' {
	const body = parsedBody(request);
	if (body === null || typeof body !== 'object') return 'not_handshake';
	const { type, challenge } = body as Record<string, unknown>;
	if (type !== 'url_verification') return 'not_handshake';
	if (typeof challenge !== 'string' || challenge === '') return 'invalid';
	return {
		kind: 'handshake',
		status: 200,
		contentType: 'application/json',
		body: JSON.stringify({ challenge }),
	};
}

/**
 * Not built with presets/signed.ts: Slack has its own credential (webhookSlackApi, signingSecret),
 * checks the timestamp (with its own messages) before the signature's form, and reports no algorithm.
 */
export const slackVerifier: SchemeVerifier<SlackCredentials> = {
	scheme: 'slack',
	credentialType: 'webhookSlackApi',
	displayName: 'Slack Signing Secret',
	signsTimestamp: true,
	description: 'X-Slack-Signature v0 with a replay window',
	requirements: { secrets: [{ field: 'signingSecret', label: 'Signing secret' }] },
	// Events API: the event's type and the envelope's id (stable across Slack's retries).
	preset: { eventPath: 'body.event.type', deliveryIdPath: 'body.event_id' },
	verify(request, credentials) {
		const signingSecret = credentialSecret(credentials, 'signingSecret');
		if (signingSecret === '') return notConfigured('Slack signing secret');

		const signature = readHeader(request, SIGNATURE_HEADER);
		if (signature.kind !== 'present') return signatureRejection(signature.kind);
		const timestamp = readHeader(request, TIMESTAMP_HEADER);
		if (timestamp.kind === 'missing') {
			return reject('missing_timestamp', 'The request carries no X-Slack-Request-Timestamp');
		}
		const time =
			timestamp.kind === 'present'
				? checkTimestampSeconds(timestamp.value, request?.now, toleranceOf(credentials))
				: ({ kind: 'malformed' } as const);
		if (timestamp.kind !== 'present' || time.kind === 'malformed') {
			return reject('malformed_timestamp', 'X-Slack-Request-Timestamp must be whole seconds');
		}
		// Checked before the signature: an old but validly signed request is a replay.
		if (time.kind === 'outside') return outsideTolerance(time);

		const candidate = stripPrefix(signature.value, 'v0=');
		if (candidate === undefined) return signatureRejection('malformed');
		// The raw body's bytes as sent, whatever its encoding; the prefix is hashed as UTF-8.
		const payload = [`v0:${timestamp.value}:`, rawBytes(request)];
		const result = checkRotated(
			{ payload, candidates: [candidate], algorithm: 'sha256', encoding: 'hex' },
			{ current: signingSecret, previous: credentialSecret(credentials, 'previousSigningSecret') },
		);
		if (result.outcome !== 'valid') return signatureRejection(result.outcome);

		const handshake = urlVerification(request);
		if (handshake === 'invalid') {
			return reject('invalid_handshake', 'url_verification without a challenge', { status: 400 });
		}
		if (handshake !== 'not_handshake') return handshake;
		return accept('slack', { timestamp: time.seconds, secret: result.secret }, REDACT);
	},
	redactions: () => ({ headers: [...REDACT.headers], query: [] }),
	secretFields: REDACT,
};
