import { hmacVerifier, type HmacCredentials } from '../../../nodes/WebhookTrigger/auth/hmac';
import type {
	Rejected,
	VerificationRequest,
	VerificationResult,
} from '../../../nodes/WebhookTrigger/auth/types';

// Every expected signature below was computed with openssl, e.g.
//   printf '%s' "$BODY" | openssl dgst -sha1 -hmac "$SECRET"               (hex)
//   printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
const KIWIFY_BODY = '{"order_id":"abc123","order_status":"paid","webhook_event_type":"order_approved"}';
const KIWIFY_SECRET = 'kiwify-token-123';
const KIWIFY_SIG = '871a955dfd006e59d24aad32da062ed5f14399bd';
// GitHub's documented example (docs: "Validating webhook deliveries").
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_SIG = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
const SHOPIFY_BODY = '{"id":820982911946154508,"email":"jon@example.com"}';
const SHOPIFY_SIG = 'nQJrNUyeULD103MKHk+vmpJOTiKZBIVsZ9VB08ubAXU=';
const PING_SHA512_B64 =
	'P52sSS5yvHpwML4Thac4NUDhtazx+MHNw2c/zjSROUUtSlaPI+bE2kIZgYEuZvu3Nz3MpLE3C6DikuM6LeHbIw==';
const BINARY_BODY = Buffer.from([0xff, 0xfe, 0x00, 0x61, 0x62, 0x63, 0xc3]);
const BINARY_SIG = 'ab385682770a6efe16d8b917aa732380824739ae39b80d4274ea0ef680c8460a';

const kiwify: HmacCredentials = {
	secret: KIWIFY_SECRET,
	algorithm: 'sha1',
	source: 'query',
	parameterName: 'signature',
	encoding: 'hex',
	prefix: '',
};
const github: HmacCredentials = {
	secret: GITHUB_SECRET,
	algorithm: 'sha256',
	source: 'header',
	parameterName: 'X-Hub-Signature-256',
	encoding: 'hex',
	prefix: 'sha256=',
};

function req(
	body: string | Buffer,
	headers: VerificationRequest['headers'] = {},
	query: Record<string, unknown> = {},
): VerificationRequest {
	const rawBody = typeof body === 'string' ? Buffer.from(body) : body;
	return { method: 'POST', headers, query, rawBody, body: undefined, now: 0 };
}

function expectRejected(result: VerificationResult, status: number, code: string): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status, code });
	const text = JSON.stringify(result);
	for (const secret of [KIWIFY_SECRET, GITHUB_SECRET, 'shpss_example', 'rotate-me', KIWIFY_SIG]) {
		expect(text).not.toContain(secret);
	}
	return result as Rejected;
}

