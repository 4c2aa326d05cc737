import { createHash, createHmac, createPrivateKey, createPublicKey, sign as ed25519Sign } from 'crypto';

import { standardWebhooksVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/standardWebhooks';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

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

// v1a (asymmetric): webhook-signature `v1a,<base64 Ed25519 signature>` over the same
// `${id}.${timestamp}.${body}`; the consumer holds the sender's `whpk_` public key (base64 of the
// 32 key bytes). Signed step by step from the spec with node:crypto's Ed25519 (the standardwebhooks
// npm package signs only v1). A "secret" below names a seed; the credential holds its whpk_ key.
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const seedOf = (name: string) => createHash('sha256').update(name).digest();
const privateKey = (name: string) => createPrivateKey({ key: Buffer.concat([PKCS8, seedOf(name)]), format: 'der', type: 'pkcs8' });
const whpk = (name: string) =>
	`whpk_${(createPublicKey(privateKey(name)).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64')}`;
const signV1a = (name: string, body: string, t: number) => ({
	headers: {
		'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
		'webhook-timestamp': String(t),
		'webhook-signature': `v1a,${ed25519Sign(null, Buffer.from(`msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.${t}.${body}`), privateKey(name)).toString('base64')}`,
	},
});
const v1aCredentials = (name: string, previous?: string, toleranceSeconds?: number) => ({
	secret: name.trim() === '' ? name : whpk(name),
	previousSecret: previous === undefined ? undefined : whpk(previous),
	toleranceSeconds,
});

describe('standard webhooks preset, v1a (Ed25519 with a whpk_ public key)', () => {
	const BODY = '{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}}';
	const verify = (call: { headers: Record<string, string> }, creds: Record<string, unknown>, body = BODY) =>
		standardWebhooksVerifier.verify(request(call, body, undefined, NOW), creds as never);

	it('accepts v1a next to a v1 it has no key for, and says which algorithm', () => {
		const call = signV1a('sender', BODY, NOW_SECONDS);
		const both = { headers: { ...call.headers, 'webhook-signature': `v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= ${call.headers['webhook-signature']}` } };
		expect(verify(both, { secret: whpk('sender') })).toMatchObject({ kind: 'accepted', details: { algorithm: 'ed25519', secret: 'current', timestamp: NOW_SECONDS } });
	});

	it('does not take a v1 (HMAC) signature for a v1a key, nor a v1a signature labelled v1', () => {
		const call = signV1a('sender', BODY, NOW_SECONDS);
		const relabelled = { headers: { ...call.headers, 'webhook-signature': call.headers['webhook-signature'].replace('v1a,', 'v1,') } };
		expect(verify(relabelled, { secret: whpk('sender') })).toMatchObject({ kind: 'rejected', code: 'signature_mismatch' });
	});

	it('signs the id: another id does not verify', () => {
		const call = signV1a('sender', BODY, NOW_SECONDS);
		expect(verify({ headers: { ...call.headers, 'webhook-id': 'msg_other' } }, { secret: whpk('sender') })).toMatchObject({
			code: 'signature_mismatch',
		});
	});

	it('rotates between an HMAC secret and a public key, either way round', () => {
		const v1 = sign(EXAMPLE.secret, BODY, NOW_SECONDS);
		expect(verify(v1, { secret: whpk('sender'), previousSecret: EXAMPLE.secret })).toMatchObject({
			kind: 'accepted',
			details: { algorithm: 'sha256', secret: 'previous' },
		});
		expect(verify(signV1a('sender', BODY, NOW_SECONDS), { secret: EXAMPLE.secret, previousSecret: whpk('sender') })).toMatchObject({
			kind: 'accepted',
			details: { algorithm: 'ed25519', secret: 'previous' },
		});
	});

	it('is not configured with a whsk_ secret key or a whpk_ key of the wrong size', () => {
		const call = signV1a('sender', BODY, NOW_SECONDS);
		const whsk = `whsk_${seedOf('sender').toString('base64')}`;
		const refused = verify(call, { secret: whsk });
		expect(refused).toMatchObject({ code: 'not_configured' });
		expect(JSON.stringify(refused)).not.toContain(seedOf('sender').toString('base64'));
		expect(verify(call, { secret: 'whpk_AAAA' })).toMatchObject({ code: 'not_configured' });
	});
});

runPresetSuite({
	verifier: standardWebhooksVerifier,
	credentials: v1aCredentials,
	secret: 'v1a-sender-current',
	otherSecret: 'v1a-sender-previous',
	body: '{"type":"invoice.paid","data":{"id":"in_1"}}',
	sign: signV1a,
	signatureHeader: 'webhook-signature',
	several: (valid, wrong) => ({
		headers: { ...valid.headers, 'webhook-signature': `${wrong.headers['webhook-signature']} ${valid.headers['webhook-signature']}` },
	}),
	timestamped: true,
});
