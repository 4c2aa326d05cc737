import { generateKeyPairSync, sign as rsaSign, type KeyObject } from 'crypto';

import { wiseVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/wise';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';

// Wise: X-Signature-SHA256 = base64 RSA-SHA256 (PKCS#1 v1.5) signature of the raw body, by Wise's
// key; the receiver holds Wise's published public key. The published example below (sandbox key,
// body, signature) is Wise's own, from its reference implementation:
// https://github.com/transferwise/digital-signatures-examples/blob/main/verify-webhook-signature/verify-signature.js
// The shared cases sign with node:crypto and keys made here, as Wise's docs describe.
const EXAMPLE = {
	publicKey: `
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwpb91cEYuyJNQepZAVfP
ZIlPZfNUefH+n6w9SW3fykqKu938cR7WadQv87oF2VuT+fDt7kqeRziTmPSUhqPU
ys/V2Q1rlfJuXbE+Gga37t7zwd0egQ+KyOEHQOpcTwKmtZ81ieGHynAQzsn1We3j
wt760MsCPJ7GMT141ByQM+yW1Bx+4SG3IGjXWyqOWrcXsxAvIXkpUD/jK/L958Cg
nZEgz0BSEh0QxYLITnW1lLokSx/dTianWPFEhMC9BgijempgNXHNfcVirg1lPSyg
z7KqoKUN0oHqWLr2U1A+7kqrl6O2nx3CKs1bj1hToT1+p4kcMoHXA7kA+VBLUpEs
VwIDAQAB
`,
	body: '{"data":{"resource":{"id":49983981,"profile_id":16055450,"account_id":14124090,"type":"transfer"},"current_state":"incoming_payment_waiting","previous_state":null,"occurred_at":"2021-08-23T10:12:50Z"},"subscription_id":"90aa8e14-4ef1-4a56-861c-f3c9cde097ea","event_type":"transfers#state-change","schema_version":"2.0.0","sent_at":"2021-08-23T10:12:50Z"}',
	signature:
		'wKcKCYXAzxNgiu7xmoDm943NUni7Rz33QN8JkEA9dWSGebgndonabgSj18Y4C08OrwVmueGsED2s00M7DtJVcYKOS1i3G4TMVx+mgM3aL9djMBkQtiYNBFUd6wrPI7ZUNHv/TrlKSjTMc+6JFvUvJ7owY3z85e3I4jLRLJowMFvO8kvCJ60+1pY9wDwZvtZ//WS93LrwGjk9Dvwzpmu0w+P4J75tETT5qC3Uv0y5G2yO8SEoO3yNP/tg/BOli02niHb53vEOUWUb9bly6thnfMoXoiV/osoGxgF20R58RlvkAmezyyl1Sv542TfS2DpiwVnmjjjkCyXeSUcKookYLQ==',
};

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
