import { createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign as ed25519Sign, type KeyObject } from 'crypto';
import fc from 'fast-check';

import type { AuthScheme } from '../../../nodes/WebhookTrigger/auth';
import { catalogueFixtures } from './catalogueFixtures';

/**
 * Every scheme of the verifier registry as its sender signs a call, written from the providers'
 * documentation (independently of the verifier modules): the property tests sign random bodies
 * with these, then forge and mutate them.
 */

export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
export const NOW_SECONDS = NOW / 1000;
export const TOLERANCE_SECONDS = 300;

type Encoding = 'hex' | 'base64';

/** A call as the gate receives it; header and query values may be anything a parser could leave. */
export interface Wire {
	webhookName: 'default' | 'setup';
	method: string;
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
	rawBody: Buffer | undefined;
	body: unknown;
}

export interface Payload {
	raw: Buffer;
	/** What n8n's body parser leaves for these bytes. */
	parsed: unknown;
	contentType: string;
}

export interface SignOptions {
	secret: string;
	/** Unix seconds the sender signs (and sends) as its timestamp. */
	timestamp: number;
	payload: Payload;
	/** The forger's hook: how the digest becomes the text sent (default: the scheme's encoding). */
	encode?: (digest: Buffer, encoding: Encoding) => string;
}

export interface Fixture {
	label: string;
	scheme: AuthScheme;
	credentials: Record<string, unknown>;
	/** The credential's secrets (current, then previous): a valid call is signed with one of them. */
	secrets: string[];
	/** A secret of the same shape that is none of `secrets`. */
	forgedSecret: fc.Arbitrary<string>;
	payload: fc.Arbitrary<Payload>;
	sign(options: SignOptions): Wire;
	/** Signs a timestamp checked against the replay window. */
	timestamped: boolean;
	/** The signature covers the raw body bytes (not a token, not a manifest or parsed form). */
	signsRawBody: boolean;
	/** Computes an HMAC digest (the `encode` hook applies); false for tokens. */
	signsDigest: boolean;
	/** Signed fields besides the secret-bearing ones the registry names (timestamps, ids). */
	signedHeaders: string[];
	signedQuery: string[];
	/** What a valid call gets: a run, or a handshake answer. */
	expect: 'run' | 'handshake';
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
export const alnum = (minLength = 1, maxLength = 24) =>
	fc.string({ unit: fc.constantFrom(...ALNUM), minLength, maxLength });

function digest(algorithm: 'sha1' | 'sha256', key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
	const hmac = createHmac(algorithm, key);
	for (const part of parts) hmac.update(part);
	return hmac.digest();
}

const encoded = (options: SignOptions, bytes: Buffer, encoding: Encoding) =>
	options.encode ? options.encode(bytes, encoding) : bytes.toString(encoding);

function post(headers: Record<string, unknown>, payload: Payload, query: Record<string, unknown> = {}): Wire {
	return {
		webhookName: 'default',
		method: 'POST',
		headers: { 'content-type': payload.contentType, 'content-length': String(payload.raw.length), ...headers },
		query,
		rawBody: payload.raw,
		body: payload.parsed,
	};
}

/** JSON of any shape, or arbitrary bytes (not UTF-8, empty) sent as text or octets. */
export const anyPayload: fc.Arbitrary<Payload> = fc.oneof(
	fc.jsonValue({ maxDepth: 4 }).map((value) => {
		const raw = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
		return { raw, parsed: value, contentType: 'application/json' };
	}),
	fc.uint8Array({ maxLength: 512 }).map((bytes) => {
		const raw = Buffer.from(bytes);
		return { raw, parsed: raw.toString('utf8'), contentType: 'application/octet-stream' };
	}),
);

/** Twilio posts form fields; n8n parses them into an object. */
const formPayload: fc.Arbitrary<Payload> = fc
	.dictionary(alnum(1, 12), fc.string({ maxLength: 40 }), { maxKeys: 8 })
	.map((fields) => ({
		raw: Buffer.from(new URLSearchParams(fields).toString(), 'utf8'),
		parsed: { ...fields },
		contentType: 'application/x-www-form-urlencoded',
	}));

/** Linear signs its timestamp inside the body (`webhookTimestamp`, milliseconds). */
const linearPayload: fc.Arbitrary<Payload> = fc
	.tuple(fc.dictionary(alnum(1, 12), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), fc.integer({ min: -299_000, max: 299_000 }))
	.map(([fields, skewMs]) => {
		const value = { ...fields, type: 'Issue', webhookTimestamp: NOW + skewMs };
		return { raw: Buffer.from(JSON.stringify(value), 'utf8'), parsed: value, contentType: 'application/json' };
	});

const plainSecret = alnum(8, 40);
const whsecSecret = fc.uint8Array({ minLength: 16, maxLength: 40 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);

interface Base {
	label: string;
	scheme: AuthScheme;
	secrets: string[];
	credentials: Record<string, unknown>;
	sign: Fixture['sign'];
}

const token = (base: Base, rest: Partial<Fixture> = {}): Fixture => ({
	forgedSecret: plainSecret.filter((s) => !base.secrets.includes(s)),
	payload: anyPayload,
	timestamped: false,
	signsRawBody: false,
	signsDigest: false,
	signedHeaders: [],
	signedQuery: [],
	expect: 'run',
	...base,
	...rest,
});

const signed = (base: Base, rest: Partial<Fixture> = {}): Fixture => ({
	forgedSecret: plainSecret.filter((s) => !base.secrets.includes(s)),
	payload: anyPayload,
	timestamped: false,
	signsRawBody: true,
	signsDigest: true,
	signedHeaders: [],
	signedQuery: [],
	expect: 'run',
	...base,
	...rest,
});

/** A preset on the shared signing-secret credential, with a previous secret (rotation). */
const preset = (scheme: AuthScheme, sign: Fixture['sign'], rest: Partial<Fixture> = {}, secrets = ['current-Sx81q', 'previous-Pz42w']) =>
	signed({ label: scheme, scheme, secrets, credentials: { secret: secrets[0], previousSecret: secrets[1] }, sign }, rest);

const TWILIO_URL = 'https://hooks.example.com/webhook/sms?site=1';
const STANDARD_SECRETS = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_cHJldmlvdXMtc2VjcmV0LWtleS0xMjM0'];
const standardKey = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

const DISCORD_SEEDS = ['discord-current-Ed01', 'discord-previous-Ed02'];
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const discordKey = (secret: string) =>
	createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, createHash('sha256').update(secret).digest()]), format: 'der', type: 'pkcs8' });
