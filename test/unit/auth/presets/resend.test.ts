import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Resend signs with Svix: `svix-signature: v1,<base64>` = HMAC-SHA256 of `${svix-id}.${svix-timestamp}.${body}`
// keyed with the base64 after `whsec_`. https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests and
// https://docs.svix.com/receiving/verifying-payloads/how-manual
const key = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
const sign = (secret: string, body: string, ts: number) => {
	const id = `msg_${ts}`;
	const signature = createHmac('sha256', key(secret)).update(`${id}.${ts}.${body}`).digest('base64');
	return { headers: { 'svix-id': id, 'svix-timestamp': String(ts), 'svix-signature': `v1,${signature}` } };
};

describe('resend preset', () => {
	it('names body.type and the svix-id header', () => {
		expect(presetDefaults('resend')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'headers.svix-id' });
	});

	it('refuses a call without svix-id, and a v1a (asymmetric) signature alone', () => {
		const call = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{}', 1_700_000_000);
		const verify = (headers: Record<string, string>) =>
			verifiers.resend.verify(
				{ method: 'POST', headers, query: {}, rawBody: Buffer.from('{}'), body: {}, now: 1_700_000_000_000 },
				{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
			);
		expect(verify(call.headers)).toMatchObject({ kind: 'accepted' });
		const { ['svix-id']: _id, ...withoutId } = call.headers;
		expect(verify(withoutId)).toMatchObject({ code: 'missing_id' });
		expect(verify({ ...call.headers, 'svix-signature': 'v1a,AAAA' })).toMatchObject({ code: 'malformed_signature' });
	});
});

runPresetSuite({
	verifier: verifiers.resend,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	otherSecret: 'whsec_cHJldmlvdXMtc2VjcmV0LWtleS0xMjM0',
	body: '{"type":"user.created","data":{"id":"user_1"}}',
	sign,
	signatureHeader: 'svix-signature',
	several: (valid, wrong) => ({
		headers: { ...valid.headers, 'svix-signature': `${wrong.headers['svix-signature']} ${valid.headers['svix-signature']}` },
	}),
	timestamped: true,
});
