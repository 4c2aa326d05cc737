import { createHash, createPrivateKey, createPublicKey, sign as ed25519Sign } from 'crypto';

import { telnyxVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/telnyx';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// Telnyx API v2: telnyx-signature-ed25519 = base64 Ed25519 signature of `${telnyx-timestamp}|${raw body}`;
// the receiver holds the account's base64 public key (32 raw bytes). Signed here with node:crypto's
// Ed25519, step by step from the docs (the Telnyx Node SDK verifies, it does not sign). A "secret"
// below is a seed; the credential holds the base64 public key derived from it.
// https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const privateKey = (secret: string) =>
	createPrivateKey({ key: Buffer.concat([PKCS8, createHash('sha256').update(secret).digest()]), format: 'der', type: 'pkcs8' });
const publicBase64 = (secret: string) =>
	(createPublicKey(privateKey(secret)).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64');

const sign = (secret: string, body: string, ts: number) => ({
	headers: {
		'telnyx-signature-ed25519': ed25519Sign(null, Buffer.from(`${ts}|${body}`), privateKey(secret)).toString('base64'),
		'telnyx-timestamp': String(ts),
	},
});
const credentials = (secret: string, previous?: string, toleranceSeconds?: number) => ({
	secret: secret.trim() === '' ? secret : publicBase64(secret),
	previousSecret: previous === undefined ? undefined : publicBase64(previous),
	toleranceSeconds,
});

describe('telnyx preset', () => {
	it('refuses a signature over the body without the `|` separator', () => {
		const body = '{"data":{"event_type":"message.received"}}';
		const unseparated = ed25519Sign(null, Buffer.from(`${NOW_SECONDS}${body}`), privateKey('acct')).toString('base64');
		const call = { headers: { 'telnyx-signature-ed25519': unseparated, 'telnyx-timestamp': String(NOW_SECONDS) } };
		expect(telnyxVerifier.verify(request(call, body, {}, NOW), credentials('acct'))).toMatchObject({ code: 'signature_mismatch' });
	});

	it('is not configured with a public key that is not 32 bytes of base64', () => {
		const body = '{}';
		expect(telnyxVerifier.verify(request(sign('acct', body, NOW_SECONDS), body, {}, NOW), { secret: 'abc' })).toMatchObject({ code: 'not_configured' });
	});

	it('names body.data.event_type and body.data.id', () => {
		expect(presetDefaults('telnyx')).toEqual({ eventPath: 'body.data.event_type', deliveryIdPath: 'body.data.id' });
	});
});

runPresetSuite({
	verifier: telnyxVerifier,
	credentials,
	secret: 'telnyx-account-current',
	otherSecret: 'telnyx-account-previous',
	body: '{"data":{"id":"evt_1","event_type":"message.received","payload":{}}}',
	sign,
	signatureHeader: 'telnyx-signature-ed25519',
	timestamped: true,
});
