import { createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign as signWith } from 'crypto';

import type { Execution } from './harness/n8n';
import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import type { NodeSpec } from './harness/workflow';
import { noOp, nodeType, workflow } from './harness/workflow';
import { WISE_EXAMPLE } from '../support/wiseExample';

jest.setTimeout(300_000);

/**
 * Provider presets through a real n8n: each provider's own signing, a replayed (old) Stripe call,
 * Twilio's form body signed over the public URL (WEBHOOK_URL, not the address the call reached),
 * Zoom's url_validation handshake. Public-key presets (Discord and Standard Webhooks v1a: Ed25519;
 * SendGrid: ECDSA P-256; Wise: RSA-SHA256, Wise's published example) and the handshakes answered
 * without an execution (Discord PING, Twitch EventSub, Dropbox GET, Asana X-Hook-Secret, Microsoft
 * Graph validationToken, Okta verification), each next to a forged call that gets 401 and runs nothing.
 */
// n8n publishes its webhooks under this URL (as behind a reverse proxy); the calls reach 127.0.0.1.
const PUBLIC_BASE = 'https://hooks.example.com/';

const secrets = {
	stripe: 'whsec_e2e_stripe_current',
	stripeOld: 'whsec_e2e_stripe_previous',
	github: "It's a Secret to Everybody",
	standard: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	twilio: 'e2e-twilio-auth-token',
	zoom: 'e2e-zoom-secret-token',
	twitch: 'e2e-twitch-eventsub-secret',
	dropbox: 'e2e-dropbox-app-secret',
	asana: 'b537207f20cbfa02357cf448134da559',
	graph: 'e2e-graph-client-state',
	okta: 'e2e-okta-hook-secret',
};

// Ed25519 keys from a named seed, as the unit tests make them (Discord and Standard Webhooks publish
// no signer): the credential holds the public key, the test signs with the private one.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ed25519Private = (name: string) =>
	createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, createHash('sha256').update(name).digest()]), format: 'der', type: 'pkcs8' });
