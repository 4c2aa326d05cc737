import { createHmac } from 'crypto';

import type { Execution } from './harness/n8n';
import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import type { NodeSpec } from './harness/workflow';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(300_000);

/**
 * Provider presets through a real n8n: each provider's own signing, a replayed (old) Stripe call,
 * Twilio's form body signed over the public URL (WEBHOOK_URL, not the address the call reached),
 * Zoom's url_validation handshake.
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
};

const credentials = [
	{ id: 'e2ePresetStripe1', name: 'Stripe', type: 'webhookSigningSecretApi', data: { secret: secrets.stripe, previousSecret: secrets.stripeOld, toleranceSeconds: 300 } },
	{ id: 'e2ePresetGithub1', name: 'GitHub', type: 'webhookSigningSecretApi', data: { secret: secrets.github, previousSecret: '', toleranceSeconds: 300 } },
	{ id: 'e2ePresetStdWh01', name: 'Standard', type: 'webhookSigningSecretApi', data: { secret: secrets.standard, previousSecret: '', toleranceSeconds: 300 } },
	{ id: 'e2ePresetTwilio1', name: 'Twilio', type: 'webhookTwilioApi', data: { authToken: secrets.twilio, previousAuthToken: '', publicUrl: '' } },
	{ id: 'e2ePresetZoom001', name: 'Zoom', type: 'webhookSigningSecretApi', data: { secret: secrets.zoom, previousSecret: '', toleranceSeconds: 300 } },
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
	presetWorkflow('e2ePresetWfSent', 'preset-sentinel', 'none'),
];

const hex = (algorithm: string, key: string | Buffer, data: string) => createHmac(algorithm, key).update(data).digest('hex');
const base64 = (algorithm: string, key: string | Buffer, data: string) => createHmac(algorithm, key).update(data).digest('base64');
const nowSeconds = () => Math.floor(Date.now() / 1000);

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
});
