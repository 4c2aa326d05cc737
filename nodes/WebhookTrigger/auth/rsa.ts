import { createPublicKey, verify, type KeyObject } from 'crypto';

import { LruCache } from '../gate/lru';
import { BASE64, canonicalBase64 } from './base64';

/**
 * RSA PKCS#1 v1.5 / SHA-256 signature checks (node:crypto), for providers that publish an RSA public
 * key (Wise). The key comes from the credential as pasted PEM (or its base64 DER body); none is
 * fetched at call time. Signatures are base64.
 */
const keys = new LruCache<string, KeyObject>(64);
/** Below 2048 bits a key is no longer safe to trust (NIST SP 800-131A). */
const MIN_BITS = 2048;

/**
 * The RSA public key of a pasted PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`) or base64 DER SPKI text, or
 * undefined. The armour is read, not trusted to keep its line breaks: a single-line password field
 * may turn them into spaces.
 */
export function rsaPublicKey(value: string): KeyObject | undefined {
	const pkcs1 = /-----BEGIN RSA PUBLIC KEY-----/.test(value);
	const text = value.replace(/-----(BEGIN|END) (RSA )?PUBLIC KEY-----/g, '').replace(/\s+/g, '');
	if (!BASE64.test(text)) return undefined;
	const cacheKey = (pkcs1 ? 'pkcs1:' : 'spki:') + text;
	let key = keys.get(cacheKey);
	if (!key) {
		try {
			key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: pkcs1 ? 'pkcs1' : 'spki' });
		} catch {
			return undefined;
		}
		if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_BITS) return undefined;
		keys.set(cacheKey, key);
	}
	return key;
}

/**
 * The signature bytes of a canonical base64 text, or undefined: 256 to 512 bytes (2048- to
 * 4096-bit keys), and no other text decoding to the same bytes.
 */
export function rsaSignature(text: string): Buffer | undefined {
	const bytes = canonicalBase64(text, 700);
	return bytes !== undefined && bytes.length >= 256 && bytes.length <= 512 ? bytes : undefined;
}

export function verifyRsaSha256(key: KeyObject, message: Buffer, signature: Buffer): boolean {
	try {
		return verify('sha256', message, key, signature);
	} catch {
		return false;
	}
}
