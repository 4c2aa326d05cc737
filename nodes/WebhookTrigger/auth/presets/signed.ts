import type { VerifierCode } from '../../replies';
import { stripPrefix, type HmacAlgorithm, type SignatureEncoding, type SignedBytes } from '../hmac-core';
import { rawBytes, readHeader } from '../request';
import { checkRotated, rotatingSecrets, type RotatingSecrets } from '../rotation';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from '../timestamp';
import type { Handshake, Redactions, Rejected, SchemeName, VerificationRequest } from '../types';
import {
	accept,
	notConfigured,
	reject,
	signatureRejection,
	type PresetDefaults,
	type SchemeVerifier,
} from '../verifier';

/**
 * A provider preset that signs with a shared secret. The provider module only *parses* the request
 * into what was signed; this module and hmac-core do the rest (secrets and rotation, replay window,
 * cryptography), so adding a provider touches no crypto.
 */

/** The credential every such preset uses (credentials/WebhookSigningSecretApi.credentials.ts). */
export interface SigningSecretCredentials {
	secret: string;
	previousSecret?: string;
	toleranceSeconds?: number;
}

const SIGNING_SECRET_CREDENTIAL = 'webhookSigningSecretApi';

type Presented = Pick<SchemeVerifier<SigningSecretCredentials>, 'scheme' | 'credentialType' | 'displayName' | 'description' | 'requirements'>;

/** How a scheme on that credential presents itself: its names, and the Secret it requires. */
export function onSigningSecret(scheme: string, spec: { displayName: string; description: string }): Presented {
	return {
		scheme,
		credentialType: SIGNING_SECRET_CREDENTIAL,
		displayName: spec.displayName,
		description: spec.description,
		requirements: { secrets: [{ field: 'secret', label: 'Secret' }] },
	};
}

/** What the request says was signed. `timestamp`: whole seconds as sent, for schemes that sign one. */
export interface ParsedSignature {
	payload: SignedBytes;
	candidates: string[];
	timestamp?: string;
}

export interface SignedPresetSpec {
	scheme: SchemeName;
	displayName: string;
	description: string;
	algorithm: HmacAlgorithm;
	encoding: SignatureEncoding;
	/** Signs a timestamp: `parse` must return one, checked against the credential's tolerance. */
	timestamped: boolean;
	/** `credentials` for what the node adds to them (the public `webhookUrl` of URL-signing presets). */
	parse(request: VerificationRequest, credentials?: unknown): ParsedSignature | Rejected;
	/** Turns the saved secret into the HMAC key (Standard Webhooks: base64 after `whsec_`). */
	key?(secret: string): string | Buffer | undefined;
	/** A handshake answered only after the signature verified (Zoom url_validation). */
	handshake?(request: VerificationRequest, key: string | Buffer): Handshake | Rejected | undefined;
	/**
	 * Once the signature verified: a rejection when an unsigned part of the call contradicts a
	 * signed one (Mercado Pago: the body's data.id against the signed query data.id).
	 */
	consistent?(request: VerificationRequest): Rejected | undefined;
	secretFields: Redactions;
	preset: PresetDefaults;
}

export function isRejected(value: unknown): value is Rejected {
	return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'rejected';
}

const REQUIRED_HEADER_CODES = {
	signature: { missing: 'missing_signature', malformed: 'malformed_signature' },
	timestamp: { missing: 'missing_timestamp', malformed: 'malformed_timestamp' },
} as const satisfies Record<string, Record<'missing' | 'malformed', VerifierCode>>;

/** The value of a required header, or the rejection for its absence or repetition. */
export function requiredHeader(
	request: VerificationRequest,
	name: string,
	what: keyof typeof REQUIRED_HEADER_CODES = 'signature',
): string | Rejected {
	const field = readHeader(request, name);
	if (field.kind === 'present') return field.value;
	return field.kind === 'missing'
		? reject(REQUIRED_HEADER_CODES[what].missing, `The request carries no ${name} header`)
		: reject(REQUIRED_HEADER_CODES[what].malformed, `Send exactly one ${name} header`);
}

/** The signature after the fixed prefix (`sha256=`, `v0=`) of a required header, or the rejection. */
export function prefixedSignature(request: VerificationRequest, name: string, prefix: string): string | Rejected {
	const header = requiredHeader(request, name);
	if (isRejected(header)) return header;
	return stripPrefix(header, prefix) ?? signatureRejection('malformed');
}

/**
 * The raw body with `prefix` (e.g. `${t}.`) in front: the body's bytes as sent (not copied), the
 * text hashed as UTF-8 by the HMAC (no Buffer made for it).
 */
export function prefixed(prefix: string, request: VerificationRequest, suffix = ''): SignedBytes {
	return suffix === '' ? [prefix, rawBytes(request)] : [prefix, rawBytes(request), suffix];
}

export function signedPreset(spec: SignedPresetSpec): SchemeVerifier<SigningSecretCredentials> {
	const redact = spec.secretFields;
	// Made once, not per call: this runs on every request.
	const toKey = spec.key ?? ((secret: string) => secret);
	return {
		...onSigningSecret(spec.scheme, spec),
		preset: spec.preset,
		signsTimestamp: spec.timestamped,
		verify(request, credentials) {
			const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
			if (saved.current === '') return notConfigured(`${spec.displayName} signing secret`);
			const current = toKey(saved.current);
			if (current === undefined) return notConfigured(`${spec.displayName} signing secret (in the expected format)`);
			const secrets: RotatingSecrets = {
				current,
				previous: saved.previous === '' ? '' : (toKey(saved.previous) ?? ''),
			};

			const parsed = spec.parse(request, credentials);
			if (isRejected(parsed)) return parsed;
			let timestamp: number | undefined;
			if (spec.timestamped) {
				const check = checkTimestampSeconds(parsed.timestamp ?? '', request?.now, toleranceOf(credentials));
				if (check.kind === 'malformed') {
					return parsed.timestamp === undefined || parsed.timestamp === ''
						? reject('missing_timestamp')
						: reject('malformed_timestamp');
				}
				// Before the signature: an old but validly signed request is a replay.
				if (check.kind === 'outside') return outsideTolerance(check);
				timestamp = check.seconds;
			}

			const result = checkRotated(
				{ payload: parsed.payload, candidates: parsed.candidates, algorithm: spec.algorithm, encoding: spec.encoding },
				secrets,
			);
			if (result.outcome !== 'valid') return signatureRejection(result.outcome);
			const contradiction = spec.consistent?.(request);
			if (contradiction !== undefined) return contradiction;

			const handshake = spec.handshake?.(request, result.secret === 'current' ? secrets.current : secrets.previous);
			if (handshake !== undefined) return handshake;
			const details: Record<string, unknown> = { algorithm: spec.algorithm, secret: result.secret };
			if (timestamp !== undefined) details.timestamp = timestamp;
			return accept(spec.scheme, details, redact);
		},
		redactions: () => ({ headers: [...redact.headers], query: [...redact.query] }),
		secretFields: redact,
	};
}