const ed25519Public = (name: string) => (createPublicKey(ed25519Private(name)).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
const ed25519 = (name: string, message: string) => signWith(null, Buffer.from(message), ed25519Private(name));

// SendGrid: a P-256 pair made here; the credential holds the Verification Key (base64 DER), as SendGrid shows it.
const sendgridPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sendgridKey = (sendgridPair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');

const WISE = WISE_EXAMPLE;

const signing = (secret: string) => ({ secret, previousSecret: '', toleranceSeconds: 300 });

const credentials = [
	{ id: 'e2ePresetStripe1', name: 'Stripe', type: 'webhookSigningSecretApi', data: { secret: secrets.stripe, previousSecret: secrets.stripeOld, toleranceSeconds: 300 } },
	{ id: 'e2ePresetGithub1', name: 'GitHub', type: 'webhookSigningSecretApi', data: { secret: secrets.github, previousSecret: '', toleranceSeconds: 300 } },
	{ id: 'e2ePresetStdWh01', name: 'Standard', type: 'webhookSigningSecretApi', data: { secret: secrets.standard, previousSecret: '', toleranceSeconds: 300 } },
	{ id: 'e2ePresetTwilio1', name: 'Twilio', type: 'webhookTwilioApi', data: { authToken: secrets.twilio, previousAuthToken: '', publicUrl: '' } },
	{ id: 'e2ePresetZoom001', name: 'Zoom', type: 'webhookSigningSecretApi', data: { secret: secrets.zoom, previousSecret: '', toleranceSeconds: 300 } },
	// Public keys, as each provider shows them: Discord hex, SendGrid base64 DER, Wise PEM body, Standard Webhooks whpk_.
	{ id: 'e2ePresetDiscrd1', name: 'Discord', type: 'webhookSigningSecretApi', data: signing(ed25519Public('e2e-discord-app').toString('hex')) },
	{ id: 'e2ePresetSendgr1', name: 'SendGrid', type: 'webhookSigningSecretApi', data: signing(sendgridKey) },
	{ id: 'e2ePresetWise001', name: 'Wise', type: 'webhookSigningSecretApi', data: signing(WISE.publicKey) },
	{ id: 'e2ePresetStdV1a1', name: 'Standard v1a', type: 'webhookSigningSecretApi', data: signing(`whpk_${ed25519Public('e2e-v1a-sender').toString('base64')}`) },
	{ id: 'e2ePresetTwitch1', name: 'Twitch', type: 'webhookSigningSecretApi', data: signing(secrets.twitch) },
	{ id: 'e2ePresetDropbx1', name: 'Dropbox', type: 'webhookSigningSecretApi', data: signing(secrets.dropbox) },
	{ id: 'e2ePresetAsana01', name: 'Asana', type: 'webhookSigningSecretApi', data: signing(secrets.asana) },
	{ id: 'e2ePresetMsGrph1', name: 'Graph', type: 'webhookSigningSecretApi', data: signing(secrets.graph) },
	{ id: 'e2ePresetOkta001', name: 'Okta', type: 'webhookSigningSecretApi', data: signing(secrets.okta) },
];

function presetWorkflow(
	id: string,
	path: string,
	authentication: string,
	credential?: string,
	extra: Record<string, unknown> = {},
	outputs = ['Out'],
) {
	const trigger: NodeSpec = {
		name: 'Trigger',
		type: nodeType('webhookTrigger'),
		parameters: { path, authentication, deliveryLog: false, ...extra },
	};
	const c = credentials.find((entry) => entry.name === credential);
	if (c) trigger.credentials = { [c.type]: { id: c.id, name: c.name } };
	return workflow(id, trigger, outputs.map(noOp), { Trigger: outputs.map((o) => [o]) });
}

const workflows = [
	presetWorkflow('e2ePresetWfStrp', 'preset-stripe', 'stripe', 'Stripe'),
	// Routed by the preset's event path: Push, else.
	presetWorkflow(
		'e2ePresetWfGhub',
		'preset-github',
		'github',
		'GitHub',
		{ eventPath: 'headers.x-github-event', cases: { values: [{ label: 'Push', value: 'push' }] } },
		['Out', 'Else'],
	),
	presetWorkflow('e2ePresetWfStdw', 'preset-standard', 'standardWebhooks', 'Standard'),
	presetWorkflow('e2ePresetWfTwil', 'preset-twilio', 'twilio', 'Twilio'),
	presetWorkflow('e2ePresetWfZoom', 'preset-zoom', 'zoom', 'Zoom'),
	presetWorkflow('e2ePresetWfDisc', 'preset-discord', 'discord', 'Discord'),
	presetWorkflow('e2ePresetWfSgrd', 'preset-sendgrid', 'sendgrid', 'SendGrid'),
	presetWorkflow('e2ePresetWfWise', 'preset-wise', 'wise', 'Wise'),
	presetWorkflow('e2ePresetWfV1a0', 'preset-standard-v1a', 'standardWebhooks', 'Standard v1a'),
	presetWorkflow('e2ePresetWfTwch', 'preset-twitch', 'twitch', 'Twitch'),
	presetWorkflow('e2ePresetWfDbox', 'preset-dropbox', 'dropbox', 'Dropbox'),
	presetWorkflow('e2ePresetWfAsan', 'preset-asana', 'asana', 'Asana'),
	presetWorkflow('e2ePresetWfGrph', 'preset-graph', 'microsoftGraph', 'Graph'),
	presetWorkflow('e2ePresetWfOkta', 'preset-okta', 'okta', 'Okta'),
	presetWorkflow('e2ePresetWfSent', 'preset-sentinel', 'none'),
];

const hex = (algorithm: string, key: string | Buffer, data: string) => createHmac(algorithm, key).update(data).digest('hex');
const base64 = (algorithm: string, key: string | Buffer, data: string) => createHmac(algorithm, key).update(data).digest('base64');
const nowSeconds = () => Math.floor(Date.now() / 1000);

const discordHeaders = (body: string, t: number, key = 'e2e-discord-app') => ({
	'content-type': 'application/json',
	'x-signature-ed25519': ed25519(key, `${t}${body}`).toString('hex'),
	'x-signature-timestamp': String(t),
});

// Twitch: HMAC-SHA256 of message id + RFC 3339 timestamp (nanoseconds) + raw body, `sha256=<hex>`.
const twitchHeaders = (body: string, type: string, secret = secrets.twitch) => {
	const id = `e2e-twitch-${type}-${Math.random().toString(36).slice(2)}`;
	const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, '.634234626Z');
	return {
		'content-type': 'application/json',
		'twitch-eventsub-message-id': id,
		'twitch-eventsub-message-timestamp': timestamp,
		'twitch-eventsub-message-type': type,
		'twitch-eventsub-subscription-type': 'channel.follow',
		'twitch-eventsub-message-signature': `sha256=${hex('sha256', secret, id + timestamp + body)}`,
	};
};

const DROPBOX_BODY = '{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},"delta":{"users":[12345678]}}';
const ASANA_BODY = '{"events":[{"action":"changed","resource":{"gid":"1337","resource_type":"task"},"user":{"gid":"42"}}]}';
const graphBody = (clientState: string) =>
	JSON.stringify({
		value: [
			{
				id: 'lsgTZMr9KwAAA',
				subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
				subscriptionExpirationDateTime: '2016-11-20T18:23:45.9356913Z',
				clientState,
				changeType: 'created',
				resource: 'Users/{user-id}/Messages/{message-id}',
				tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
				resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: '{message-id}' },
			},
		],
	});

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('Provider presets in %s', (_label, version) => {
	let n8n: N8nInstance;

	async function runOne(path: string, body: string, headers: Record<string, string>) {
		const since = await n8n.lastExecutionId();
		const response = await n8n.request('POST', path, { body, headers });
		const [execution] = response.status < 300 ? await n8n.waitForExecutions(since, 1) : [undefined];
		return { response, execution: execution as Execution };
	}

	/** Sends the calls, then a sentinel call that must run; only the sentinel's execution may appear. */
	async function expectNoExecution(calls: () => Promise<void>): Promise<void> {
		const since = await n8n.lastExecutionId();
		await calls();
		const sentinel = await n8n.request('POST', '/webhook/preset-sentinel', {
			body: '{"sentinel":true}',
			headers: { 'content-type': 'application/json' },
		});
		expect(sentinel.status).toBe(200);
		await n8n.waitForExecutions(since, 1);
		const after = await n8n.executions(since);
		expect(after.map((e) => e.workflowId)).toEqual(['e2ePresetWfSent']);
	}

	const stripeHeaders = (body: string, t: number, secret = secrets.stripe) => ({
		'content-type': 'application/json',
		'stripe-signature': `t=${t},v1=${hex('sha256', secret, `${t}.${body}`)}`,
	});

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, { credentials, workflows, env: { WEBHOOK_URL: PUBLIC_BASE, N8N_WEBHOOK_URL: PUBLIC_BASE } });
		await n8n.start(workflows.map((w) => `/webhook/${(w.nodes as Array<{ parameters: { path: string } }>)[0].parameters.path}`));
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	it('Stripe: a signed event runs once with its timestamp; the previous secret is accepted and named', async () => {
		const body = JSON.stringify({ id: 'evt_e2e_1', type: 'payment_intent.succeeded' });
		const t = nowSeconds();
		const { response, execution } = await runOne('/webhook/preset-stripe', body, stripeHeaders(body, t));
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: { id: 'evt_e2e_1' },
			headers: { 'stripe-signature': '[redacted]' },
			verification: { scheme: 'stripe', timestamp: t, secret: 'current' },
		});
		expect(execution.raw).not.toContain(secrets.stripe);

		// Another event: the same id again would be answered as a duplicate (issue 14, item 3).
		const next = JSON.stringify({ id: 'evt_e2e_2', type: 'payment_intent.succeeded' });
		const rotated = await runOne('/webhook/preset-stripe', next, stripeHeaders(next, t, secrets.stripeOld));
		expect(rotated.response.status).toBe(200);
		expect(rotated.execution.nodes.Trigger.outputs[0][0]).toMatchObject({ verification: { secret: 'previous' } });
	});

	it('Stripe: a correctly signed but 10-minute-old call gets 401 timestamp_outside_tolerance and starts nothing', async () => {
		const body = JSON.stringify({ id: 'evt_e2e_old', type: 'payment_intent.succeeded' });
		await expectNoExecution(async () => {
			const old = await n8n.request('POST', '/webhook/preset-stripe', { body, headers: stripeHeaders(body, nowSeconds() - 600) });
			expect(old.status).toBe(401);
			const answer = old.json<{ error: string; message: string }>();
			expect(answer.error).toBe('timestamp_outside_tolerance');
			expect(answer.message).toMatch(/^The request timestamp is 60\d s in the past; the tolerance is 300 s$/);
			const forged = await n8n.request('POST', '/webhook/preset-stripe', { body, headers: stripeHeaders(body, nowSeconds(), 'whsec_wrong') });
			expect(forged.status).toBe(401);
			expect(forged.json<{ error: string }>().error).toBe('signature_mismatch');
		});
	});

	it("GitHub: GitHub's documented example runs and routes by X-GitHub-Event", async () => {
		const body = 'Hello, World!';
		const { response, execution } = await runOne('/webhook/preset-github', body, {
			'content-type': 'text/plain',
			'x-github-event': 'push',
			'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
			'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
		});
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			event: { path: 'headers.x-github-event', value: 'push', case: 'Push' },
			verification: { scheme: 'github', secret: 'current' },
		});
		await expectNoExecution(async () => {
			const tampered = await n8n.request('POST', '/webhook/preset-github', {
				body: 'Hello, World?',
				headers: { 'content-type': 'text/plain', 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
			});
			expect(tampered.status).toBe(401);
		});
	});

	it('Standard Webhooks: several signatures in one header, key = the decoded whsec_ secret', async () => {
		const body = JSON.stringify({ type: 'user.created', data: { id: 'u1' } });
		const t = nowSeconds();
		const key = Buffer.from(secrets.standard.slice('whsec_'.length), 'base64');
		const signature = base64('sha256', key, `msg_e2e_1.${t}.${body}`);
		const { response, execution } = await runOne('/webhook/preset-standard', body, {
			'content-type': 'application/json',
			'webhook-id': 'msg_e2e_1',
			'webhook-timestamp': String(t),
			'webhook-signature': `v1,${base64('sha256', 'other', body)} v1,${signature}`,
		});
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			headers: { 'webhook-signature': '[redacted]' },
			verification: { scheme: 'standardWebhooks', timestamp: t, secret: 'current' },
		});
	});

	it("Twilio: a form body signed over n8n's public URL (WEBHOOK_URL), not the address it reached", async () => {
		const params = { SmsSid: 'SM123', From: '+15551234567', Body: 'hello n8n', To: '+15557654321' };
		const url = `${PUBLIC_BASE}webhook/preset-twilio?src=e2e`;
		const signed = url + Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join('');
		const body = new URLSearchParams(params).toString();
		const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': base64('sha1', secrets.twilio, signed) };
		const { response, execution } = await runOne('/webhook/preset-twilio?src=e2e', body, headers);
		expect({ status: response.status, text: response.status === 200 ? '' : response.text }).toEqual({ status: 200, text: '' });
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: params,
			verification: { scheme: 'twilio', secret: 'current', url },
		});
		await expectNoExecution(async () => {
			const changed = await n8n.request('POST', '/webhook/preset-twilio?src=e2e', { body: body.replace('hello', 'HELLO'), headers });
			expect(changed.status).toBe(401);
		});
	});

	it('Zoom: answers the signed endpoint.url_validation handshake without an execution, runs a signed event', async () => {
		const sign = (body: string, t: number) => ({
			'content-type': 'application/json',
			'x-zm-request-timestamp': String(t),
			'x-zm-signature': `v0=${hex('sha256', secrets.zoom, `v0:${t}:${body}`)}`,
		});
		const validation = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: Date.now() });
		await expectNoExecution(async () => {
			const handshake = await n8n.request('POST', '/webhook/preset-zoom', { body: validation, headers: sign(validation, nowSeconds()) });
			expect(handshake.status).toBe(200);
			expect(handshake.json()).toEqual({
				plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
				encryptedToken: hex('sha256', secrets.zoom, 'qgg8vlvZRS6UYooatFL8Aw'),
			});
		});
		const event = JSON.stringify({ event: 'meeting.started', payload: { object: { id: '1' } } });
		const { response, execution } = await runOne('/webhook/preset-zoom', event, sign(event, nowSeconds()));
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({ verification: { scheme: 'zoom', secret: 'current' } });
	});

	const post = async (path: string, body: string, headers: Record<string, string>) => await n8n.request('POST', path, { body, headers });
	const errorOf = (response: { json<T>(): T }) => response.json<{ error: string }>().error;

	it('Discord (Ed25519): a signed interaction runs once; a tampered one gets 401 and runs nothing', async () => {
		const body = JSON.stringify({ type: 2, id: 'e2e_interaction_1', data: { name: 'hello' } });
		const t = nowSeconds();
		const headers = discordHeaders(body, t);
		const { response, execution } = await runOne('/webhook/preset-discord', body, headers);
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0]).toHaveLength(1);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: { type: 2, id: 'e2e_interaction_1' },
			headers: { 'x-signature-ed25519': '[redacted]' },
			verification: { scheme: 'discord', algorithm: 'ed25519', secret: 'current', timestamp: t },
		});
		await expectNoExecution(async () => {
			const tampered = await post('/webhook/preset-discord', body.replace('hello', 'HELLO'), headers);
			expect(tampered.status).toBe(401);
			expect(errorOf(tampered)).toBe('signature_mismatch');
		});
	});

	it('Discord: a signed PING is answered {"type":1} without an execution; a forged PING gets 401', async () => {
		const ping = JSON.stringify({ type: 1, id: 'e2e_ping_1', application_id: 'e2e_app' });
		await expectNoExecution(async () => {
			const answer = await post('/webhook/preset-discord', ping, discordHeaders(ping, nowSeconds()));
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			expect(answer.json()).toEqual({ type: 1 });
			const forged = await post('/webhook/preset-discord', ping, discordHeaders(ping, nowSeconds(), 'e2e-forger'));
			expect(forged.status).toBe(401);
			expect(errorOf(forged)).toBe('signature_mismatch');
		});
	});

	it('SendGrid (ECDSA P-256): a signed event batch runs once; a tampered one gets 401 and runs nothing', async () => {
		const body = JSON.stringify([{ email: 'a@example.com', event: 'delivered', sg_event_id: 'e2e_sg_1', timestamp: nowSeconds() }]);
		const t = nowSeconds();
		const headers = {
			'content-type': 'application/json',
			'x-twilio-email-event-webhook-signature': signWith('sha256', Buffer.from(`${t}${body}`), sendgridPair.privateKey).toString('base64'),
			'x-twilio-email-event-webhook-timestamp': String(t),
		};
		const { response, execution } = await runOne('/webhook/preset-sendgrid', body, headers);
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0]).toHaveLength(1);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: [{ event: 'delivered', sg_event_id: 'e2e_sg_1' }],
			headers: { 'x-twilio-email-event-webhook-signature': '[redacted]' },
			verification: { scheme: 'sendgrid', algorithm: 'ecdsa-p256', secret: 'current', timestamp: t },
		});
		await expectNoExecution(async () => {
			const tampered = await post('/webhook/preset-sendgrid', body.replace('delivered', 'bounce'), headers);
			expect(tampered.status).toBe(401);
			expect(errorOf(tampered)).toBe('signature_mismatch');
		});
	});

	it("Wise (RSA-SHA256): Wise's published example runs once with its sandbox key; the changed body gets 401", async () => {
		const headers = { 'content-type': 'application/json', 'x-signature-sha256': WISE.signature, 'x-delivery-id': 'e2e-wise-1' };
		const { response, execution } = await runOne('/webhook/preset-wise', WISE.body, headers);
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0]).toHaveLength(1);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: { event_type: 'transfers#state-change', data: { resource: { id: 49983981 } } },
			headers: { 'x-signature-sha256': '[redacted]' },
			verification: { scheme: 'wise', algorithm: 'rsa-sha256', secret: 'current' },
		});
		await expectNoExecution(async () => {
			const tampered = await post('/webhook/preset-wise', WISE.body.replace('49983981', '49983982'), { ...headers, 'x-delivery-id': 'e2e-wise-2' });
			expect(tampered.status).toBe(401);
			expect(errorOf(tampered)).toBe('signature_mismatch');
		});
	});

	it('Standard Webhooks v1a (Ed25519, whpk_ key): a signed call runs once; one signed by another key gets 401', async () => {
		const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_e2e_1' } });
		const t = nowSeconds();
		const v1a = (key: string, id: string) => ({
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(t),
			'webhook-signature': `v1a,${ed25519(key, `${id}.${t}.${body}`).toString('base64')}`,
		});
		const { response, execution } = await runOne('/webhook/preset-standard-v1a', body, v1a('e2e-v1a-sender', 'msg_e2e_v1a_1'));
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0]).toHaveLength(1);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: { type: 'invoice.paid' },
			headers: { 'webhook-signature': '[redacted]' },
			verification: { scheme: 'standardWebhooks', algorithm: 'ed25519', secret: 'current', timestamp: t },
		});
		await expectNoExecution(async () => {
			const forged = await post('/webhook/preset-standard-v1a', body, v1a('e2e-forger', 'msg_e2e_v1a_2'));
			expect(forged.status).toBe(401);
			expect(errorOf(forged)).toBe('signature_mismatch');
		});
	});

	it('Twitch EventSub: the signed callback verification is answered with the challenge, no execution; forged gets 401', async () => {
		const verification = JSON.stringify({
			challenge: 'pogchamp-kappa-360noscope-vohiyo',
			subscription: { id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4', status: 'webhook_callback_verification_pending', type: 'channel.follow', version: '2' },
		});
		await expectNoExecution(async () => {
			const answer = await post('/webhook/preset-twitch', verification, twitchHeaders(verification, 'webhook_callback_verification'));
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(answer.text).toBe('pogchamp-kappa-360noscope-vohiyo');
			const forged = await post('/webhook/preset-twitch', verification, twitchHeaders(verification, 'webhook_callback_verification', 'e2e-forger'));
			expect(forged.status).toBe(401);
			expect(errorOf(forged)).toBe('signature_mismatch');
		});
		const event = JSON.stringify({ subscription: { type: 'channel.follow' }, event: { user_name: 'e2e' } });
		const { response, execution } = await runOne('/webhook/preset-twitch', event, twitchHeaders(event, 'notification'));
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({ verification: { scheme: 'twitch', secret: 'current' } });
	});

	it('Dropbox: GET ?challenge= is echoed as text/plain with nosniff, no execution; a forged notification gets 401', async () => {
		await expectNoExecution(async () => {
			const answer = await n8n.request('GET', '/webhook/preset-dropbox?challenge=aChallengeValue123');
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
			expect(answer.text).toBe('aChallengeValue123');
			const forged = await post('/webhook/preset-dropbox', DROPBOX_BODY, {
				'content-type': 'application/json',
				'x-dropbox-signature': hex('sha256', 'e2e-forger', DROPBOX_BODY),
			});
			expect(forged.status).toBe(401);
		});
		const { response, execution } = await runOne('/webhook/preset-dropbox', DROPBOX_BODY, {
			'content-type': 'application/json',
			'x-dropbox-signature': hex('sha256', secrets.dropbox, DROPBOX_BODY),
		});
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({ verification: { scheme: 'dropbox', secret: 'current' } });
	});

	it('Asana: the empty handshake POST gets X-Hook-Secret echoed, no execution; events signed with that secret run, forged get 401', async () => {
		// Asana's handshake is a POST with X-Hook-Secret and an empty body. Asana signs bodies, so the
		// gate answers 415 unsupported_media_type when n8n keeps no raw bytes: the 200 below shows that
		// n8n (both lines) hands the node a raw body (empty) for this POST, with no content type and
		// with an application/json one.
		await expectNoExecution(async () => {
			for (const contentType of [undefined, 'application/json']) {
				const answer = await post('/webhook/preset-asana', '', { 'x-hook-secret': secrets.asana, ...(contentType ? { 'content-type': contentType } : {}) });
				expect({ contentType, status: answer.status, text: answer.status === 200 ? '' : answer.text }).toEqual({ contentType, status: 200, text: '' });
				expect(answer.headers.get('x-hook-secret')).toBe(secrets.asana);
			}
		});
		const headers = (secret: string) => ({ 'content-type': 'application/json', 'x-hook-signature': hex('sha256', secret, ASANA_BODY) });
		await expectNoExecution(async () => {
			const forged = await post('/webhook/preset-asana', ASANA_BODY, headers('e2e-forger'));
			expect(forged.status).toBe(401);
		});
		const { response, execution } = await runOne('/webhook/preset-asana', ASANA_BODY, headers(secrets.asana));
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			headers: { 'x-hook-signature': '[redacted]' },
			verification: { scheme: 'asana', secret: 'current' },
		});
	});

	it('Microsoft Graph: POST ?validationToken= is echoed as text/plain with nosniff, no execution; a wrong clientState gets 401', async () => {
		const token = 'Validation: Testing client application reachability for subscription Request-Id: 1d9aba43';
		await expectNoExecution(async () => {
			// As Graph sends it: a POST with the token in the query, an empty text/plain body.
			const answer = await post(`/webhook/preset-graph?validationToken=${encodeURIComponent(token)}`, '', { 'content-type': 'text/plain; charset=utf-8' });
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
			expect(answer.text).toBe(token);
			const forged = await post('/webhook/preset-graph', graphBody('forged-client-state'), { 'content-type': 'application/json' });
			expect(forged.status).toBe(401);
			expect(errorOf(forged)).toBe('invalid_token');
		});
		const { response, execution } = await runOne('/webhook/preset-graph', graphBody(secrets.graph), { 'content-type': 'application/json' });
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			body: { value: [{ changeType: 'created' }] },
			verification: { scheme: 'microsoftGraph', secret: 'current' },
		});
		expect(execution.raw).not.toContain(secrets.graph);
	});

	it('Okta: the GET verification is answered {"verification": …} without an execution; a wrong secret gets 401', async () => {
		const challenge = 'X-Okta-Verification-Challenge-Value';
		await expectNoExecution(async () => {
			const answer = await n8n.request('GET', '/webhook/preset-okta', { headers: { authorization: secrets.okta, 'x-okta-verification-challenge': challenge } });
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			expect(answer.json()).toEqual({ verification: challenge });
			const forged = await n8n.request('GET', '/webhook/preset-okta', { headers: { authorization: 'e2e-forger', 'x-okta-verification-challenge': challenge } });
			expect(forged.status).toBe(401);
			expect(errorOf(forged)).toBe('invalid_token');
			expect(forged.text).not.toContain(challenge);
		});
		const body = JSON.stringify({ eventType: 'com.okta.event_hook', eventId: 'e2e-okta-1', data: { events: [{ eventType: 'user.lifecycle.create' }] } });
		const { response, execution } = await runOne('/webhook/preset-okta', body, { 'content-type': 'application/json', authorization: secrets.okta });
		expect(response.status).toBe(200);
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			headers: { authorization: '[redacted]' },
			verification: { scheme: 'okta', secret: 'current' },
		});
		expect(execution.raw).not.toContain(secrets.okta);
	});
});
