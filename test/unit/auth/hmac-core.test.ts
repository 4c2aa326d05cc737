import { createHmac } from 'crypto';

import {
	checkSignature,
	computeHmac,
	isHmacAlgorithm,
	isSignatureEncoding,
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
// The same digest in the URL alphabet, unpadded (RFC 4648 §5, as JWT-style senders write it).
const PING_B64URL = 'P52sSS5yvHpwML4Thac4NUDhtazx-MHNw2c_zjSROUUtSlaPI-bE2kIZgYEuZvu3Nz3MpLE3C6DikuM6LeHbIw';

describe('computeHmac', () => {
	it('reproduces the RFC 2202 and RFC 4231 vectors', () => {
		expect(computeHmac('sha1', 'Jefe', JEFE).toString('hex')).toBe(JEFE_SHA1);
		expect(computeHmac('sha256', 'Jefe', JEFE).toString('hex')).toBe(JEFE_SHA256);
		expect(computeHmac('sha512', 'Jefe', JEFE).toString('hex')).toBe(JEFE_SHA512);
	});

	it('encodes base64 and accepts a Buffer secret', () => {
		expect(computeHmac('sha512', 'rotate-me', PING).toString('base64')).toBe(PING_SHA512_B64);
		expect(computeHmac('sha1', Buffer.from('Jefe'), JEFE).toString('hex')).toBe(JEFE_SHA1);
	});
});

// A candidate that is not well formed (wrong alphabet, length or padding for the digest) is
// 'malformed', whatever the secret: checkSignature decodes before it compares.
function isWellFormedSignature(candidate: string, algorithm: 'sha1' | 'sha256' | 'sha512', encoding: 'hex' | 'base64'): boolean {
	return checkSignature({ payload: JEFE, algorithm, encoding, candidates: [candidate] }, ['any']) !== 'malformed';
}

describe('well-formed signatures', () => {
	it('requires hex of exactly twice the digest size', () => {
		expect(isWellFormedSignature(JEFE_SHA1, 'sha1', 'hex')).toBe(true);
		expect(isWellFormedSignature(JEFE_SHA1.toUpperCase(), 'sha1', 'hex')).toBe(true);
		expect(isWellFormedSignature(JEFE_SHA1, 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(JEFE_SHA256.slice(1), 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(`${JEFE_SHA256}0`, 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(`g${JEFE_SHA256.slice(1)}`, 'sha256', 'hex')).toBe(false);
		expect(isWellFormedSignature(JEFE_SHA512, 'sha512', 'hex')).toBe(true);
	});

	it('requires base64 of the digest size, canonical in every bit', () => {
		expect(isWellFormedSignature(PING_SHA512_B64, 'sha512', 'base64')).toBe(true);
		expect(isWellFormedSignature(PING_SHA512_B64, 'sha256', 'base64')).toBe(false);
		// A 20-byte sha1 in base64; changing the last char to 'h' sets unused pad bits: not canonical.
		expect(isWellFormedSignature('WBLKyu5vB0CIYIWP6pGSl+IXPhg=', 'sha1', 'base64')).toBe(true);
		expect(isWellFormedSignature('WBLKyu5vB0CIYIWP6pGSl+IXPhh=', 'sha1', 'base64')).toBe(false);
		expect(isWellFormedSignature('WBLKyu5vB0CIYIWP6pGSl+IXPhh', 'sha1', 'base64')).toBe(false);
		expect(isWellFormedSignature('WBLKyu5vB0CIYIWP6pGSl-IXPhh', 'sha1', 'base64')).toBe(false);
	});

	it('rejects non-strings and huge values', () => {
		expect(isWellFormedSignature(undefined as unknown as string, 'sha1', 'hex')).toBe(false);
		expect(isWellFormedSignature('a'.repeat(1_000_000), 'sha256', 'hex')).toBe(false);
	});
});

// How candidates compare with the digest: by their decoded bytes, through checkSignature (the one
// comparison the verifiers use).
describe('checkSignature: comparing candidates', () => {
	const jefe = (candidates: string[]) => checkSignature({ payload: JEFE, algorithm: 'sha256', encoding: 'hex', candidates }, ['Jefe']);
	const ping = (candidates: string[]) => checkSignature({ payload: PING, algorithm: 'sha512', encoding: 'base64', candidates }, ['rotate-me']);

	it('compares hex case-insensitively', () => {
		expect(jefe([JEFE_SHA256.toUpperCase()])).toBe('valid');
	});

	it('compares base64 by its bytes: case matters, the documented forms are equal', () => {
		expect(ping([PING_SHA512_B64])).toBe('valid');
		expect(ping([PING_SHA512_B64.toLowerCase()])).not.toBe('valid');
		expect(ping([PING_SHA512_B64.replace(/=+$/, '')])).toBe('valid');
		expect(ping([PING_B64URL])).toBe('valid');
	});

	it('never matches a candidate that does not decode', () => {
		expect(jefe(['not a signature'])).toBe('malformed');
		expect(checkSignature({ payload: JEFE, algorithm: 'sha256', encoding: 'base64', candidates: [computeHmac('sha256', 'Jefe', JEFE).toString('base64url')] }, ['Jefe'])).toBe('valid');
	});

	it('is valid when any candidate matches, not for none or an empty list', () => {
		expect(jefe(['00'.repeat(32), JEFE_SHA256])).toBe('valid');
		expect(jefe(['00'.repeat(32)])).toBe('mismatch');
		expect(jefe([])).toBe('missing');
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
		const forged = computeHmac('sha256', '', JEFE).toString('hex');
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

describe('base64 forms a provider may send (weakness 9)', () => {
	const payload = Buffer.from('{"id":"evt_1","type":"order.paid"}');
	const secret = 'whsec_forms';
	const forms = (digest: Buffer) => {
		const padded = digest.toString('base64');
		const unpadded = padded.replace(/=+$/, '');
		return {
			padded,
			unpadded,
			url: digest.toString('base64url'),
			urlPadded: digest.toString('base64url') + '='.repeat(padded.length - unpadded.length),
		};
	};

	it.each(['sha1', 'sha256', 'sha512'] as const)('accepts padded, unpadded and URL-alphabet %s', (algorithm) => {
		const digest = computeHmac(algorithm, secret, payload);
		for (const [form, candidate] of Object.entries(forms(digest))) {
			const outcome = checkSignature({ payload, algorithm, encoding: 'base64', candidates: [candidate] }, [secret]);
			expect([form, outcome]).toEqual([form, 'valid']);
		}
	});

	it('reports a well-formed signature of another digest as mismatch in every form', () => {
		const other = computeHmac('sha256', 'another secret', payload);
		for (const candidate of Object.values(forms(other))) {
			expect(checkSignature({ payload, algorithm: 'sha256', encoding: 'base64', candidates: [candidate] }, [secret])).toBe(
				'mismatch',
			);
		}
	});

	it('keeps refusing what is not one of those forms as malformed', () => {
		// PING_SHA512_B64 contains both '+' and '/', so one swap leaves the alphabets mixed.
		const sha512 = (candidate: string) =>
			checkSignature({ payload: PING, algorithm: 'sha512', encoding: 'base64', candidates: [candidate] }, ['rotate-me']);
		expect(sha512(PING_SHA512_B64)).toBe('valid');
		expect(sha512(PING_B64URL)).toBe('valid');
		const malformed = [
			PING_SHA512_B64.replace('+', '-'), // mixed alphabets
			PING_B64URL.replace('_', '/'), // mixed alphabets
			PING_SHA512_B64.replace(/==$/, '='), // partial padding
			`${PING_SHA512_B64}=`, // too much padding
			`${PING_B64URL}A`, // too long
			PING_B64URL.slice(1), // too short
			`${PING_SHA512_B64.slice(0, 40)}=${PING_SHA512_B64.slice(41)}`, // padding inside
			`${PING_SHA512_B64.slice(0, 40)} ${PING_SHA512_B64.slice(41)}`, // whitespace
			`${PING_SHA512_B64.slice(0, 40)}\n${PING_SHA512_B64.slice(41)}`, // line break
			`${PING_SHA512_B64.slice(0, 85)}x==`, // bits set after the last byte ('w' → 'x')
			`${PING_B64URL.slice(0, 85)}x`, // the same, unpadded
		];
		for (const candidate of malformed) expect([candidate, sha512(candidate)]).toEqual([candidate, 'malformed']);
	});

	it('still compares hex by bytes, in either case, and never accepts base64 for hex', () => {
		expect(checkSignature({ payload: JEFE, algorithm: 'sha256', encoding: 'hex', candidates: [JEFE_SHA256.toUpperCase()] }, ['Jefe'])).toBe(
			'valid',
		);
		const b64 = Buffer.from(JEFE_SHA256, 'hex').toString('base64');
		expect(checkSignature({ payload: JEFE, algorithm: 'sha256', encoding: 'hex', candidates: [b64] }, ['Jefe'])).toBe('malformed');
	});
});

describe('computeHmac', () => {
	const body = Buffer.from('{"id":"evt_1"}');

	it('hashes parts in order exactly as their concatenation (no copy of the body)', () => {
		const whole = createHmac('sha256', 'k').update(Buffer.concat([Buffer.from('17.'), body])).digest();
		expect(computeHmac('sha256', 'k', [Buffer.from('17.'), body])).toEqual(whole);
		expect(computeHmac('sha256', 'k', [Buffer.from('1'), Buffer.from('7.'), body])).toEqual(whole);
		expect(computeHmac('sha256', 'k', [body, Buffer.from('17.')])).not.toEqual(whole);
	});

	it('keeps one prepared key per secret: many secrets, each still gives its own HMAC', () => {
		for (let i = 0; i < 200; i++) {
			const secret = `secret-${i % 70}`;
			expect(computeHmac('sha256', secret, body)).toEqual(createHmac('sha256', secret).update(body).digest());
		}
		const bytes = Buffer.from([0xff, 0x00, 0x10]);
		expect(computeHmac('sha1', bytes, body)).toEqual(createHmac('sha1', bytes).update(body).digest());
		expect(computeHmac('sha512', 'secret-1', body)).toEqual(createHmac('sha512', 'secret-1').update(body).digest());
	});
});

// checkSignature writes each digest into one Buffer per algorithm, reused across calls: no call may
// see another's bytes.
describe('checkSignature: the reused digest buffer', () => {
	const first = { body: Buffer.from('{"id":"evt_1"}'), secret: 'first-secret' };
	const second = { body: Buffer.from('{"id":"evt_2","amount":100}'), secret: 'second-secret' };
	const signed = (algorithm: 'sha1' | 'sha256' | 'sha512', { body, secret }: { body: Buffer; secret: string }) =>
		createHmac(algorithm, secret).update(body).digest('hex');
	const check = (
		algorithm: 'sha1' | 'sha256' | 'sha512',
		{ body, secret }: { body: Buffer; secret: string },
		candidate: string,
	) => checkSignature({ payload: body, algorithm, encoding: 'hex', candidates: [candidate] }, [secret]);

	it.each(['sha1', 'sha256', 'sha512'] as const)('gives each of two successive %s checks its own answer', (algorithm) => {
		expect(check(algorithm, first, signed(algorithm, first))).toBe('valid');
		expect(check(algorithm, second, signed(algorithm, second))).toBe('valid');
		// The previous check's digest (still in the buffer if it were not overwritten) never matches.
		expect(check(algorithm, second, signed(algorithm, first))).toBe('mismatch');
		expect(check(algorithm, first, signed(algorithm, second))).toBe('mismatch');
		// Same body, other secret; same secret, other body.
		expect(check(algorithm, { body: first.body, secret: second.secret }, signed(algorithm, first))).toBe('mismatch');
		expect(check(algorithm, { body: second.body, secret: first.secret }, signed(algorithm, first))).toBe('mismatch');
		expect(check(algorithm, first, signed(algorithm, first))).toBe('valid');
	});

	it('keeps the algorithms apart when checks alternate between them', () => {
		for (let i = 0; i < 3; i++) {
			expect(check('sha256', first, signed('sha256', first))).toBe('valid');
			expect(check('sha1', second, signed('sha1', second))).toBe('valid');
			expect(check('sha512', first, signed('sha512', second))).toBe('mismatch');
		}
	});

	it('checks every secret of a rotation against its own digest', () => {
		const message = { payload: first.body, algorithm: 'sha256' as const, encoding: 'hex' as const, candidates: [signed('sha256', first)] };
		expect(checkSignature(message, [first.secret, second.secret])).toBe('valid');
		expect(checkSignature(message, [second.secret, first.secret])).toBe('valid');
		expect(checkSignature(message, [second.secret, 'third-secret'])).toBe('mismatch');
	});

	it('refuses a signature of the wrong length before comparing, without throwing', () => {
		const right = signed('sha256', first);
		for (const candidate of [right.slice(0, -2), `${right}00`, signed('sha1', first), signed('sha512', first)]) {
			expect(check('sha256', first, candidate)).toBe('malformed');
		}
		const base64 = createHmac('sha256', first.secret).update(first.body).digest();
		const wrongLength = (bytes: Buffer) =>
			checkSignature({ payload: first.body, algorithm: 'sha256', encoding: 'base64', candidates: [bytes.toString('base64')] }, [first.secret]);
		expect(wrongLength(base64)).toBe('valid');
		expect(wrongLength(base64.subarray(0, 31))).toBe('malformed');
		expect(wrongLength(Buffer.concat([base64, Buffer.from([0])]))).toBe('malformed');
	});

	it('leaves computeHmac returning a new Buffer each call, which later checks do not change', () => {
		const kept = computeHmac('sha256', first.secret, first.body);
		const copy = Buffer.from(kept);
		expect(computeHmac('sha256', first.secret, first.body)).not.toBe(kept);
		expect(check('sha256', second, signed('sha256', second))).toBe('valid');
		expect(kept).toEqual(copy);
	});
});
