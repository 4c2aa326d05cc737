import { createHash, createPrivateKey, createPublicKey, sign as ed25519Sign } from 'crypto';

import { discordVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/discord';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// Discord: X-Signature-Ed25519 = hex Ed25519 signature of X-Signature-Timestamp + raw body, by the
// application's key; the receiver holds the Public Key (hex). Signed here with node:crypto's own
// Ed25519 (Discord publishes no signer). A "secret" below is a 32-byte seed; the credential holds
// the public key derived from it.
// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const seedOf = (secret: string) => createHash('sha256').update(secret).digest();
const privateKey = (secret: string) => createPrivateKey({ key: Buffer.concat([PKCS8, seedOf(secret)]), format: 'der', type: 'pkcs8' });
const publicHex = (secret: string) =>
	(createPublicKey(privateKey(secret)).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('hex');

const sign = (secret: string, body: string, ts: number) => ({
	headers: {
		'x-signature-ed25519': ed25519Sign(null, Buffer.from(`${ts}${body}`), privateKey(secret)).toString('hex'),
		'x-signature-timestamp': String(ts),
	},
});
const credentials = (secret: string, previous?: string, toleranceSeconds?: number) => ({
	secret: secret.trim() === '' ? secret : publicHex(secret),
	previousSecret: previous === undefined ? undefined : publicHex(previous),
	toleranceSeconds,
});

describe('discord preset', () => {
	it('answers a signed PING with {"type":1}, without an execution', () => {
		const body = '{"type":1,"id":"i1"}';
		const result = discordVerifier.verify(request(sign('app-key', body, NOW_SECONDS), body, { type: 1 }, NOW), credentials('app-key'));
		expect(result).toEqual({ kind: 'handshake', status: 200, contentType: 'application/json', body: '{"type":1}' });
	});

	it('refuses a forged PING', () => {
		const body = '{"type":1}';
		const result = discordVerifier.verify(request(sign('forger', body, NOW_SECONDS), body, { type: 1 }, NOW), credentials('app-key'));
		expect(result).toMatchObject({ kind: 'rejected', status: 401, code: 'signature_mismatch' });
	});

	it('is not configured with a public key that is not 64 hex digits', () => {
		const body = '{"type":2}';
		const result = discordVerifier.verify(request(sign('app-key', body, NOW_SECONDS), body, {}, NOW), { secret: 'not-a-key' });
		expect(result).toMatchObject({ code: 'not_configured' });
	});

	it('names body.type and body.id', () => {
		expect(presetDefaults('discord')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: discordVerifier,
	credentials,
	secret: 'discord-app-current',
	otherSecret: 'discord-app-previous',
	body: '{"type":2,"id":"interaction_1","data":{"name":"hello"}}',
	sign,
	signatureHeader: 'x-signature-ed25519',
	timestamped: true,
});
