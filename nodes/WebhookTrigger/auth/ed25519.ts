import { createPublicKey, verify, type KeyObject } from 'crypto';

import { LruCache } from '../gate/lru';
import { canonicalBase64 } from './base64';

/**
 * Ed25519 signature checks (node:crypto, no dependency), next to hmac-core for shared secrets.
 * Public keys come from the credential, as 32 raw bytes in hex (Discord) or base64 (Telnyx); none
 * is fetched at call time.
 */

// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410): the 32 key bytes follow.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;
const HEX_SIGNATURE = /^[0-9a-f]{128}$/i;
const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;

export type KeyEncoding = 'hex' | 'base64';

/** The 64 signature bytes of a hex or base64 text, or undefined when it is not one. */
export function ed25519Signature(text: string, encoding: KeyEncoding): Buffer | undefined {
	if (encoding === 'hex') return HEX_SIGNATURE.test(text) ? Buffer.from(text, 'hex') : undefined;
	return BASE64_SIGNATURE.test(text) ? canonicalBase64(text, 88) : undefined;
}

const keys = new LruCache<string, KeyObject>(64);

/** The public key of a 32-byte hex or base64 text, or undefined when it is not one. */
export function ed25519PublicKey(value: string, encoding: KeyEncoding = 'hex'): KeyObject | undefined {
	const trimmed = value.trim();
	const raw =
		encoding === 'hex'
			? HEX_KEY.test(trimmed) ? Buffer.from(trimmed, 'hex') : undefined
			: BASE64_KEY.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
	if (raw === undefined) return undefined;
	const text = raw.toString('hex');
	let key = keys.get(text);
	if (!key) {
		key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
		keys.set(text, key);
	}
	return key;
}

/** Whether the signature bytes are `key`'s over `message`; anything unusable is false. */
export function verifyEd25519(key: KeyObject, message: Buffer, signature: Buffer): boolean {
	try {
		return verify(null, message, key, signature);
	} catch {
		return false;
	}
}