describe('hmac verifier: Kiwify shape (sha1, hex, query "signature")', () => {
	it('accepts the right signature, reports non-secret details, redacts the query parameter', () => {
		const result = hmacVerifier.verify(req(KIWIFY_BODY, {}, { signature: KIWIFY_SIG }), kiwify);
		expect(result).toEqual({
			kind: 'accepted',
			scheme: 'hmac',
			details: { algorithm: 'sha1', encoding: 'hex', source: 'query', parameterName: 'signature', secret: 'current' },
			redact: { headers: [], query: ['signature'] },
		});
		expect(JSON.stringify(result)).not.toContain(KIWIFY_SIG);
		expect(hmacVerifier.redactions(kiwify)).toEqual({ headers: [], query: ['signature'] });
		expect(hmacVerifier.credentialType).toBe('webhookHmacApi');
	});

	it('accepts upper-case hex', () => {
		const request = req(KIWIFY_BODY, {}, { signature: KIWIFY_SIG.toUpperCase() });
		expect(hmacVerifier.verify(request, kiwify).kind).toBe('accepted');
	});

	it('rejects a tampered body, a wrong secret and a wrong signature as signature_mismatch', () => {
		const tampered = KIWIFY_BODY.replace('paid', 'paiD');
		expectRejected(hmacVerifier.verify(req(tampered, {}, { signature: KIWIFY_SIG }), kiwify), 401, 'signature_mismatch');
		expectRejected(
			hmacVerifier.verify(req(KIWIFY_BODY, {}, { signature: KIWIFY_SIG }), { ...kiwify, secret: 'other' }),
			401,
			'signature_mismatch',
		);
		const flipped = `${KIWIFY_SIG.slice(0, -1)}c`;
		expectRejected(hmacVerifier.verify(req(KIWIFY_BODY, {}, { signature: flipped }), kiwify), 401, 'signature_mismatch');
	});

	it('rejects a missing or empty signature as missing_signature', () => {
		expectRejected(hmacVerifier.verify(req(KIWIFY_BODY), kiwify), 401, 'missing_signature');
		expectRejected(hmacVerifier.verify(req(KIWIFY_BODY, {}, { signature: '' }), kiwify), 401, 'missing_signature');
		// The signature in a header does not count when the source is the query.
		expectRejected(hmacVerifier.verify(req(KIWIFY_BODY, { signature: KIWIFY_SIG }), kiwify), 401, 'missing_signature');
	});

	it('rejects wrong length, non-hex, repeated and nested values as malformed_signature', () => {
		const bad: unknown[] = [
			KIWIFY_SIG.slice(2),
			`${KIWIFY_SIG}00`,
			`${KIWIFY_SIG.slice(0, -1)}z`,
			[KIWIFY_SIG, KIWIFY_SIG],
			{ a: KIWIFY_SIG },
			'x'.repeat(1_000_000),
		];
		for (const signature of bad) {
			expectRejected(hmacVerifier.verify(req(KIWIFY_BODY, {}, { signature }), kiwify), 401, 'malformed_signature');
		}
	});
});

describe('hmac verifier: header with prefix (GitHub vector)', () => {
	it('accepts the documented signature and redacts the lower-cased header', () => {
		expect(hmacVerifier.verify(req('Hello, World!', { 'x-hub-signature-256': GITHUB_SIG }), github)).toEqual({
			kind: 'accepted',
			scheme: 'hmac',
			details: { algorithm: 'sha256', encoding: 'hex', source: 'header', parameterName: 'x-hub-signature-256', secret: 'current' },
			redact: { headers: ['x-hub-signature-256'], query: [] },
		});
		expect(hmacVerifier.redactions(github)).toEqual({ headers: ['x-hub-signature-256'], query: [] });
	});

	it('requires the configured prefix', () => {
		const bare = GITHUB_SIG.slice('sha256='.length);
		expectRejected(hmacVerifier.verify(req('Hello, World!', { 'x-hub-signature-256': bare }), github), 401, 'malformed_signature');
		expectRejected(
			hmacVerifier.verify(req('Hello, World!', { 'x-hub-signature-256': `sha1=${bare}` }), github),
			401,
			'malformed_signature',
		);
	});

	it('rejects a repeated header as malformed and a missing one as missing', () => {
		const headers = { 'x-hub-signature-256': [GITHUB_SIG, GITHUB_SIG] };
		expectRejected(hmacVerifier.verify(req('Hello, World!', headers), github), 401, 'malformed_signature');
		expectRejected(hmacVerifier.verify(req('Hello, World!'), github), 401, 'missing_signature');
	});

	it('rejects a sha1-length signature under sha256 as malformed', () => {
		const headers = { 'x-hub-signature-256': `sha256=${KIWIFY_SIG}` };
		expectRejected(hmacVerifier.verify(req('Hello, World!', headers), github), 401, 'malformed_signature');
	});
});

