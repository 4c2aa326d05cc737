import { generateKeyPairSync, sign as rsaSign, type KeyObject } from 'crypto';

import { wiseVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/wise';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';
import { WISE_EXAMPLE } from '../../../support/wiseExample';

// Wise: X-Signature-SHA256 = base64 RSA-SHA256 (PKCS#1 v1.5) signature of the raw body, by Wise's
// key; the receiver holds Wise's published public key. The published example below (sandbox key,
// body, signature) is Wise's own, from its reference implementation:
// https://github.com/transferwise/digital-signatures-examples/blob/main/verify-webhook-signature/verify-signature.js
// The shared cases sign with node:crypto and keys made here, as Wise's docs describe.
const EXAMPLE = WISE_EXAMPLE;

const pairs = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
const pair = (secret: string) => {
	let found = pairs.get(secret);
	if (!found) pairs.set(secret, (found = generateKeyPairSync('rsa', { modulusLength: 2048 })));
	return found;
};
const pem = (secret: string) => pair(secret).publicKey.export({ format: 'pem', type: 'spki' }) as string;

const sign = (secret: string, body: string) => ({
	headers: {
		'x-signature-sha256': rsaSign('sha256', Buffer.from(body), pair(secret).privateKey).toString('base64'),
		'x-delivery-id': 'd1',
	},
});
const credentials = (secret: string, previous?: string) => ({
	secret: secret.trim() === '' ? secret : pem(secret),
	previousSecret: previous === undefined ? undefined : pem(previous),
});

describe('wise preset', () => {
	const example = (secret: string, body = EXAMPLE.body) =>
		wiseVerifier.verify(request({ headers: { 'x-signature-sha256': EXAMPLE.signature } }, body, undefined, NOW), { secret });

	it("accepts Wise's published example with its sandbox public key (bare base64, line breaks)", () => {
		expect(example(EXAMPLE.publicKey)).toMatchObject({ kind: 'accepted', details: { algorithm: 'rsa-sha256', secret: 'current' } });
	});

	it('accepts the same key with PEM armour, or with its line breaks turned into spaces', () => {
		const armoured = `-----BEGIN PUBLIC KEY-----${EXAMPLE.publicKey}-----END PUBLIC KEY-----`;
		expect(example(armoured)).toMatchObject({ kind: 'accepted' });
		expect(example(armoured.replace(/\n/g, ' '))).toMatchObject({ kind: 'accepted' });
	});

	it('accepts a PKCS#1 "RSA PUBLIC KEY"', () => {
		const pkcs1 = pair('acct').publicKey.export({ format: 'pem', type: 'pkcs1' }) as string;
		const body = '{"event_type":"balances#credit"}';
		expect(wiseVerifier.verify(request(sign('acct', body), body, undefined, NOW), { secret: pkcs1 })).toMatchObject({
			kind: 'accepted',
		});
	});

	it('rejects the published example with a changed body', () => {
		expect(example(EXAMPLE.publicKey, EXAMPLE.body.replace('49983981', '49983982'))).toMatchObject({
			kind: 'rejected',
			code: 'signature_mismatch',
		});
	});

	it('is not configured with a key that is not an RSA key of at least 2048 bits', () => {
		const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
		const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
		for (const secret of [ec, small, 'not a key']) expect(example(secret)).toMatchObject({ code: 'not_configured' });
	});

	it('signs no timestamp, so has no replay window', () => {
		expect(wiseVerifier.signsTimestamp).toBe(false);
	});

	it('names body.event_type and X-Delivery-Id', () => {
		expect(presetDefaults('wise')).toEqual({ eventPath: 'body.event_type', deliveryIdPath: 'headers.x-delivery-id' });
	});
});

runPresetSuite({
	verifier: wiseVerifier,
	credentials,
	secret: 'wise-current',
	otherSecret: 'wise-previous',
	body: '{"event_type":"transfers#state-change","data":{"resource":{"id":1}}}',
	sign,
	signatureHeader: 'x-signature-sha256',
	timestamped: false,
});
