import { createPublicKey, verify, type KeyObject } from 'crypto';

import { LruCache } from '../gate/lru';
import { BASE64, canonicalBase64 } from './base64';

/**
 * ECDSA P-256 / SHA-256 signature checks (node:crypto), for SendGrid's Event Webhook. The public
 * key comes from the credential as base64 DER (SubjectPublicKeyInfo), as SendGrid shows it; none is
 * fetched at call time. Signatures are base64 DER (ASN.1 r, s).
 */
const keys = new LruCache<string, KeyObject>(64);

/** The P-256 public key of a base64 DER text (PEM armour and whitespace allowed), or undefined. */
export function p256PublicKey(value: string): KeyObject | undefined {
	const text = value.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
	if (!BASE64.test(text)) return undefined;
	let key = keys.get(text);
	if (!key) {
		try {
			key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
		} catch {
			return undefined;
		}
		if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return undefined;
		keys.set(text, key);
	}
	return key;
}

/**
 * The DER signature bytes of a canonical base64 text, or undefined: one SEQUENCE (8 to 72 bytes)
 * whose length byte covers exactly the rest.
 */
export function p256Signature(text: string): Buffer | undefined {
	const bytes = canonicalBase64(text, 100);
	if (bytes === undefined) return undefined;
	return bytes.length >= 8 && bytes.length <= 72 && bytes[0] === 0x30 && bytes[1] === bytes.length - 2 ? bytes : undefined;
}

export function verifyP256(key: KeyObject, message: Buffer, signature: Buffer): boolean {
	try {
		return verify('sha256', message, key, signature);
	} catch {
		return false;
	}
}