describe('hmac verifier: base64 encodings and raw bytes', () => {
	const shopify: HmacCredentials = {
		secret: 'shpss_example',
		algorithm: 'sha256',
		source: 'header',
		parameterName: 'X-Shopify-Hmac-Sha256',
		encoding: 'base64',
		prefix: '',
	};

	it('accepts a sha256 base64 signature and compares base64 exactly', () => {
		expect(hmacVerifier.verify(req(SHOPIFY_BODY, { 'x-shopify-hmac-sha256': SHOPIFY_SIG }), shopify).kind).toBe('accepted');
		const swapped = SHOPIFY_SIG.replace('nQJ', 'nqJ');
		expectRejected(hmacVerifier.verify(req(SHOPIFY_BODY, { 'x-shopify-hmac-sha256': swapped }), shopify), 401, 'signature_mismatch');
	});

	it('accepts unpadded and url-safe base64 (RFC 4648 forms); rejects mixed alphabets or wrong length as malformed', () => {
		for (const sig of [SHOPIFY_SIG.replace('=', ''), SHOPIFY_SIG.replace('+', '-')]) {
			expect(hmacVerifier.verify(req(SHOPIFY_BODY, { 'x-shopify-hmac-sha256': sig }), shopify).kind).toBe('accepted');
		}
		const urlSafe = SHOPIFY_SIG.replace('+', '-');
		const mixed = `${urlSafe.slice(0, 10)}/${urlSafe.slice(11)}`; // '-' and '/' in one signature
		for (const sig of [mixed, PING_SHA512_B64]) {
			expectRejected(hmacVerifier.verify(req(SHOPIFY_BODY, { 'x-shopify-hmac-sha256': sig }), shopify), 401, 'malformed_signature');
		}
	});

	it('accepts sha512 and sha1 base64', () => {
		const sha512 = { ...shopify, secret: 'rotate-me', algorithm: 'sha512' as const };
		expect(hmacVerifier.verify(req('{"event":"ping"}', { 'x-shopify-hmac-sha256': PING_SHA512_B64 }), sha512).kind).toBe('accepted');
		const sha1 = { ...shopify, secret: 'k', algorithm: 'sha1' as const };
		expect(hmacVerifier.verify(req('a=1&b=2', { 'x-shopify-hmac-sha256': 'WBLKyu5vB0CIYIWP6pGSl+IXPhg=' }), sha1).kind).toBe('accepted');
	});

	it('signs the raw bytes exactly, including bytes that are not valid UTF-8', () => {
		const creds = { ...github, secret: 'bin-secret', prefix: '' };
		expect(hmacVerifier.verify(req(BINARY_BODY, { 'x-hub-signature-256': BINARY_SIG }), creds).kind).toBe('accepted');
	});

	it('signs an empty body', () => {
		const creds = { ...github, secret: 'empty-secret', prefix: '' };
		const sig = '81d1ebfed5bbfc5510abcfaccd0c5c7d88d4b08b154266bea1baf6f63d3f7fcb';
		expect(hmacVerifier.verify(req(Buffer.alloc(0), { 'x-hub-signature-256': sig }), creds).kind).toBe('accepted');
	});
});

describe('hmac verifier: configuration', () => {
	it('never accepts when the credential is blank or invalid', () => {
		const request = req(KIWIFY_BODY, {}, { signature: KIWIFY_SIG });
		const broken: unknown[] = [
			{ ...kiwify, secret: '' },
			{ ...kiwify, algorithm: 'md5' },
			{ ...kiwify, encoding: 'base32' },
			{ ...kiwify, source: 'body' },
			{ ...kiwify, parameterName: ' ' },
			{ ...kiwify, secret: 123 },
			{},
			null,
		];
		for (const creds of broken) {
			expectRejected(hmacVerifier.verify(request, creds as HmacCredentials), 401, 'not_configured');
		}
	});

	it('still lists the signature field for redaction when the secret is blank', () => {
		expect(hmacVerifier.redactions({ ...github, secret: '' })).toEqual({ headers: ['x-hub-signature-256'], query: [] });
	});
});
