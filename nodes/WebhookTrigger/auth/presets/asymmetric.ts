import { ed25519PublicKey, ed25519Signature, verifyEd25519, type KeyEncoding } from '../ed25519';
import { rawBytes } from '../request';
import { rotatingSecrets } from '../rotation';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from '../timestamp';
import type { Handshake, VerificationRequest } from '../types';
import { accept, notConfigured, reject, signatureRejection, type PresetDefaults, type SchemeVerifier } from '../verifier';
import { isRejected, requiredHeader, SIGNING_SECRET_CREDENTIAL, type SigningSecretCredentials } from './signed';

/**
 * A provider that signs `timestamp + separator + raw body` with Ed25519 (Discord, Telnyx). The
 * credential's Secret holds the provider's public key (Previous Secret: the old one while rotating);
 * the timestamp (seconds) is checked against the credential's Tolerance before the signature.
 */
export interface Ed25519Spec {
	displayName: string;
	description: string;
	signatureHeader: string;
	timestampHeader: string;
	/** Between the timestamp and the body (`|` for Telnyx, nothing for Discord). */
	separator: string;
	/** How the signature and the public key are written. */
	encoding: KeyEncoding;
	/** Answered once verified, without an execution (Discord PING). */
	handshake?(request: VerificationRequest): Handshake | undefined;
	preset: PresetDefaults;
}

export function ed25519Preset(scheme: string, spec: Ed25519Spec): SchemeVerifier<SigningSecretCredentials> {
	const hidden = { headers: [spec.signatureHeader], query: [] };
	return {
		scheme,
		credentialType: SIGNING_SECRET_CREDENTIAL,
		displayName: spec.displayName,
		description: spec.description,
		requirements: { secrets: [{ field: 'secret', label: 'Secret' }] },
		signsTimestamp: true,
		preset: spec.preset,
		verify(request, credentials) {
			const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
			if (saved.current === '') return notConfigured(`${spec.displayName} public key`);
			const current = ed25519PublicKey(saved.current, spec.encoding);
			if (current === undefined) return notConfigured(`${spec.displayName} public key (32 bytes, ${spec.encoding})`);
			const previous = saved.previous === '' ? undefined : ed25519PublicKey(saved.previous, spec.encoding);

			const header = requiredHeader(request, spec.signatureHeader);
			if (isRejected(header)) return header;
			const signature = ed25519Signature(header, spec.encoding);
			if (signature === undefined) return signatureRejection('malformed');
			const timestamp = requiredHeader(request, spec.timestampHeader, 'timestamp');
			if (isRejected(timestamp)) return timestamp;
			const check = checkTimestampSeconds(timestamp, request?.now, toleranceOf(credentials));
			if (check.kind === 'malformed') return reject('malformed_timestamp');
			// Before the signature: an old but validly signed request is a replay.
			if (check.kind === 'outside') return outsideTolerance(check);

			const message = Buffer.concat([Buffer.from(timestamp + spec.separator, 'utf8'), rawBytes(request)]);
			// Both keys checked, always: timing must not tell which one matched.
			const byCurrent = verifyEd25519(current, message, signature);
			const byPrevious = previous !== undefined && verifyEd25519(previous, message, signature);
			if (!byCurrent && !byPrevious) return signatureRejection('mismatch');
			const handshake = spec.handshake?.(request);
			if (handshake !== undefined) return handshake;
			const details = { algorithm: 'ed25519', secret: byCurrent ? 'current' : 'previous', timestamp: check.seconds };
			return accept(scheme, details, hidden);
		},
		redactions: () => ({ headers: [...hidden.headers], query: [] }),
		secretFields: hidden,
	};
}
