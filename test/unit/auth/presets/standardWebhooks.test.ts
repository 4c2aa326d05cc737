import { createHmac } from 'crypto';

import { standardWebhooksVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/standardWebhooks';
import { NOW, request, runPresetSuite } from './presetSuite';

// The test vector of the Standard Webhooks reference libraries (and Svix's docs):
// https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/index.test.ts
const EXAMPLE = {
	secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
	timestamp: 1614265330,
	body: '{"test": 2432232314}',
	signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const keyOf = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
const sign = (secret: string, body: string, t: number, prefix = 'webhook') => ({
	headers: {
		[`${prefix}-id`]: 'msg_1',
		[`${prefix}-timestamp`]: String(t),
		[`${prefix}-signature`]: `v1,${createHmac('sha256', keyOf(secret)).update(`msg_1.${t}.${body}`).digest('base64')}`,
	},
});

describe('standard webhooks preset', () => {
	const example = (headers: Record<string, string>, now = EXAMPLE.timestamp * 1000) =>
		standardWebhooksVerifier.verify(request({ headers }, EXAMPLE.body, undefined, now), { secret: EXAMPLE.secret });

	it('accepts the published test vector (key = the base64-decoded secret)', () => {
		expect(
			example({ 'webhook-id': EXAMPLE.id, 'webhook-timestamp': String(EXAMPLE.timestamp), 'webhook-signature': EXAMPLE.signature }),
		).toMatchObject({ kind: 'accepted', details: { timestamp: EXAMPLE.timestamp, secret: 'current' } });
	});

	it('accepts the svix-* header names', () => {
		expect(
			example({ 'svix-id': EXAMPLE.id, 'svix-timestamp': String(EXAMPLE.timestamp), 'svix-signature': EXAMPLE.signature }),
		).toMatchObject({ kind: 'accepted' });
	});

	it('rejects the vector when the id is changed or missing', () => {
		expect(
			example({ 'webhook-id': 'msg_other', 'webhook-timestamp': String(EXAMPLE.timestamp), 'webhook-signature': EXAMPLE.signature }),
		).toMatchObject({ kind: 'rejected', code: 'signature_mismatch' });
		expect(example({ 'webhook-timestamp': String(EXAMPLE.timestamp), 'webhook-signature': EXAMPLE.signature })).toMatchObject({
			kind: 'rejected',
			code: 'missing_id',
		});
	});

	it('skips signatures of other versions (v1a) in the list', () => {
		expect(
			example({
				'webhook-id': EXAMPLE.id,
				'webhook-timestamp': String(EXAMPLE.timestamp),
				'webhook-signature': `v1a,${'A'.repeat(86)}== ${EXAMPLE.signature}`,
			}),
		).toMatchObject({ kind: 'accepted' });
	});

	it('does not use the secret text as the key', () => {
		const textKey = createHmac('sha256', EXAMPLE.secret).update(`${EXAMPLE.id}.${EXAMPLE.timestamp}.${EXAMPLE.body}`).digest('base64');
		expect(
			example({ 'webhook-id': EXAMPLE.id, 'webhook-timestamp': String(EXAMPLE.timestamp), 'webhook-signature': `v1,${textKey}` }),
		).toMatchObject({ kind: 'rejected', code: 'signature_mismatch' });
	});

	it('is not configured when the secret is not base64', () => {
		expect(
			standardWebhooksVerifier.verify(request(sign(EXAMPLE.secret, '{}', 1), '{}', undefined, NOW), { secret: 'whsec_not base64!' }),
		).toMatchObject({ kind: 'rejected', code: 'not_configured' });
	});
});

runPresetSuite({
	verifier: standardWebhooksVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	otherSecret: 'whsec_c2Vjb25kLXNlY3JldC1mb3ItdGVzdHM=',
	body: '{"type":"user.created","data":{"id":"u1"}}',
	sign,
	signatureHeader: 'webhook-signature',
	several: (valid, wrong) => ({
		headers: { ...valid.headers, 'webhook-signature': `${wrong.headers['webhook-signature']} ${valid.headers['webhook-signature']}` },
	}),
	timestamped: true,
});
