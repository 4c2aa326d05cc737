import { createHmac } from 'crypto';

import type { Execution } from './harness/n8n';
import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import type { NodeSpec } from './harness/workflow';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(300_000);

// Test secrets, imported as n8n credentials (n8n encrypts them at rest).
const secrets = {
	bearer: 'bearer-e2e-token-5f1c9a',
	header: 'header-e2e-token-77ab02',
	query: 'query-e2e-token-c0ffee',
	kiwify: 'kiwify-e2e-secret-1234',
	hmac256: 'hmac256-e2e-secret-9876',
	slack: '8f742231b10e8888abcd99yyyzzz85a5',
	metaVerify: 'meta-verify-e2e-0042',
	metaApp: 'meta-app-secret-e2e-0043',
};

const credentials = [
	{ id: 'e2eCredBearer01', name: 'Bearer', type: 'webhookBearerAuthApi', data: { token: secrets.bearer } },
	{
		id: 'e2eCredHeader01',
		name: 'Header',
		type: 'webhookHeaderAuthApi',
		data: { headerName: 'X-Webhook-Token', token: secrets.header },
	},
	{ id: 'e2eCredQuery001', name: 'Query', type: 'webhookQueryAuthApi', data: { parameterName: 'token', token: secrets.query } },
	{
		id: 'e2eCredKiwify01',
		name: 'Kiwify',
		type: 'webhookHmacApi',
		data: { secret: secrets.kiwify, algorithm: 'sha1', source: 'query', parameterName: 'signature', encoding: 'hex', prefix: '' },
	},
	{
		id: 'e2eCredHmac2561',
		name: 'HMAC 256',
		type: 'webhookHmacApi',
		data: {
			secret: secrets.hmac256,
			algorithm: 'sha256',
			source: 'header',
			parameterName: 'X-Signature',
			encoding: 'hex',
			prefix: 'sha256=',
		},
	},
	{ id: 'e2eCredSlack001', name: 'Slack', type: 'webhookSlackApi', data: { signingSecret: secrets.slack } },
	{
		id: 'e2eCredMeta0001',
		name: 'Meta',
		type: 'webhookMetaApi',
		data: { verifyToken: secrets.metaVerify, appSecret: secrets.metaApp },
	},
];

const credentialFor: Record<string, { type: string; id: string; name: string }> = {};
for (const c of credentials) credentialFor[c.name] = { type: c.type, id: c.id, name: c.name };

/** A workflow: Webhook Trigger (with `parameters`) → one NoOp per output, named after the output. */
function triggerWorkflow(id: string, parameters: Record<string, unknown>, outputs: string[], credential?: string) {
	const trigger: NodeSpec = { name: 'Trigger', type: nodeType('webhookTrigger'), parameters };
	if (credential) {
		const c = credentialFor[credential];
		trigger.credentials = { [c.type]: { id: c.id, name: c.name } };
	}
	return workflow(id, trigger, outputs.map(noOp), { Trigger: outputs.map((o) => [o]) });
}

const events = {
	// An expression at the top level too: the webhook reads plain values from its copy of the node
	// and must hand expressions to n8n (nodeParameters.ts).
	eventPath: "={{ 'body.' + 'event' }}",
	cases: {
		values: [
			// Case values may be expressions; n8n resolves them before the node compares.
			{ label: 'Approved', value: "={{ 'order_' + 'approved' }}" },
			{ label: 'Refunded', value: 'order_refunded' },
		],
	},
};
const routed = ['Approved', 'Refunded', 'Else'];

