import { Webhook } from 'standardwebhooks';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import type { PresetCase } from './presetSuite';

/**
 * The presets of providers that sign with Svix (Clerk, Resend): `svix-signature: v1,<base64>` =
 * HMAC-SHA256 of `${svix-id}.${svix-timestamp}.${body}` keyed with the base64 after `whsec_`.
 * https://docs.svix.com/receiving/verifying-payloads/how-manual
 * Signed by Svix's own signer (devDependency `standardwebhooks`, the library the svix SDK wraps; svix 2.x is ESM-only).
 */
export type SvixScheme = 'clerk' | 'resend';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const sign = (secret: string, body: string, ts: number) => {
	const id = `msg_${ts}`;
	// The library refuses a blank secret; the suite's blank-secret case only needs some signature.
	const signature = secret.trim() === '' ? 'v1,AAAA' : new Webhook(secret).sign(id, new Date(ts * 1000), body);
	return { headers: { 'svix-id': id, 'svix-timestamp': String(ts), 'svix-signature': signature } };
};
// Svix's published test vector (docs.svix.com, and the Standard Webhooks reference libraries).
const EXAMPLE = {
	secret: SECRET,
	headers: { 'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'svix-timestamp': '1614265330', 'svix-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' },
	body: '{"test": 2432232314}',
};

/** The cases of a Svix preset beyond the shared ones: Svix's published example, its defaults, svix-id and v1a. */
export function describeSvixPreset(scheme: SvixScheme): void {
	const verifier = verifiers[scheme];
	describe(`${scheme} preset`, () => {
		it("accepts Svix's published example", () => {
			const request = { method: 'POST', headers: EXAMPLE.headers, query: {}, rawBody: Buffer.from(EXAMPLE.body), body: {}, now: 1614265330_000 };
			expect(verifier.verify(request, { secret: EXAMPLE.secret })).toMatchObject({ kind: 'accepted', details: { timestamp: 1614265330 } });
		});

		it('names body.type and the svix-id header', () => {
			expect(presetDefaults(scheme)).toEqual({ eventPath: 'body.type', deliveryIdPath: 'headers.svix-id' });
		});

		it('refuses a call without svix-id, and a v1a (asymmetric) signature alone', () => {
			const call = sign(SECRET, '{}', 1_700_000_000);
			const verify = (headers: Record<string, string>) =>
				verifier.verify({ method: 'POST', headers, query: {}, rawBody: Buffer.from('{}'), body: {}, now: 1_700_000_000_000 }, { secret: SECRET });
			expect(verify(call.headers)).toMatchObject({ kind: 'accepted' });
			const { ['svix-id']: _id, ...withoutId } = call.headers;
			expect(verify(withoutId)).toMatchObject({ code: 'missing_id' });
			expect(verify({ ...call.headers, 'svix-signature': 'v1a,AAAA' })).toMatchObject({ code: 'malformed_signature' });
		});
	});
}

/** The shared cases' description of a Svix preset, for runPresetSuite. */
export function svixCase(scheme: SvixScheme): PresetCase {
	return {
		verifier: verifiers[scheme],
		credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
		secret: SECRET,
		otherSecret: 'whsec_cHJldmlvdXMtc2VjcmV0LWtleS0xMjM0',
		body: '{"type":"user.created","data":{"id":"user_1"}}',
		sign,
		signatureHeader: 'svix-signature',
		several: (valid, wrong) => ({
			headers: { ...valid.headers, 'svix-signature': `${wrong.headers['svix-signature']} ${valid.headers['svix-signature']}` },
		}),
		timestamped: true,
	};
}
