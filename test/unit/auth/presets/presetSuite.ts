import type { SchemeVerifier } from '../../../../nodes/WebhookTrigger/auth/verifier';
import type { Rejected, VerificationRequest, VerificationResult } from '../../../../nodes/WebhookTrigger/auth/types';

/**
 * The cases every signing preset must pass, run by each preset's own test file next to the
 * provider's published example. A preset test file describes how its provider signs a request
 * (independently of the module under test) and this suite does the rest.
 */
export const NOW_SECONDS = 1_700_000_000;
export const NOW = NOW_SECONDS * 1000;

export interface SignedCall {
	headers: Record<string, string>;
	query?: Record<string, unknown>;
}

export interface PresetCase {
	verifier: SchemeVerifier<never>;
	/** The credential for a secret (and a previous one). */
	credentials(secret: string, previous?: string, toleranceSeconds?: number): Record<string, unknown>;
	secret: string;
	otherSecret: string;
	body: string;
	/** The body n8n would parse (JSON object, form fields). */
	parsed?: unknown;
	/** Signs `body` with `secret` at `timestamp` seconds, the provider's way. */
	sign(secret: string, body: string, timestamp: number): SignedCall;
	/** Header (or, with `inQuery`, query parameter) carrying the signature, removed and garbled by the suite. */
	signatureHeader: string;
	inQuery?: boolean;
	/** For providers that send several signatures: the headers with a wrong one and a right one. */
	several?(valid: SignedCall, wrong: SignedCall): SignedCall;
	timestamped: boolean;
	/** The provider signs a manifest, not the body (Mercado Pago): no tampered-body case. */
	bodyNotSigned?: boolean;
}

export function request(call: SignedCall, body: string, parsed: unknown, now = NOW): VerificationRequest {
	return {
		method: 'POST',
		headers: call.headers,
		query: call.query ?? {},
		rawBody: Buffer.from(body),
		body: parsed,
		now,
	};
}

export function expectRejected(result: VerificationResult, code: string, secrets: string[]): Rejected {
	expect(result).toMatchObject({ kind: 'rejected', status: 401, code });
	const text = JSON.stringify(result);
	for (const secret of secrets) expect(text).not.toContain(secret);
	return result as Rejected;
}

export function runPresetSuite(c: PresetCase): void {
	const verify = (call: SignedCall, options: { body?: string; parsed?: unknown; now?: number; creds?: unknown } = {}) =>
		(c.verifier as SchemeVerifier<unknown>).verify(
			request(call, options.body ?? c.body, 'parsed' in options ? options.parsed : c.parsed, options.now ?? NOW),
			options.creds ?? c.credentials(c.secret),
		);
	const valid = () => c.sign(c.secret, c.body, NOW_SECONDS);
	const secrets = [c.secret, c.otherSecret];

	describe(`${c.verifier.scheme} preset (shared cases)`, () => {
		it('accepts a correctly signed call with the current secret', () => {
			const result = verify(valid());
			expect(result).toMatchObject({ kind: 'accepted', scheme: c.verifier.scheme, details: { secret: 'current' } });
			expect(JSON.stringify(result)).not.toContain(c.secret);
		});

		(c.bodyNotSigned ? it.skip : it)('rejects a tampered body', () => {
			const tampered = c.body.replace(/.$/, (last) => (last === ' ' ? '\n' : ' ') + last);
			expectRejected(verify(valid(), { body: tampered }), 'signature_mismatch', secrets);
		});

		it('rejects a call signed with another secret', () => {
			expectRejected(verify(c.sign(c.otherSecret, c.body, NOW_SECONDS)), 'signature_mismatch', secrets);
		});

		const without = (call: SignedCall): SignedCall => {
			const drop = (record: Record<string, unknown> = {}) =>
				Object.fromEntries(Object.entries(record).filter(([name]) => name !== c.signatureHeader));
			return c.inQuery ? { ...call, query: drop(call.query) } : { ...call, headers: drop(call.headers) as Record<string, string> };
		};
		const replaced = (call: SignedCall, value: unknown): SignedCall =>
			c.inQuery
				? { ...call, query: { ...call.query, [c.signatureHeader]: value } }
				: { ...call, headers: { ...call.headers, [c.signatureHeader]: value as string } };

		it('rejects a call without the signature header', () => {
			const result = verify(without(valid()));
			expect(result).toMatchObject({ kind: 'rejected', status: 401 });
			expect((result as Rejected).code).toMatch(/^missing_/);
		});

		it('rejects a garbled or repeated signature header', () => {
			const call = valid();
			expectRejected(verify(replaced(call, 'not a signature')), 'malformed_signature', secrets);
			const current = c.inQuery ? call.query?.[c.signatureHeader] : call.headers[c.signatureHeader];
			const repeated = verify(replaced(call, [current, 'x']));
			expect(repeated).toMatchObject({ kind: 'rejected', status: 401 });
		});

		it('accepts the previous secret during a rotation and says so', () => {
			const call = c.sign(c.otherSecret, c.body, NOW_SECONDS);
			expect(verify(call, { creds: c.credentials(c.secret, c.otherSecret) })).toMatchObject({
				kind: 'accepted',
				details: { secret: 'previous' },
			});
		});

		it('is not configured with a blank secret, whatever the caller signs with', () => {
			const call = c.sign(' ', c.body, NOW_SECONDS);
			expectRejected(verify(call, { creds: c.credentials(' ') }), 'not_configured', []);
		});

		if (c.several) {
			const several = c.several;
			it('accepts several signatures when one of them is valid', () => {
				const call = several(valid(), c.sign(c.otherSecret, c.body, NOW_SECONDS));
				expect(verify(call)).toMatchObject({ kind: 'accepted', details: { secret: 'current' } });
			});
		}

		if (c.timestamped) {
			it('rejects a correctly signed call 10 minutes old, saying by how much', () => {
				const old = c.sign(c.secret, c.body, NOW_SECONDS - 600);
				const result = expectRejected(verify(old), 'timestamp_outside_tolerance', secrets);
				expect(result.message).toBe('The request timestamp is 600 s in the past; the tolerance is 300 s');
			});

			it('rejects a timestamp in the future too', () => {
				const future = c.sign(c.secret, c.body, NOW_SECONDS + 301);
				const result = expectRejected(verify(future), 'timestamp_outside_tolerance', secrets);
				expect(result.message).toBe('The request timestamp is 301 s in the future; the tolerance is 300 s');
			});

			it('accepts within the window and honours the credential tolerance', () => {
				expect(verify(c.sign(c.secret, c.body, NOW_SECONDS - 299))).toMatchObject({ kind: 'accepted' });
				expect(
					verify(c.sign(c.secret, c.body, NOW_SECONDS - 600), { creds: c.credentials(c.secret, undefined, 900) }),
				).toMatchObject({ kind: 'accepted', details: { timestamp: NOW_SECONDS - 600 } });
			});
		}
	});
}
