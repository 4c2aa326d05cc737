import { createHmac, createSecretKey, timingSafeEqual } from 'crypto';
import type { Hmac, KeyObject } from 'crypto';

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
/** Each hex digit's value by character code (-1: not a hex digit), for decodeHex. */
const HEX_DIGITS = new Int8Array(128).fill(-1);
for (let code = 0; code < 128; code++) {
	const digit = parseInt(String.fromCharCode(code), 16);
	if (!Number.isNaN(digit)) HEX_DIGITS[code] = digit;
}
const BASE64_STANDARD = /^[A-Za-z0-9+/]+$/;
const BASE64_URL = /^[A-Za-z0-9_-]+$/;

/**
 * Signed bytes, whole or in parts hashed in order (`${t}.` + raw body: no copy of the body). Text
 * parts are hashed as UTF-8 by the HMAC itself, so no Buffer is made for them per call.
 */
export type SignedBytes = Buffer | ReadonlyArray<Buffer | string>;

export interface SignedMessage {
	/** Exactly the bytes the sender signed (raw body, or e.g. Slack's `v0:{ts}:` + raw body). */
	payload: SignedBytes;
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

/**
 * Secrets as KeyObjects, made once per secret: `createHmac` with a string or Buffer key prepares
 * the key on every call (13–15 µs on Node 24, more than hashing a 1 KB body), with a KeyObject it
 * does not. Bounded; holds secrets only in this process's memory, where n8n keeps the decrypted
 * credential anyway.
 */
// Strings by value (the secret itself is the key: no text is built per call), Buffers (decoded
// whsec_ keys) by their base64.
const textKeys = new Map<string, KeyObject>();
const bufferKeys = new Map<string, KeyObject>();
const MAX_SECRET_KEYS = 64;

function keyOf(secret: string | Buffer): KeyObject {
	const isBuffer = Buffer.isBuffer(secret);
	const keys = isBuffer ? bufferKeys : textKeys;
	const cacheKey = isBuffer ? secret.toString('base64') : secret;
	let key = keys.get(cacheKey);
	if (!key) {
		key = createSecretKey(isBuffer ? secret : Buffer.from(secret, 'utf8'));
		// Secrets change rarely: dropping the oldest is enough (an LRU's re-insert per hit costs more).
		if (keys.size >= MAX_SECRET_KEYS) keys.delete(keys.keys().next().value as string);
		keys.set(cacheKey, key);
	}
	return key;
}

function hmacOf(algorithm: HmacAlgorithm, secret: string | Buffer, payload: SignedBytes): Hmac {
	const hmac = createHmac(algorithm, keyOf(secret));
	if (Buffer.isBuffer(payload)) return hmac.update(payload);
	// update() reads text as UTF-8 (its default): the bytes the sender signed.
	for (const part of payload) hmac.update(part);
	return hmac;
}

/** The HMAC in a new Buffer, the caller's to keep. */
export function computeHmac(algorithm: HmacAlgorithm, secret: string | Buffer, payload: SignedBytes): Buffer {
	return hmacOf(algorithm, secret, payload).digest();
}

/**
 * One Buffer per algorithm that checkSignature's digests are written into, so a check allocates no
 * Buffer per secret: digest('binary') gives the bytes as a one-byte (latin1) string, which write()
 * copies in. Sharing is safe because checkSignature is synchronous: a digest is written and compared
 * before anything else can run, and every call overwrites all of its algorithm's bytes.
 */
const SCRATCH_DIGESTS: Record<HmacAlgorithm, Buffer> = {
	sha1: Buffer.alloc(DIGEST_BYTES.sha1),
	sha256: Buffer.alloc(DIGEST_BYTES.sha256),
	sha512: Buffer.alloc(DIGEST_BYTES.sha512),
};

/** The HMAC in its algorithm's scratch Buffer: valid only until the next call. */
function scratchHmac(algorithm: HmacAlgorithm, secret: string | Buffer, payload: SignedBytes): Buffer {
	const scratch = SCRATCH_DIGESTS[algorithm];
	const written = scratch.write(hmacOf(algorithm, secret, payload).digest('binary'), 'latin1');
	// Cannot happen (a digest has its algorithm's size); checked so a short write never compares stale bytes.
	if (written !== scratch.length) throw new Error(`${algorithm} digest of ${written} bytes, expected ${scratch.length}`);
	return scratch;
}

/**
 * Checked and decoded in one pass (a regex test and Buffer.from cost twice as much, on every call).
 * Only [0-9a-fA-F] is a digit: Buffer.from would read a two-byte character by its low byte.
 */
function decodeHex(text: string, byteLength: number): Buffer | undefined {
	if (text.length !== byteLength * 2) return undefined;
	const bytes = Buffer.allocUnsafe(byteLength);
	for (let i = 0; i < byteLength; i++) {
		const high = text.charCodeAt(2 * i);
		const low = text.charCodeAt(2 * i + 1);
		const value = ((high < 128 ? HEX_DIGITS[high] : -1) << 4) | (low < 128 ? HEX_DIGITS[low] : -1);
		if (value < 0) return undefined;
		bytes[i] = value;
	}
	return bytes;
}

/**
 * The bytes a candidate signature stands for, or undefined when it is malformed. Hex: exactly twice
 * the digest size, either case. Base64: the standard (`+/`) or URL (`-_`) alphabet, not mixed,
 * with full `=` padding or none (providers send all four forms: RFC 4648 §4 and §5, padding
 * optional per §3.2). Anything else (whitespace, partial or inner padding, set bits after the last
 * byte) is malformed, so no two different strings decode to the same bytes except these forms.
 */
function decodeSignature(candidate: unknown, byteLength: number, encoding: SignatureEncoding): Buffer | undefined {
	if (typeof candidate !== 'string') return undefined;
	if (encoding === 'hex') return decodeHex(candidate, byteLength);
	const unpadded = Math.ceil((byteLength * 4) / 3);
	const padded = Math.ceil(byteLength / 3) * 4;
	if (candidate.length !== unpadded && candidate.length !== padded) return undefined;
	const body = candidate.slice(0, unpadded);
	if (candidate.slice(unpadded) !== '='.repeat(candidate.length - unpadded)) return undefined;
	const urlAlphabet = !BASE64_STANDARD.test(body);
	if (urlAlphabet && !BASE64_URL.test(body)) return undefined;
	const bytes = Buffer.from(body, urlAlphabet ? 'base64url' : 'base64');
	// Re-encoding catches set bits after the last byte, which Buffer.from silently drops.
	if (bytes.length !== byteLength || bytes.toString(urlAlphabet ? 'base64url' : 'base64').slice(0, unpadded) !== body) {
		return undefined;
	}
	return bytes;
}

/** The well-formed candidates as bytes: exactly the digest's length each. */
export function decodeCandidates(message: SignedMessage): Buffer[] {
	const byteLength = DIGEST_BYTES[message.algorithm];
	const decoded: Buffer[] = [];
	for (const candidate of message.candidates) {
		const bytes = decodeSignature(candidate, byteLength, message.encoding);
		if (bytes !== undefined) decoded.push(bytes);
	}
	return decoded;
}

/**
 * Checks the message against each secret (several during a rotation). Blank secrets never match.
 * `decoded`: decodeCandidates(message) when the caller already has it (rotation checks twice).
 */
export function checkSignature(
	message: SignedMessage,
	secrets: ReadonlyArray<string | Buffer>,
	decoded?: readonly Buffer[],
): SignatureOutcome {
	if (message.candidates.length === 0) return 'missing';
	decoded ??= decodeCandidates(message);
	if (decoded.length === 0) return 'malformed';
	let matched = false;
	for (const secret of secrets) {
		if (secret.length === 0) continue;
		const digest = scratchHmac(message.algorithm, secret, message.payload);
		// Every candidate against every secret, no early exit, so timing does not tell which matched.
		// Bytes, not text: hex is case-insensitive and the base64 forms are equal. A decoded candidate
		// has the digest's length by construction (decodeSignature refuses any other), so
		// timingSafeEqual over the two is constant-time and never throws.
		for (const bytes of decoded) matched = timingSafeEqual(bytes, digest) || matched;
	}
	return matched ? 'valid' : 'mismatch';
}

/** The value after `prefix` (compared case-insensitively: `sha256=` vs `SHA256=`), or undefined. */
export function stripPrefix(value: string, prefix: string): string | undefined {
	if (prefix === '') return value;
	// The usual case, exactly as configured: no lower-cased copies.
	if (value.startsWith(prefix)) return value.slice(prefix.length);
	if (value.length < prefix.length) return undefined;
	if (value.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
	return value.slice(prefix.length);
}
