import type { KeyObject } from 'crypto';

import { ed25519PublicKey, ed25519Signature, verifyEd25519 } from '../ed25519';
import { checkSignature } from '../hmac-core';
import { rawBytes, readHeader } from '../request';
import { rotatingSecrets } from '../rotation';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from '../timestamp';
import type { Rejected, VerificationRequest, VerificationResult } from '../types';
import { accept, notConfigured, reject, signatureRejection, type SchemeVerifier } from '../verifier';
import { isRejected, prefixed, signedPreset, type SigningSecretCredentials } from './signed';

/**
 * Standard Webhooks (Svix and the platforms built on it: Resend, Clerk, …):
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> v1a,<base64>`, over
 * `${id}.${timestamp}.${body}`. `v1`: HMAC-SHA256, the `whsec_` secret is base64 and the key is the
 * decoded bytes. `v1a`: Ed25519, verified with the sender's `whpk_` public key (base64 of the 32 key
 * bytes); a `whsk_` secret key signs and stays with the sender. Current and previous key may be of
 * either kind (the spec lets a consumer switch). Svix sends the same headers as `svix-*`.
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
const NAMES = ['webhook', 'svix'];

function header(request: VerificationRequest, suffix: string): string | undefined | false {
	for (const prefix of NAMES) {
		const field = readHeader(request, `${prefix}-${suffix}`);
		if (field.kind === 'present') return field.value;
		if (field.kind === 'malformed') return false;
	}
	return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function standardWebhooksKey(secret: string): Buffer | undefined {
	const text = secret.trim().replace(/^whsec_/, '');
	if (!BASE64.test(text)) return undefined;
	const key = Buffer.from(text, 'base64');
	return key.length === 0 ? undefined : key;
}

interface Headers {
	id: string;
	timestamp: string | undefined;
	/** The space-separated `version,signature` pairs, as sent. */
	entries: string[];
}

function readHeaders(request: VerificationRequest): Headers | Rejected {
	const signature = header(request, 'signature');
	if (signature === undefined) return signatureRejection('missing');
	if (signature === false) return signatureRejection('malformed');
	const id = header(request, 'id');
	if (id === undefined || id === false) return reject('missing_id');
	const timestamp = header(request, 'timestamp');
	if (timestamp === false) return reject('malformed_timestamp', 'Send exactly one webhook-timestamp header');
	return { id, timestamp, entries: signature.split(' ') };
}

/** The signatures of one version (`v1`, `v1a`), version removed. */
function signaturesOf(entries: string[], version: string): string[] {
	return entries.filter((entry) => entry.startsWith(`${version},`)).map((entry) => entry.slice(version.length + 1));
}

const hmacVerifier = signedPreset({
	scheme: 'standardWebhooks',
	displayName: 'Standard Webhooks / Svix',
	description: 'webhook-id, webhook-timestamp, webhook-signature (v1 HMAC or v1a Ed25519) with a replay window',
	algorithm: 'sha256',
	encoding: 'base64',
	timestamped: true,
	key: standardWebhooksKey,
	parse(request) {
		const headers = readHeaders(request);
		if (isRejected(headers)) return headers;
		// Only v1 (HMAC) here; v1a is checked with a public key (verifyWithPublicKey).
		const candidates = signaturesOf(headers.entries, 'v1');
		if (candidates.length === 0) return signatureRejection('malformed');
		return { payload: prefixed(`${headers.id}.${headers.timestamp ?? ''}.`, request), candidates, timestamp: headers.timestamp };
	},
	secretFields: {
		headers: ['webhook-signature', 'svix-signature'],
		query: [],
	},
	preset: { eventPath: 'body.type', deliveryIdPath: 'headers.webhook-id' },
});

const isAsymmetric = (secret: string) => /^wh(pk|sk)_/.test(secret.trim());

/** A saved key as the check needs it: an HMAC key, an Ed25519 public key, or unusable. */
type Key = { kind: 'hmac'; key: Buffer } | { kind: 'ed25519'; key: KeyObject } | undefined;

function keyOf(secret: string): Key {
	const text = secret.trim();
	if (text.startsWith('whsk_')) return undefined;
	if (text.startsWith('whpk_')) {
		const key = ed25519PublicKey(text.slice(5), 'base64');
		return key && { kind: 'ed25519', key };
	}
	const key = standardWebhooksKey(text);
	return key && { kind: 'hmac', key };
}

function matches(key: Key, message: Buffer, entries: string[]): boolean {
	if (key === undefined) return false;
	if (key.kind === 'hmac') {
		const candidates = signaturesOf(entries, 'v1');
		return candidates.length > 0 && checkSignature({ payload: message, candidates, algorithm: 'sha256', encoding: 'base64' }, [key.key]) === 'valid';
	}
	let matched = false;
	for (const text of signaturesOf(entries, 'v1a')) {
		const signature = ed25519Signature(text, 'base64');
		// Every candidate checked, no early exit.
		if (signature !== undefined) matched = verifyEd25519(key.key, message, signature) || matched;
	}
	return matched;
}

/** The credential holds a `whpk_` public key (current or previous): v1a, or v1 for a `whsec_` beside it. */
function verifyWithPublicKey(request: VerificationRequest, credentials: unknown): VerificationResult {
	const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
	if (saved.current.trim().startsWith('whsk_') || saved.previous.trim().startsWith('whsk_')) {
		return notConfigured('Standard Webhooks public key (paste the whpk_ public key; a whsk_ secret key stays with the sender)');
	}
	const current = keyOf(saved.current);
	if (current === undefined) return notConfigured('Standard Webhooks public key (whpk_ and the base64 of 32 bytes)');
	const previous = saved.previous === '' ? undefined : keyOf(saved.previous);

	const headers = readHeaders(request);
	if (isRejected(headers)) return headers;
	if (signaturesOf(headers.entries, 'v1a').length + signaturesOf(headers.entries, 'v1').length === 0) {
		return signatureRejection('malformed');
	}
	const check = checkTimestampSeconds(headers.timestamp ?? '', request?.now, toleranceOf(credentials));
	if (check.kind === 'malformed') return headers.timestamp === undefined ? reject('missing_timestamp') : reject('malformed_timestamp');
	// Before the signature: an old but validly signed request is a replay.
	if (check.kind === 'outside') return outsideTolerance(check);

	const message = Buffer.concat([Buffer.from(`${headers.id}.${headers.timestamp ?? ''}.`, 'utf8'), rawBytes(request)]);
	// Both keys checked, always: timing must not tell which one matched.
	const byCurrent = matches(current, message, headers.entries);
	const byPrevious = matches(previous, message, headers.entries);
	if (!byCurrent && !byPrevious) return signatureRejection('mismatch');
	const used = byCurrent ? current : previous;
	return accept(
		'standardWebhooks',
		{ algorithm: used?.kind === 'ed25519' ? 'ed25519' : 'sha256', secret: byCurrent ? 'current' : 'previous', timestamp: check.seconds },
		hmacVerifier.secretFields,
	);
}

export const standardWebhooksVerifier: SchemeVerifier<SigningSecretCredentials> = {
	...hmacVerifier,
	verify(request, credentials) {
		const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
		return isAsymmetric(saved.current) || isAsymmetric(saved.previous)
			? verifyWithPublicKey(request, credentials)
			: hmacVerifier.verify(request, credentials);
	},
};
