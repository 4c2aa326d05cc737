import type { KeyObject } from 'crypto';

import { p256PublicKey, p256Signature, verifyP256 } from '../ecdsa';
import { ed25519PublicKey, ed25519Signature, verifyEd25519, type KeyEncoding } from '../ed25519';
import { rawBytes } from '../request';
import { rsaPublicKey, rsaSignature, verifyRsaSha256 } from '../rsa';
import { rotatingSecrets } from '../rotation';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from '../timestamp';
import type { Handshake, VerificationRequest } from '../types';
import { accept, notConfigured, reject, signatureRejection, type PresetDefaults, type SchemeVerifier } from '../verifier';
import { isRejected, requiredHeader, onSigningSecret, type SigningSecretCredentials } from './signed';

/**
 * A provider that signs `timestamp + separator + raw body` with Ed25519 (Discord, Telnyx) or ECDSA
 * P-256 / SHA-256 (SendGrid, key and signature base64 DER), or the raw body alone with RSA-SHA256
 * (Wise, which signs no timestamp). The credential's Secret holds the provider's public key
 * (Previous Secret: the old one while rotating); a timestamp (seconds) is checked against the
 * credential's Tolerance before the signature.
 */
export interface AsymmetricSpec {
	displayName: string;
	description: string;
	signatureHeader: string;
	/** Absent when the provider signs no timestamp (Wise): no replay window then. */
	timestampHeader?: string;
	/** Between the timestamp and the body (`|` for Telnyx, nothing for Discord). */
	separator?: string;
	/** How the signature and the public key are written (Ed25519: raw bytes; ECDSA: base64 DER). */
	encoding: KeyEncoding;
	/** Default Ed25519. RSA: PKCS#1 v1.5 with SHA-256, key as PEM, signature base64. */
	algorithm?: 'ed25519' | 'ecdsa-p256' | 'rsa-sha256';
	/** Answered once verified, without an execution (Discord PING). */
	handshake?(request: VerificationRequest): Handshake | undefined;
	preset: PresetDefaults;
}

interface Scheme {
	key(value: string): KeyObject | undefined;
	signature(text: string): Buffer | undefined;
	verify(key: KeyObject, message: Buffer, signature: Buffer): boolean;
}

function schemeOf(spec: AsymmetricSpec): Scheme {
	if (spec.algorithm === 'ecdsa-p256') return { key: p256PublicKey, signature: p256Signature, verify: verifyP256 };
	if (spec.algorithm === 'rsa-sha256') return { key: rsaPublicKey, signature: rsaSignature, verify: verifyRsaSha256 };
	return {
		key: (value) => ed25519PublicKey(value, spec.encoding),
		signature: (text) => ed25519Signature(text, spec.encoding),
		verify: verifyEd25519,
	};
}

export function asymmetricPreset(scheme: string, spec: AsymmetricSpec): SchemeVerifier<SigningSecretCredentials> {
	const crypto = schemeOf(spec);
	const algorithm = spec.algorithm ?? 'ed25519';
	const hidden = { headers: [spec.signatureHeader], query: [] };
	return {
		...onSigningSecret(scheme, spec),
		signsTimestamp: spec.timestampHeader !== undefined,
		preset: spec.preset,
		verify(request, credentials) {
			const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
			if (saved.current === '') return notConfigured(`${spec.displayName} public key`);
			const current = crypto.key(saved.current);
			if (current === undefined) return notConfigured(`${spec.displayName} public key (in the format the provider shows)`);
			const previous = saved.previous === '' ? undefined : crypto.key(saved.previous);

			const header = requiredHeader(request, spec.signatureHeader);
			if (isRejected(header)) return header;
			const signature = crypto.signature(header);
			if (signature === undefined) return signatureRejection('malformed');
			let seconds: number | undefined;
			let prefix = '';
			if (spec.timestampHeader !== undefined) {
				const timestamp = requiredHeader(request, spec.timestampHeader, 'timestamp');
				if (isRejected(timestamp)) return timestamp;
				const check = checkTimestampSeconds(timestamp, request?.now, toleranceOf(credentials));
				if (check.kind === 'malformed') return reject('malformed_timestamp');
				// Before the signature: an old but validly signed request is a replay.
				if (check.kind === 'outside') return outsideTolerance(check);
				seconds = check.seconds;
				prefix = timestamp + (spec.separator ?? '');
			}

			const message = prefix === '' ? rawBytes(request) : Buffer.concat([Buffer.from(prefix, 'utf8'), rawBytes(request)]);
			// Both keys checked, always: timing must not tell which one matched.
			const byCurrent = crypto.verify(current, message, signature);
			const byPrevious = previous !== undefined && crypto.verify(previous, message, signature);
			if (!byCurrent && !byPrevious) return signatureRejection('mismatch');
			const handshake = spec.handshake?.(request);
			if (handshake !== undefined) return handshake;
			const details: Record<string, unknown> = { algorithm, secret: byCurrent ? 'current' : 'previous' };
			if (seconds !== undefined) details.timestamp = seconds;
			return accept(scheme, details, hidden);
		},
		redactions: () => ({ headers: [...hidden.headers], query: [] }),
		secretFields: hidden,
	};
}
