import {
	checkSignature,
	computeHmac,
	encodeDigest,
	isHmacAlgorithm,
	isSignatureEncoding,
	isWellFormedSignature,
	matchSignature,
	stripPrefix,
} from '../../../nodes/WebhookTrigger/auth/hmac-core';

// RFC 2202 / RFC 4231 test case 2 (key "Jefe"), cross-checked with `openssl dgst -hmac Jefe`.
const JEFE = Buffer.from('what do ya want for nothing?');
const JEFE_SHA1 = 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79';
const JEFE_SHA256 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
const JEFE_SHA512 =
	'164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737';
// printf '{"event":"ping"}' | openssl dgst -sha512 -hmac rotate-me -binary | base64
const PING = Buffer.from('{"event":"ping"}');
const PING_SHA512_B64 =
	'P52sSS5yvHpwML4Thac4NUDhtazx+MHNw2c/zjSROUUtSlaPI+bE2kIZgYEuZvu3Nz3MpLE3C6DikuM6LeHbIw==';

describe('computeHmac / encodeDigest', () => {
	it('reproduces the RFC 2202 and RFC 4231 vectors', () => {
		expect(encodeDigest(computeHmac('sha1', 'Jefe', JEFE), 'hex')).toBe(JEFE_SHA1);
		expect(encodeDigest(computeHmac('sha256', 'Jefe', JEFE), 'hex')).toBe(JEFE_SHA256);
		expect(encodeDigest(computeHmac('sha512', 'Jefe', JEFE), 'hex')).toBe(JEFE_SHA512);
	});

	it('encodes base64 and accepts a Buffer secret', () => {
		expect(encodeDigest(computeHmac('sha512', 'rotate-me', PING), 'base64')).toBe(PING_SHA512_B64);
		expect(encodeDigest(computeHmac('sha1', Buffer.from('Jefe'), JEFE), 'hex')).toBe(JEFE_SHA1);
	});
});

describe('isWellFormedSignature', () => {
	it('requires hex of exactly twice the digest size', () => {
		expect(isWellFormedSignature(JEFE_SHA1, 'sha1', 'hex')).toBe(true);
		expect(isWellFormedSignature(JEFE_SHA1.toUpperCase(), 'sha1', 'hex')).toBe(true);
		expect(isWellFormedSignature(JEFE_SHA1, 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(JEFE_SHA256.slice(1), 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(`${JEFE_SHA256}0`, 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(`g${JEFE_SHA256.slice(1)}`, 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(JEFE_SHA512, 'sha512', 'hex')).toBe(true);
	});

	it('requires canonical, padded base64 of the digest size', () => {
		expect(isWellFormedSignature(PING_SHA512_B64, 'sha512', 'base64')).toBe(true);
		expect(isWellFormedSignature(PING_SHA512_B64.replace(/=+$/, ''), 'sha512', 'base64')).toBe(false);
		expect(isWellFormedSignature(PING_SHA512_B64.replace('+', '-'), 'sha512', 'base64')).toBe(false);
		expect(isWellFormedSignature(PING_SHA512_B64, 'sha256', 'base64')).toBe(false);
		// A 20-byte sha1 in base64; changing the last char to 'h' sets unused pad bits: not canonical.
		expect(isWellFormedSignature('WBLKyu5vB0CIYIWP6pGSl+IXPhg=', 'sha1', 'base64')).toBe(true);
		expect(isWellFormedSignature('WBLKyu5vB0CIYIWP6pGSl+IXPhh=', 'sha1', 'base64')).toBe(false);
	});

	it('rejects non-strings and huge values', () => {
		expect(isWellFormedSignature(undefined as unknown as string, 'sha1', 'hex')).toBe(false);
		expect(isWellFormedSignature('a'.repeat(1_000_000), 'sha256', 'hex')).toBe(false);
	});
});

describe('matchSignature', () => {
	it('compares hex case-insensitively', () => {
		expect(matchSignature([JEFE_SHA256.toUpperCase()], JEFE_SHA256, 'hex')).toBe(true);
	});

	it('compares base64 exactly', () => {
		expect(matchSignature([PING_SHA512_B64], PING_SHA512_B64, 'base64')).toBe(true);
		expect(matchSignature([PING_SHA512_B64.toLowerCase()], PING_SHA512_B64, 'base64')).toBe(false);
	});

	it('is true when any candidate matches, false for none or an empty list', () => {
		expect(matchSignature(['00'.repeat(32), JEFE_SHA256], JEFE_SHA256, 'hex')).toBe(true);
		expect(matchSignature(['00'.repeat(32)], JEFE_SHA256, 'hex')).toBe(false);
		expect(matchSignature([], JEFE_SHA256, 'hex')).toBe(false);
	});
});

describe('checkSignature', () => {
	const message = { payload: JEFE, algorithm: 'sha256', encoding: 'hex' } as const;

	it('is valid for the right signature', () => {
		expect(checkSignature({ ...message, candidates: [JEFE_SHA256] }, ['Jefe'])).toBe('valid');
	});

	it('reports missing, malformed and mismatch', () => {
		expect(checkSignature({ ...message, candidates: [] }, ['Jefe'])).toBe('missing');
		expect(checkSignature({ ...message, candidates: [JEFE_SHA1] }, ['Jefe'])).toBe('malformed');
		expect(checkSignature({ ...message, candidates: [JEFE_SHA256] }, ['Jeff'])).toBe('mismatch');
	});

	it('accepts any of several secrets (rotation)', () => {
		expect(checkSignature({ ...message, candidates: [JEFE_SHA256] }, ['old', 'Jefe'])).toBe('valid');
	});

	it('never matches with a blank secret, even against an HMAC made with an empty key', () => {
		const forged = encodeDigest(computeHmac('sha256', '', JEFE), 'hex');
		expect(checkSignature({ ...message, candidates: [forged] }, [''])).toBe('mismatch');
		expect(checkSignature({ ...message, candidates: [forged] }, [])).toBe('mismatch');
	});

	it('ignores malformed candidates next to a valid one', () => {
		expect(checkSignature({ ...message, candidates: ['zz', JEFE_SHA256] }, ['Jefe'])).toBe('valid');
	});
});

describe('stripPrefix / type guards', () => {
	it('strips a prefix case-insensitively and reports its absence', () => {
		expect(stripPrefix('sha256=abc', 'sha256=')).toBe('abc');
		expect(stripPrefix('SHA256=abc', 'sha256=')).toBe('abc');
		expect(stripPrefix('abc', 'sha256=')).toBeUndefined();
		expect(stripPrefix('sha1=abc', 'sha256=')).toBeUndefined();
		expect(stripPrefix('abc', '')).toBe('abc');
	});

	it('recognises algorithms and encodings', () => {
		expect(['sha1', 'sha256', 'sha512', 'md5', 5].map(isHmacAlgorithm)).toEqual([true, true, true, false, false]);
		expect(['hex', 'base64', 'base64url', null].map(isSignatureEncoding)).toEqual([true, true, false, false]);
	});
});