const discordPublicHex = (secret: string) =>
	(createPublicKey(discordKey(secret)).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('hex');

// SendGrid: a "secret" names a P-256 key pair made once per run; the credential holds the public key.
const SENDGRID_SECRETS = ['sendgrid-current-Ec01', 'sendgrid-previous-Ec02'];
const p256Pairs = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
const p256Pair = (secret: string) => {
	let found = p256Pairs.get(secret);
	if (!found) p256Pairs.set(secret, (found = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })));
	return found;
};
const p256Public = (secret: string) => (p256Pair(secret).publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');

// Wise: a "secret" names an RSA key pair made once per run (slow to make: forgeries pick from two).
const WISE_SECRETS = ['wise-current-Rs01', 'wise-previous-Rs02'];
const rsaPairs = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
const rsaPair = (secret: string) => {
	let found = rsaPairs.get(secret);
	if (!found) rsaPairs.set(secret, (found = generateKeyPairSync('rsa', { modulusLength: 2048 })));
	return found;
};
const rsaPem = (secret: string) => rsaPair(secret).publicKey.export({ format: 'pem', type: 'spki' }) as string;

export const fixtures: Fixture[] = [
	token({ label: 'none', scheme: 'none', secrets: [], credentials: {}, sign: ({ payload }) => post({}, payload) }),
	token({
		label: 'bearer',
		scheme: 'bearer',
		secrets: ['bearer-Tk7Q2mV9xL'],
		credentials: { token: 'bearer-Tk7Q2mV9xL' },
		sign: ({ secret, payload }) => post({ authorization: `Bearer ${secret}` }, payload),
	}),
	token({
		label: 'header',
		scheme: 'header',
		secrets: ['header-Hq3W8e1Rr'],
		credentials: { headerName: 'X-Api-Key', token: 'header-Hq3W8e1Rr' },
		sign: ({ secret, payload }) => post({ 'x-api-key': secret }, payload),
	}),
	token({
		label: 'query',
		scheme: 'query',
		secrets: ['query-Qe5T1yU7i'],
		credentials: { parameterName: 'key', token: 'query-Qe5T1yU7i' },
		sign: ({ secret, payload }) => post({}, payload, { key: secret }),
	}),
	signed({
		label: 'hmac (sha256, hex, header, prefix)',
		scheme: 'hmac',
		secrets: ['hmac-current-Kp42', 'hmac-previous-Lr11'],
		credentials: {
			secret: 'hmac-current-Kp42',
			previousSecret: 'hmac-previous-Lr11',
			algorithm: 'sha256',
			source: 'header',
			parameterName: 'X-Signature',
			encoding: 'hex',
			prefix: 'sha256=',
		},
		sign: (o) => post({ 'x-signature': `sha256=${encoded(o, digest('sha256', o.secret, o.payload.raw), 'hex')}` }, o.payload),
	}),
	signed({
		label: 'hmac (sha1, base64, query)',
		scheme: 'hmac',
		secrets: ['hmac-query-Zz90'],
		credentials: { secret: 'hmac-query-Zz90', algorithm: 'sha1', source: 'query', parameterName: 'sig', encoding: 'base64', prefix: '' },
		sign: (o) => post({}, o.payload, { sig: encoded(o, digest('sha1', o.secret, o.payload.raw), 'base64') }),
	}),
	signed(
		{
			label: 'slack',
			scheme: 'slack',
			secrets: ['slack-current-Wm93', 'slack-previous-Vn04'],
			credentials: { signingSecret: 'slack-current-Wm93', previousSigningSecret: 'slack-previous-Vn04' },
			sign: (o) =>
				post(
					{
						'x-slack-signature': `v0=${encoded(o, digest('sha256', o.secret, `v0:${o.timestamp}:`, o.payload.raw), 'hex')}`,
						'x-slack-request-timestamp': String(o.timestamp),
					},
					o.payload,
				),
		},
		{ timestamped: true, signedHeaders: ['x-slack-request-timestamp'] },
	),
	signed({
		label: 'meta (POST)',
		scheme: 'meta',
		secrets: ['meta-app-Hb17', 'meta-app-previous-Gc28'],
		credentials: { verifyToken: 'meta-verify-Tx55', appSecret: 'meta-app-Hb17', previousAppSecret: 'meta-app-previous-Gc28' },
		sign: (o) => post({ 'x-hub-signature-256': `sha256=${encoded(o, digest('sha256', o.secret, o.payload.raw), 'hex')}` }, o.payload),
	}),
	token({
		label: 'meta (GET handshake)',
		scheme: 'meta',
		secrets: ['meta-verify-Tx55'],
		credentials: { verifyToken: 'meta-verify-Tx55', appSecret: 'meta-app-Hb17' },
		sign: ({ secret, timestamp }) => ({
			webhookName: 'setup',
			method: 'GET',
			headers: {},
			query: { 'hub.mode': 'subscribe', 'hub.verify_token': secret, 'hub.challenge': `challenge-${timestamp}` },
			rawBody: undefined,
			body: {},
		}),
	}, { expect: 'handshake' }),
	preset(
		'stripe',
		(o) => post({ 'stripe-signature': `t=${o.timestamp},v1=${encoded(o, digest('sha256', o.secret, `${o.timestamp}.`, o.payload.raw), 'hex')}` }, o.payload),
		{ timestamped: true },
		['whsec_stripe_current_9q', 'whsec_stripe_previous_3w'],
	),
	preset('github', (o) =>
		post({ 'x-hub-signature-256': `sha256=${encoded(o, digest('sha256', o.secret, o.payload.raw), 'hex')}` }, o.payload),
	),
	preset(
		'standardWebhooks',
		(o) => {
			const id = `msg_${o.timestamp.toString(36)}`;
			const bytes = digest('sha256', standardKey(o.secret), `${id}.${o.timestamp}.`, o.payload.raw);
			return post(
				{ 'webhook-id': id, 'webhook-timestamp': String(o.timestamp), 'webhook-signature': `v1,${encoded(o, bytes, 'base64')}` },
				o.payload,
			);
		},
		{
			timestamped: true,
			signedHeaders: ['webhook-id', 'webhook-timestamp'],
			forgedSecret: whsecSecret.filter((s) => !STANDARD_SECRETS.includes(s)),
		},
		STANDARD_SECRETS,
	),
	preset('shopify', (o) => post({ 'x-shopify-hmac-sha256': encoded(o, digest('sha256', o.secret, o.payload.raw), 'base64') }, o.payload)),
	signed(
		{
			label: 'twilio',
			scheme: 'twilio',
			secrets: ['twilio-current-Aa11', 'twilio-previous-Bb22'],
			credentials: { authToken: 'twilio-current-Aa11', previousAuthToken: 'twilio-previous-Bb22', publicUrl: TWILIO_URL },
			sign: (o) => {
				const fields = o.payload.parsed as Record<string, string>;
				const pairs = Object.keys(fields)
					.sort()
					.map((name) => name + fields[name])
					.join('');
				return post({ 'x-twilio-signature': encoded(o, digest('sha1', o.secret, TWILIO_URL + pairs), 'base64') }, o.payload);
			},
		},
		{ signsRawBody: false, payload: formPayload },
	),
	preset(
		'zoom',
		(o) =>
			post(
				{
					'x-zm-signature': `v0=${encoded(o, digest('sha256', o.secret, `v0:${o.timestamp}:`, o.payload.raw), 'hex')}`,
					'x-zm-request-timestamp': String(o.timestamp),
				},
				o.payload,
			),
		{ timestamped: true, signedHeaders: ['x-zm-request-timestamp'] },
	),
	preset(
		'paddle',
		(o) => post({ 'paddle-signature': `ts=${o.timestamp};h1=${encoded(o, digest('sha256', o.secret, `${o.timestamp}:`, o.payload.raw), 'hex')}` }, o.payload),
		{ timestamped: true },
	),
	preset(
		'mercadoPago',
		(o) => {
			const id = `Pay${o.timestamp.toString(36)}`;
			const requestId = `req-${o.timestamp}`;
			const manifest = `id:${id.toLowerCase()};request-id:${requestId};ts:${o.timestamp};`;
			return post(
				{ 'x-signature': `ts=${o.timestamp},v1=${encoded(o, digest('sha256', o.secret, manifest), 'hex')}`, 'x-request-id': requestId },
				o.payload,
				{ 'data.id': id, type: 'payment' },
			);
		},
		// Signs a manifest of the query's data.id, x-request-id and ts: the body is not signed.
		{ timestamped: true, signsRawBody: false, signedHeaders: ['x-request-id'], signedQuery: ['data.id'] },
	),
	preset('typeform', (o) =>
		post({ 'typeform-signature': `sha256=${encoded(o, digest('sha256', o.secret, o.payload.raw), 'base64')}` }, o.payload),
	),
	preset(
		'calendly',
		(o) =>
			post({ 'calendly-webhook-signature': `t=${o.timestamp},v1=${encoded(o, digest('sha256', o.secret, `${o.timestamp}.`, o.payload.raw), 'hex')}` }, o.payload),
		{ timestamped: true },
	),
	preset('woocommerce', (o) => post({ 'x-wc-webhook-signature': encoded(o, digest('sha256', o.secret, o.payload.raw), 'base64') }, o.payload)),
	preset('intercom', (o) => post({ 'x-hub-signature': `sha1=${encoded(o, digest('sha1', o.secret, o.payload.raw), 'hex')}` }, o.payload)),
	// Linear's timestamp is in the signed body: the body is generated with it, not the header.
	preset('linear', (o) => post({ 'linear-signature': encoded(o, digest('sha256', o.secret, o.payload.raw), 'hex') }, o.payload), {
		payload: linearPayload,
	}),
	token({
		label: 'hotmart',
		scheme: 'hotmart',
		secrets: ['hottok-current-Ht01', 'hottok-previous-Ht02'],
		credentials: { secret: 'hottok-current-Ht01', previousSecret: 'hottok-previous-Ht02' },
		sign: ({ secret, payload }) => post({ 'x-hotmart-hottok': secret }, payload),
	}),
	preset('kiwify', (o) => post({}, o.payload, { signature: encoded(o, digest('sha1', o.secret, o.payload.raw), 'hex') })),
	// Discord: Ed25519 over timestamp + body. A "secret" is a seed; the credential holds its public key.
	signed(
		{
			label: 'discord',
			scheme: 'discord',
			secrets: DISCORD_SEEDS,
			credentials: { secret: discordPublicHex(DISCORD_SEEDS[0]), previousSecret: discordPublicHex(DISCORD_SEEDS[1]) },
			sign: (o) => {
				const signature = ed25519Sign(null, Buffer.concat([Buffer.from(String(o.timestamp)), o.payload.raw]), discordKey(o.secret));
				return post({ 'x-signature-ed25519': encoded(o, signature, 'hex'), 'x-signature-timestamp': String(o.timestamp) }, o.payload);
			},
		},
		{ timestamped: true, signedHeaders: ['x-signature-timestamp'], forgedSecret: plainSecret.filter((s) => !DISCORD_SEEDS.includes(s)) },
	),
	// Telnyx: Ed25519 over `timestamp|body`, base64; the credential holds the base64 public key.
	signed(
		{
			label: 'telnyx',
			scheme: 'telnyx',
			secrets: DISCORD_SEEDS,
			credentials: {
				secret: Buffer.from(discordPublicHex(DISCORD_SEEDS[0]), 'hex').toString('base64'),
				previousSecret: Buffer.from(discordPublicHex(DISCORD_SEEDS[1]), 'hex').toString('base64'),
			},
			sign: (o) => {
				const signature = ed25519Sign(null, Buffer.concat([Buffer.from(`${o.timestamp}|`), o.payload.raw]), discordKey(o.secret));
				return post({ 'telnyx-signature-ed25519': encoded(o, signature, 'base64'), 'telnyx-timestamp': String(o.timestamp) }, o.payload);
			},
		},
		{ timestamped: true, signedHeaders: ['telnyx-timestamp'], forgedSecret: plainSecret.filter((s) => !DISCORD_SEEDS.includes(s)) },
	),
	signed(
		{
			label: 'sendgrid',
			scheme: 'sendgrid',
			secrets: SENDGRID_SECRETS,
			credentials: { secret: p256Public(SENDGRID_SECRETS[0]), previousSecret: p256Public(SENDGRID_SECRETS[1]) },
			sign: (o) => {
				const signature = ed25519Sign('sha256', Buffer.concat([Buffer.from(String(o.timestamp)), o.payload.raw]), p256Pair(o.secret).privateKey);
				return post(
					{ 'x-twilio-email-event-webhook-signature': encoded(o, signature, 'base64'), 'x-twilio-email-event-webhook-timestamp': String(o.timestamp) },
					o.payload,
				);
			},
		},
		{ timestamped: true, signedHeaders: ['x-twilio-email-event-webhook-timestamp'], forgedSecret: plainSecret.filter((s) => !SENDGRID_SECRETS.includes(s)) },
	),
	// Standard Webhooks v1a: Ed25519 over `id.timestamp.body`; the credential holds whpk_ public keys.
	signed(
		{
			label: 'standardWebhooks (v1a)',
			scheme: 'standardWebhooks',
			secrets: DISCORD_SEEDS,
			credentials: {
				secret: `whpk_${Buffer.from(discordPublicHex(DISCORD_SEEDS[0]), 'hex').toString('base64')}`,
				previousSecret: `whpk_${Buffer.from(discordPublicHex(DISCORD_SEEDS[1]), 'hex').toString('base64')}`,
			},
			sign: (o) => {
				const id = `msg_${o.timestamp.toString(36)}`;
				const signature = ed25519Sign(null, Buffer.concat([Buffer.from(`${id}.${o.timestamp}.`), o.payload.raw]), discordKey(o.secret));
				return post(
					{ 'webhook-id': id, 'webhook-timestamp': String(o.timestamp), 'webhook-signature': `v1a,${encoded(o, signature, 'base64')}` },
					o.payload,
				);
			},
		},
		{ timestamped: true, signedHeaders: ['webhook-id', 'webhook-timestamp'], forgedSecret: plainSecret.filter((s) => !DISCORD_SEEDS.includes(s)) },
	),
	// Wise: RSA-SHA256 over the raw body, base64; the credential holds the PEM public key.
	signed(
		{
			label: 'wise',
			scheme: 'wise',
			secrets: WISE_SECRETS,
			credentials: { secret: rsaPem(WISE_SECRETS[0]), previousSecret: rsaPem(WISE_SECRETS[1]) },
			sign: (o) => post({ 'x-signature-sha256': encoded(o, ed25519Sign('sha256', o.payload.raw, rsaPair(o.secret).privateKey), 'base64') }, o.payload),
		},
		{ forgedSecret: fc.constantFrom('wise-forged-Rs03', 'wise-forged-Rs04') },
	),
	// Twitch EventSub: hex HMAC-SHA256 of message id + RFC 3339 timestamp + body.
	preset(
		'twitch',
		(o) => {
			const id = `msg-${o.timestamp}`;
			const timestamp = new Date(o.timestamp * 1000).toISOString().replace('Z', '123456Z');
			return post(
				{
					'twitch-eventsub-message-id': id,
					'twitch-eventsub-message-timestamp': timestamp,
					'twitch-eventsub-message-type': 'notification',
					'twitch-eventsub-message-signature': `sha256=${encoded(o, digest('sha256', o.secret, id + timestamp, o.payload.raw), 'hex')}`,
				},
				o.payload,
			);
		},
		{ timestamped: true, signedHeaders: ['twitch-eventsub-message-id', 'twitch-eventsub-message-timestamp'] },
	),
	// Dropbox and Asana: hex HMAC-SHA256 of the body (their handshakes are unit-tested in their preset files).
	preset('dropbox', (o) => post({ 'x-dropbox-signature': encoded(o, digest('sha256', o.secret, o.payload.raw), 'hex') }, o.payload)),
	preset('asana', (o) => post({ 'x-hook-signature': encoded(o, digest('sha256', o.secret, o.payload.raw), 'hex') }, o.payload)),
	// Okta event hooks: the Authentication secret in Authorization, no signature.
	token({
		label: 'okta',
		scheme: 'okta',
		secrets: ['okta-current-Ok01', 'okta-previous-Ok02'],
		credentials: { secret: 'okta-current-Ok01', previousSecret: 'okta-previous-Ok02' },
		sign: ({ secret, payload }) => post({ authorization: secret }, payload),
	}),
	// Microsoft Graph: no signature; every notification carries the clientState (removed from the output).
	token({
		label: 'microsoftGraph',
		scheme: 'microsoftGraph',
		secrets: ['graph-state-current-G01', 'graph-state-previous-G02'],
		credentials: { secret: 'graph-state-current-G01', previousSecret: 'graph-state-previous-G02' },
		sign: ({ secret, payload }) => {
			const value = { value: [{ clientState: secret, changeType: 'updated', resourceData: payload.parsed }] };
			return post({}, { raw: Buffer.from(JSON.stringify(value)), parsed: value, contentType: 'application/json' });
		},
	}),
	// The catalogue's presets, each signed as its spec says.
	...catalogueFixtures(anyPayload),
];
