import { createHmac } from 'crypto';
import { safeEqual } from './compare';

/**
 * The only module that computes HMACs. A scheme or provider preset parses its request into a
 * `SignedMessage` (exact bytes signed, candidate signatures, algorithm, encoding) and calls
 * `checkSignature`; it never touches crypto itself.
 */

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

export const HMAC_ALGORITHMS: readonly HmacAlgorithm[] = ['sha1', 'sha256', 'sha512'];
export const SIGNATURE_ENCODINGS: readonly SignatureEncoding[] = ['hex', 'base64'];

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };
const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface SignedMessage {
	/** Exactly the bytes the sender signed (raw body, or e.g. Slack's `v0:{ts}:` + raw body). */
	payload: Buffer;
	/** Every signature the request offers (several when a provider sends one per secret). */
	candidates: string[];
	algorithm: HmacAlgorithm;
	encoding: SignatureEncoding;
}

export type SignatureOutcome = 'valid' | 'missing' | 'malformed' | 'mismatch';

export function isHmacAlgorithm(value: unknown): value is HmacAlgorithm {
	return typeof value === 'string' && (HMAC_ALGORITHMS as readonly string[]).includes(value);
}

export function isSignatureEncoding(value: unknown): value is SignatureEncoding {
	return typeof value === 'string' && (SIGNATURE_ENCODINGS as readonly string[]).includes(value);
}

export function computeHmac(algorithm: HmacAlgorithm, secret: string | Buffer, payload: Buffer): Buffer {
	return createHmac(algorithm, secret).update(payload).digest();
}

export function encodeDigest(digest: Buffer, encoding: SignatureEncoding): string {
	return digest.toString(encoding);
}

/** Right alphabet and right length for the algorithm's digest; base64 must be canonical (padded). */
export function isWellFormedSignature(
	candidate: string,
	algorithm: HmacAlgorithm,
	encoding: SignatureEncoding,
): boolean {
	if (typeof candidate !== 'string') return false;
	const bytes = DIGEST_BYTES[algorithm];
	if (encoding === 'hex') return candidate.length === bytes * 2 && HEX.test(candidate);
	return (
		candidate.length === Math.ceil(bytes / 3) * 4 &&
		BASE64.test(candidate) &&
		Buffer.from(candidate, 'base64').toString('base64') === candidate
	);
}

/**
 * Compares every candidate (no early exit, so timing does not tell which one matched). Hex is
 * case-insensitive because senders differ; base64 is case-sensitive by nature, so exact.
 */
export function matchSignature(
	candidates: string[],
	expected: string,
	encoding: SignatureEncoding,
): boolean {
	const want = encoding === 'hex' ? expected.toLowerCase() : expected;
	let matched = false;
	for (const candidate of candidates) {
		const got = encoding === 'hex' ? candidate.toLowerCase() : candidate;
		matched = safeEqual(got, want) || matched;
	}
	return matched;
}

/** Checks the message against each secret (several during a rotation). Blank secrets never match. */
export function checkSignature(
	message: SignedMessage,
	secrets: ReadonlyArray<string | Buffer>,
): SignatureOutcome {
	if (message.candidates.length === 0) return 'missing';
	const wellFormed = message.candidates.filter((candidate) =>
		isWellFormedSignature(candidate, message.algorithm, message.encoding),
	);
	if (wellFormed.length === 0) return 'malformed';
	let matched = false;
	for (const secret of secrets) {
		if (secret.length === 0) continue;
		const expected = encodeDigest(computeHmac(message.algorithm, secret, message.payload), message.encoding);
		matched = matchSignature(wellFormed, expected, message.encoding) || matched;
	}
	return matched ? 'valid' : 'mismatch';
}

/** The value after `prefix` (compared case-insensitively: `sha256=` vs `SHA256=`), or undefined. */
export function stripPrefix(value: string, prefix: string): string | undefined {
	if (prefix === '') return value;
	if (value.length < prefix.length) return undefined;
	if (value.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
	return value.slice(prefix.length);
}
