import { ed25519PublicKey, isEd25519Signature, verifyEd25519 } from '../ed25519';
import { rawBytes } from '../request';
import { rotatingSecrets } from '../rotation';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from '../timestamp';
import type { Handshake, VerificationRequest } from '../types';
import { accept, notConfigured, reject, signatureRejection, type SchemeVerifier } from '../verifier';
import { parsedBody } from './body';
import { isRejected, requiredHeader, SIGNING_SECRET_CREDENTIAL, type SigningSecretCredentials } from './signed';

/**
 * Discord interactions: `X-Signature-Ed25519` (hex) is the application's Ed25519 signature of
 * `X-Signature-Timestamp` + raw body; the credential's Secret holds the application's Public Key
 * (hex, Developer Portal > General Information), Previous Secret the old one while rotating.
 * A verified PING (`{"type":1}`) is answered `{"type":1}` without an execution.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
const SIGNATURE = 'x-signature-ed25519';
const TIMESTAMP = 'x-signature-timestamp';

function ping(request: VerificationRequest): Handshake | undefined {
	const body = parsedBody(request) as { type?: unknown } | undefined;
	return body?.type === 1 ? { kind: 'handshake', status: 200, contentType: 'application/json', body: '{"type":1}' } : undefined;
}

export const discordVerifier: SchemeVerifier<SigningSecretCredentials> = {
	scheme: 'discord',
	credentialType: SIGNING_SECRET_CREDENTIAL,
	displayName: 'Discord Interactions',
	description: 'X-Signature-Ed25519 with the application public key; answers PING',
	requirements: { secrets: [{ field: 'secret', label: 'Secret' }] },
	signsTimestamp: true,
	preset: { eventPath: 'body.type', deliveryIdPath: 'body.id' },
	verify(request, credentials) {
		const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
		if (saved.current === '') return notConfigured('Discord public key');
		const current = ed25519PublicKey(saved.current);
		if (current === undefined) return notConfigured('Discord public key (64 hex digits)');
		const previous = saved.previous === '' ? undefined : ed25519PublicKey(saved.previous);

		const signature = requiredHeader(request, SIGNATURE);
		if (isRejected(signature)) return signature;
		if (!isEd25519Signature(signature)) return signatureRejection('malformed');
		const timestamp = requiredHeader(request, TIMESTAMP, 'timestamp');
		if (isRejected(timestamp)) return timestamp;
		const check = checkTimestampSeconds(timestamp, request?.now, toleranceOf(credentials));
		if (check.kind === 'malformed') return reject('malformed_timestamp');
		if (check.kind === 'outside') return outsideTolerance(check);

		const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBytes(request)]);
		// Both keys checked, always: timing must not tell which one matched.
		const byCurrent = verifyEd25519(current, message, signature);
		const byPrevious = previous !== undefined && verifyEd25519(previous, message, signature);
		if (!byCurrent && !byPrevious) return signatureRejection('mismatch');
		const handshake = ping(request);
		if (handshake !== undefined) return handshake;
		return accept(
			'discord',
			{ algorithm: 'ed25519', secret: byCurrent ? 'current' : 'previous', timestamp: check.seconds },
			{ headers: [SIGNATURE] },
		);
	},
	redactions: () => ({ headers: [SIGNATURE], query: [] }),
	secretFields: { headers: [SIGNATURE], query: [] },
};