const workflows = [
	triggerWorkflow(
		'e2eWtPublic0001',
		{
			path: 'public',
			authentication: 'none',
			...events,
			variables: { values: [{ path: 'body.data[0].email', name: 'email' }, { path: 'body.missing[3].x', name: 'nothing' }] },
			options: { saveBodyAs: 'payload', responseCode: 202, responseBody: '{"ok":1}', responseHeaders: { values: [{ name: 'X-Gateway', value: 'yes' }] } },
		},
		routed,
	),
	triggerWorkflow('e2eWtBearer0001', { path: 'bearer', authentication: 'bearer' }, ['Out'], 'Bearer'),
	// A trigger saved at node version 1 (before 1.1): still served the same way.
	workflow(
		'e2eWtVersion101',
		{
			name: 'Trigger',
			type: nodeType('webhookTrigger'),
			typeVersion: 1,
			parameters: { path: 'bearer-v1', authentication: 'bearer', ...events },
			credentials: { webhookBearerAuthApi: { id: 'e2eCredBearer01', name: 'Bearer' } },
		},
		['Approved', 'Refunded', 'Else'].map(noOp),
		{ Trigger: [['Approved'], ['Refunded'], ['Else']] },
	),
	triggerWorkflow('e2eWtHeader0001', { path: 'header', authentication: 'header' }, ['Out'], 'Header'),
	triggerWorkflow('e2eWtQuery00001', { path: 'query', authentication: 'query' }, ['Out'], 'Query'),
	triggerWorkflow('e2eWtKiwify0001', { path: 'kiwify', authentication: 'hmac', ...events }, routed, 'Kiwify'),
	triggerWorkflow('e2eWtHmac2560001', { path: 'hmac256', authentication: 'hmac' }, ['Out'], 'HMAC 256'),
	triggerWorkflow('e2eWtSlack00001', { path: 'slack', authentication: 'slack', eventPath: 'body.type', cases: { values: [{ label: 'Event', value: 'event_callback' }] } }, ['Event', 'Else'], 'Slack'),
	triggerWorkflow('e2eWtMeta000001', { path: 'meta', authentication: 'meta' }, ['Out'], 'Meta'),
	triggerWorkflow('e2eWtIpDeny0001', { path: 'ip-deny', ipAllowlist: '10.9.8.7\n2001:db8::/32' }, ['Out']),
	triggerWorkflow('e2eWtIpAllow001', { path: 'ip-allow', ipAllowlist: '10.0.0.0/8\n127.0.0.0/8' }, ['Out']),
	triggerWorkflow('e2eWtOrigin0001', { path: 'origin', originAllowlist: 'https://app.kiwify.com.br' }, ['Out']),
	triggerWorkflow(
		'e2eWtLimits0001',
		{
			path: 'limits',
			options: {
				maxBodyBytes: 200,
				jsonSchema: JSON.stringify({ type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } }),
			},
		},
		['Out'],
	),
	// Rate limits: by the caller's address (before verification) and by a body path (after it).
	triggerWorkflow('e2eWtRateIp0001', { path: 'rate-ip', options: { rateLimit: 10, rateLimitWindowSeconds: 60 } }, ['Out']),
	triggerWorkflow(
		'e2eWtRateTen001',
		{ path: 'rate-tenant', authentication: 'header', options: { rateLimit: 3, rateLimitWindowSeconds: 60, rateLimitKey: 'path', rateLimitKeyPath: 'body.tenant' } },
		['Out'],
		'Header',
	),
	triggerWorkflow('e2eWtLastNode01', { path: 'last-node', responseMode: 'lastNode' }, ['Out']),
	workflow(
		'e2eWtRespNode01',
		{ name: 'Trigger', type: nodeType('webhookTrigger'), parameters: { path: 'respond-node', responseMode: 'responseNode' } },
		[
			{
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				// From 1.1 on, Respond to Webhook refuses every trigger but n8n's own (see docs/webhook-trigger.md, Respond).
				typeVersion: 1,
				parameters: { respondWith: 'text', responseBody: '=handled {{ $json.body.n }}', options: { responseCode: 201 } },
			},
		],
		{ Trigger: [['Respond']] },
	),
];

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const hmac = (algorithm: string, secret: string, data: string) => createHmac(algorithm, secret).update(data).digest('hex');

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('Webhook Trigger in %s', (_label, version) => {
	let n8n: N8nInstance;

	/** Sends the calls, then one sentinel call that must run; only the sentinel's execution may appear. */
	async function expectNoExecution(calls: () => Promise<void>): Promise<void> {
		const since = await n8n.lastExecutionId();
		await calls();
		const sentinel = await n8n.request('POST', '/webhook/bearer', {
			...json({ sentinel: true }),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.bearer}` },
		});
		expect(sentinel.status).toBe(200);
		const executions = await n8n.waitForExecutions(since, 1);
		await new Promise((resolve) => setTimeout(resolve, 500));
		const after = await n8n.executions(since);
		expect(after.map((e) => e.workflowId)).toEqual(['e2eWtBearer0001']);
		expect(executions[0].workflowId).toBe('e2eWtBearer0001');
	}

	async function runOne(method: string, path: string, options: Parameters<N8nInstance['request']>[2]) {
		const since = await n8n.lastExecutionId();
		const response = await n8n.request(method, path, options);
		const [execution] = response.status < 300 ? await n8n.waitForExecutions(since, 1) : [undefined];
		return { response, execution: execution as Execution };
	}

	/** The outputs of the trigger that carried an item, by index. */
	const firedOutputs = (execution: Execution) =>
		execution.nodes.Trigger.outputs.flatMap((items, index) => (items.length ? [index] : []));

	beforeAll(async () => {
		// One proxy hop trusted, as behind a reverse proxy: n8n resolves the client from X-Forwarded-For.
		n8n = await N8nInstance.create(version, { credentials, workflows, env: { N8N_PROXY_HOPS: '1' } });
		// 2.x registers published workflows one by one after readiness: wait for every path.
		await n8n.start(workflows.map((w) => `/webhook/${(w.nodes as Array<{ parameters: { path: string } }>)[0].parameters.path}`));
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	it('routes by event case and else, maps variables, answers with the configured response', async () => {
		const payload = { event: 'order_refunded', data: [{ email: 'ana@example.com' }] };
		const { response, execution } = await runOne('POST', '/webhook/public?utm=x', json(payload));
		expect(response.status).toBe(202);
		expect(response.text).toBe('{"ok":1}');
		expect(response.headers.get('x-gateway')).toBe('yes');
		expect(firedOutputs(execution)).toEqual([1]);
		const item = execution.nodes.Trigger.outputs[1][0];
		expect(item).toMatchObject({
			body: payload,
			query: { utm: 'x' },
			method: 'POST',
			ip: expect.stringMatching(/127\.0\.0\.1$/),
			event: { path: 'body.event', value: 'order_refunded', case: 'Refunded' },
			variables: { email: 'ana@example.com', nothing: null, payload },
			verification: { scheme: 'none' },
		});
		expect(new Date(item.receivedAt as string).toISOString()).toBe(item.receivedAt);
		expect(execution.nodes.Refunded.outputs[0]).toHaveLength(1);
		expect(execution.nodes.Approved).toBeUndefined();

		const other = await runOne('POST', '/webhook/public', json({ event: 'something_else' }));
		expect(firedOutputs(other.execution)).toEqual([2]);
		expect(other.execution.nodes.Else.outputs[0]).toHaveLength(1);
	});

	it('bearer: accepts the token, rejects missing and wrong ones with 401 + WWW-Authenticate and no execution', async () => {
		const ok = await runOne('POST', '/webhook/bearer', {
			...json({ a: 1 }),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.bearer}` },
		});
		expect(ok.response.status).toBe(200);
		expect(ok.execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			headers: { authorization: '[redacted]' },
			verification: { scheme: 'bearer' },
		});
		expect(ok.execution.raw).not.toContain(secrets.bearer);

		await expectNoExecution(async () => {
			const missing = await n8n.request('POST', '/webhook/bearer', json({ a: 1 }));
			expect(missing.status).toBe(401);
			expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
			expect(missing.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
			const wrong = await n8n.request('POST', '/webhook/bearer', {
				...json({ a: 1 }),
				headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.bearer}x` },
			});
			expect(wrong.status).toBe(401);
			expect(wrong.text).not.toContain(secrets.bearer);
		});
	});

	it('a trigger saved at node version 1 routes and rejects as version 1.1 does', async () => {
		const ok = await runOne('POST', '/webhook/bearer-v1', {
			...json({ event: 'order_refunded' }),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.bearer}` },
		});
		expect(ok.response.status).toBe(200);
		expect(firedOutputs(ok.execution)).toEqual([1]);
		await expectNoExecution(async () => {
			const wrong = await n8n.request('POST', '/webhook/bearer-v1', {
				...json({ event: 'order_refunded' }),
				headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
			});
			expect(wrong.status).toBe(401);
		});
	});

	it('custom header and query token: accepted, redacted in saved data, wrong ones rejected', async () => {
		const header = await runOne('POST', '/webhook/header', {
			...json({ a: 1 }),
			headers: { 'content-type': 'application/json', 'x-webhook-token': secrets.header },
		});
		expect(header.response.status).toBe(200);
		expect(header.execution.raw).not.toContain(secrets.header);

		const query = await runOne('POST', `/webhook/query?token=${secrets.query}&keep=1`, json({ a: 1 }));
		expect(query.response.status).toBe(200);
		expect(query.execution.nodes.Trigger.outputs[0][0].query).toEqual({ token: '[redacted]', keep: '1' });
		expect(query.execution.raw).not.toContain(secrets.query);

		await expectNoExecution(async () => {
			const wrongHeader = await n8n.request('POST', '/webhook/header', {
				...json({ a: 1 }),
				headers: { 'content-type': 'application/json', 'x-webhook-token': 'nope' },
			});
			expect(wrongHeader.status).toBe(401);
			expect((await n8n.request('POST', '/webhook/query?token=nope', json({ a: 1 }))).status).toBe(401);
			expect((await n8n.request('POST', '/webhook/query', json({ a: 1 }))).status).toBe(401);
		});
	});

	it('HMAC: Kiwify (SHA-1 in query) and SHA-256 header with prefix, over the raw bytes', async () => {
		// Unusual spacing: the signature covers the bytes sent, not a re-serialisation.
		const raw = '{ "event":"order_approved",  "order_id": "k-1" }';
		const kiwify = await runOne('POST', `/webhook/kiwify?signature=${hmac('sha1', secrets.kiwify, raw)}`, {
			body: raw,
			headers: { 'content-type': 'application/json' },
		});
		expect(kiwify.response.status).toBe(200);
		expect(firedOutputs(kiwify.execution)).toEqual([0]);
		expect(kiwify.execution.nodes.Trigger.outputs[0][0]).toMatchObject({
			query: { signature: '[redacted]' },
			verification: { scheme: 'hmac' },
		});

		const sha256 = await runOne('POST', '/webhook/hmac256', {
			body: raw,
			headers: { 'content-type': 'application/json', 'x-signature': `sha256=${hmac('sha256', secrets.hmac256, raw)}` },
		});
		expect(sha256.response.status).toBe(200);

		await expectNoExecution(async () => {
			const reserialised = JSON.stringify(JSON.parse(raw));
			const wrong = await n8n.request('POST', `/webhook/kiwify?signature=${hmac('sha1', secrets.kiwify, reserialised)}`, {
				body: raw,
				headers: { 'content-type': 'application/json' },
			});
			expect(wrong.status).toBe(401);
			const missing = await n8n.request('POST', '/webhook/kiwify', { body: raw, headers: { 'content-type': 'application/json' } });
			expect(missing.status).toBe(401);
			const noPrefix = await n8n.request('POST', '/webhook/hmac256', {
				body: raw,
				headers: { 'content-type': 'application/json', 'x-signature': hmac('sha256', secrets.hmac256, raw) },
			});
			expect(noPrefix.status).toBe(401);
		});
	});

	it('Slack: signed events run, url_verification is answered without an execution, stale timestamps are refused', async () => {
		const now = Math.floor(Date.now() / 1000);
		const sign = (ts: number, body: string) => ({
			'content-type': 'application/json',
			'x-slack-request-timestamp': String(ts),
			'x-slack-signature': `v0=${hmac('sha256', secrets.slack, `v0:${ts}:${body}`)}`,
		});
		const event = JSON.stringify({ type: 'event_callback', event: { type: 'message', text: 'hi' } });
		const ok = await runOne('POST', '/webhook/slack', { body: event, headers: sign(now, event) });
		expect(ok.response.status).toBe(200);
		expect(firedOutputs(ok.execution)).toEqual([0]);

		await expectNoExecution(async () => {
			const challenge = JSON.stringify({ token: 't', challenge: 'c-3eZbrw1aBm2rZgRN', type: 'url_verification' });
			const handshake = await n8n.request('POST', '/webhook/slack', { body: challenge, headers: sign(now, challenge) });
			expect(handshake.status).toBe(200);
			expect(handshake.json()).toEqual({ challenge: 'c-3eZbrw1aBm2rZgRN' });

			const stale = await n8n.request('POST', '/webhook/slack', { body: event, headers: sign(now - 301, event) });
			expect(stale.status).toBe(401);
			const forged = await n8n.request('POST', '/webhook/slack', {
				body: event,
				headers: { ...sign(now, event), 'x-slack-signature': 'v0=' + '0'.repeat(64) },
			});
			expect(forged.status).toBe(401);
		});
	});

	it('Meta: GET hub.challenge handshake, 403 on a wrong verify token, signed POSTs run', async () => {
		await expectNoExecution(async () => {
			const handshake = await n8n.request(
				'GET',
				`/webhook/meta?hub.mode=subscribe&hub.verify_token=${secrets.metaVerify}&hub.challenge=1158201444`,
			);
			expect(handshake.status).toBe(200);
			expect(handshake.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(handshake.text).toBe('1158201444');

			const wrong = await n8n.request('GET', '/webhook/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1');
			expect(wrong.status).toBe(403);
			expect(wrong.text).not.toContain('1158201444');

			const unsigned = await n8n.request('POST', '/webhook/meta', json({ object: 'whatsapp_business_account' }));
			expect(unsigned.status).toBe(401);
			// GET on a scheme without a handshake: 405, nothing runs.
			const get = await n8n.request('GET', '/webhook/bearer');
			expect(get.status).toBe(405);
		});

		const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1' }] });
		const signed = await runOne('POST', '/webhook/meta', {
			body,
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmac('sha256', secrets.metaApp, body)}` },
		});
		expect(signed.response.status).toBe(200);
		expect(signed.execution.raw).not.toContain(secrets.metaApp);
	});

	it('IP and Origin allowlists: 403 without an execution, allowed callers run', async () => {
		await expectNoExecution(async () => {
			const denied = await n8n.request('POST', '/webhook/ip-deny', json({ a: 1 }));
			expect(denied.status).toBe(403);
			expect(denied.json()).toMatchObject({ error: 'ip_not_allowed' });
			const badOrigin = await n8n.request('POST', '/webhook/origin', {
				...json({ a: 1 }),
				headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
			});
			expect(badOrigin.status).toBe(403);
			expect(badOrigin.json()).toMatchObject({ error: 'origin_not_allowed' });
		});

		expect((await runOne('POST', '/webhook/ip-allow', json({ a: 1 }))).response.status).toBe(200);
		// Behind the trusted proxy hop the client is the X-Forwarded-For address: IPv4 entry, IPv6 CIDR.
		for (const client of ['10.9.8.7', '2001:db8::5']) {
			const proxied = await runOne('POST', '/webhook/ip-deny', {
				...json({ a: 1 }),
				headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
			});
			expect(proxied.response.status).toBe(200);
			expect(proxied.execution.nodes.Trigger.outputs[0][0].ip).toBe(client);
		}
		const origin = await runOne('POST', '/webhook/origin', {
			...json({ a: 1 }),
			headers: { 'content-type': 'application/json', origin: 'https://app.kiwify.com.br' },
		});
		expect(origin.response.status).toBe(200);
		expect(origin.execution.nodes.Trigger.outputs[0][0].origin).toBe('https://app.kiwify.com.br');
	});

	/** Fixed 60 s windows from the epoch: calls that straddled an edge met two windows. */
	const minuteOf = (ms: number) => Math.floor(ms / 60_000);

	it('rate limit by caller IP: 100 calls at 10 per minute run 10, the rest 429 with Retry-After, another IP unaffected', async () => {
		const since = await n8n.lastExecutionId();
		const from = (ip: string) => ({ ...json({ a: 1 }), headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
		const before = Date.now();
		const answers = [];
		for (let i = 0; i < 10; i++) answers.push(...(await Promise.all(Array.from({ length: 10 }, async () => await n8n.request('POST', '/webhook/rate-ip', from('10.20.30.40'))))));
		const windows = minuteOf(Date.now()) - minuteOf(before) + 1;
		const ok = answers.filter((r) => r.status === 200);
		const limited = answers.filter((r) => r.status === 429);
		expect(ok.length + limited.length).toBe(100);
		if (windows === 1) expect(ok).toHaveLength(10);
		else expect(ok.length).toBeLessThanOrEqual(10 * windows);
		for (const r of limited) {
			expect(r.json()).toMatchObject({ error: 'rate_limited' });
			expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
		}
		expect((await n8n.request('POST', '/webhook/rate-ip', from('10.20.30.41'))).status).toBe(200);
		const runs = await n8n.waitForExecutions(since, ok.length + 1);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await n8n.executions(since)).filter((e) => e.workflowId === 'e2eWtRateIp0001')).toHaveLength(ok.length + 1);
		expect(runs.filter((e) => e.workflowId === 'e2eWtRateIp0001').length).toBe(ok.length + 1);
	});

	it("rate limit by body path: forged calls carrying tenant A's id spend nothing of tenant A's quota", async () => {
		const since = await n8n.lastExecutionId();
		const call = (tenant: string, token: string) => ({ ...json({ tenant }), headers: { 'content-type': 'application/json', 'x-webhook-token': token } });
		const before = Date.now();
		const forged = await Promise.all(Array.from({ length: 20 }, async () => await n8n.request('POST', '/webhook/rate-tenant', call('tenant-a', 'forged-token'))));
		expect(forged.map((r) => r.status)).toEqual(Array(20).fill(401));
		const genuine = [];
		for (let i = 0; i < 4; i++) genuine.push((await n8n.request('POST', '/webhook/rate-tenant', call('tenant-a', secrets.header))).status);
		const otherTenant = (await n8n.request('POST', '/webhook/rate-tenant', call('tenant-b', secrets.header))).status;
		if (minuteOf(Date.now()) === minuteOf(before)) expect(genuine).toEqual([200, 200, 200, 429]);
		else expect(genuine.slice(0, 3)).toEqual([200, 200, 200]);
		expect(otherTenant).toBe(200);
		const admitted = genuine.filter((s) => s === 200).length + 1;
		await n8n.waitForExecutions(since, admitted);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await n8n.executions(since)).filter((e) => e.workflowId === 'e2eWtRateTen001')).toHaveLength(admitted);
	});

	it('body limit 413, schema violation 422 with the errors, invalid JSON refused by n8n itself', async () => {
		await expectNoExecution(async () => {
			const big = await n8n.request('POST', '/webhook/limits', json({ email: 'a@example.com', pad: 'x'.repeat(300) }));
			expect(big.status).toBe(413);
			expect(big.json()).toMatchObject({ error: 'payload_too_large' });

			const invalid = await n8n.request('POST', '/webhook/limits', json({ email: 42 }));
			expect(invalid.status).toBe(422);
			expect(invalid.json()).toMatchObject({ error: 'schema_violation', errors: [{ path: '/email' }] });

			const broken = await n8n.request('POST', '/webhook/limits', {
				body: '{"email": ',
				headers: { 'content-type': 'application/json' },
			});
			expect(broken.status).toBe(422);
		});
		expect((await runOne('POST', '/webhook/limits', json({ email: 'a@example.com' }))).response.status).toBe(200);
	});

	it('responds with the last node output in "When Last Node Finishes" mode', async () => {
		const { response } = await runOne('POST', '/webhook/last-node', json({ event: 'x', n: 7 }));
		expect(response.status).toBe(200);
		expect(response.json()).toMatchObject({ body: { event: 'x', n: 7 }, verification: { scheme: 'none' } });
	});

	it('works on the test URL after "Listen for test event"; a rejected call there ends the listening with its reason', async () => {
		// What the editor does: start a manual run from the trigger, which registers /webhook-test/<path>.
		const session = { ...(await n8n.ownerSession()), 'content-type': 'application/json' };
		const saved = await n8n.request('GET', '/rest/workflows/e2eWtBearer0001', { headers: session });
		expect(saved.status).toBe(200);
		const workflowData = saved.json<{ data: Record<string, unknown> }>().data;
		const listen = async () => {
			const answer = await n8n.request('POST', '/rest/workflows/e2eWtBearer0001/run', {
				headers: session,
				body: JSON.stringify({ workflowData, triggerToStartFrom: { name: 'Trigger' } }),
			});
			expect(answer.json()).toEqual({ data: { waitingForWebhook: true } });
		};

		await listen();
		let since = await n8n.lastExecutionId();
		const unsigned = await n8n.request('POST', '/webhook-test/bearer', json({ test: 1 }));
		expect(unsigned.status).toBe(401);
		// The editor is told why: the test execution fails at the trigger with the reason (issue 19).
		const [rejected] = await n8n.waitForExecutions(since, 1);
		expect(rejected).toMatchObject({ mode: 'manual', status: 'error' });
		expect(rejected.nodes.Trigger.error).toMatch(/^Test call rejected: \w+ \(HTTP 401\)$/);
		expect(rejected.raw).not.toContain(secrets.bearer);
		// ...and n8n stops listening, as after any test event.
		expect((await n8n.request('POST', '/webhook-test/bearer', json({ test: 1 }))).status).toBe(404);

		await listen();
		since = await n8n.lastExecutionId();
		const signed = await n8n.request('POST', '/webhook-test/bearer', {
			...json({ test: 2 }),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.bearer}` },
		});
		expect(signed.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(since, 1);
		expect(execution.mode).toBe('manual');
		expect(execution.nodes.Trigger.outputs[0][0]).toMatchObject({ body: { test: 2 } });
		expect(await n8n.executions(since)).toHaveLength(1);
	});

	it('checks a signing credential from the editor: complete is OK, an empty secret is named', async () => {
		const complete = credentials.find((c) => c.name === 'HMAC 256')!;
		expect(await n8n.testCredential(complete.id, complete.type, complete.data)).toMatchObject({ status: 'OK' });
		const empty = await n8n.testCredential(complete.id, complete.type, { ...complete.data, secret: '' });
		expect(empty).toEqual({ status: 'Error', message: 'Secret is empty' });
	});

	it("responds through a 'Respond to Webhook' node", async () => {
		const { response, execution } = await runOne('POST', '/webhook/respond-node', json({ n: 5 }));
		expect(response.status).toBe(201);
		expect(response.text).toBe('handled 5');
		expect(execution.status).toBe('success');
	});
});
