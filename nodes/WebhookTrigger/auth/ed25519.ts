import { createPublicKey, verify, type KeyObject } from 'crypto';

/**
 * Ed25519 signature checks (node:crypto, no dependency), next to hmac-core for shared secrets.
 * Public keys come from the credential, as 32 raw bytes in hex; none is fetched at call time.
 */

// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410): the 32 key bytes follow.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const HEX_KEY = /^[0-9a-f]{64}$/i;
const HEX_SIGNATURE = /^[0-9a-f]{128}$/i;

const keys = new Map<string, KeyObject>();
const MAX_KEYS = 64;

/** The public key of a 64-hex-digit text, or undefined when it is not one. */
export function ed25519PublicKey(hex: string): KeyObject | undefined {
	const text = hex.trim().toLowerCase();
	if (!HEX_KEY.test(text)) return undefined;
	let key = keys.get(text);
	if (!key) {
		key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(text, 'hex')]), format: 'der', type: 'spki' });
		if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
		keys.set(text, key);
	}
	return key;
}

/** Whether the 128-hex-digit signature is `key`'s over `message`; anything malformed is false. */
export function verifyEd25519(key: KeyObject, message: Buffer, signatureHex: string): boolean {
	if (!HEX_SIGNATURE.test(signatureHex)) return false;
	try {
		return verify(null, message, key, Buffer.from(signatureHex, 'hex'));
	} catch {
		return false;
	}
}

export function isEd25519Signature(value: string): boolean {
	return HEX_SIGNATURE.test(value);
}
