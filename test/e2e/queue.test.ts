import { createHmac } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { Client } from 'pg';

import { postgresCredentialsFromUrl } from '../support/postgres';
import { classifyCopies } from './harness/copies';
import type { Execution } from './harness/n8n';
import { sleep } from './harness/n8n';
import { QueueCluster, redisReachable } from './harness/queue';
import { selectedVersions, versions } from './harness/versions';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(900_000);

/**
 * Issue 18: the package in n8n queue mode — one main, two webhook processors (`n8n webhook`), two
 * workers (`n8n worker`), Redis and n8n's database on PostgreSQL, the package installed in every
 * process's user folder. Calls alternate between the two webhook processors. The package's store
 * is the PostgreSQL credential (a schema per run), except for two workflows on the default store,
 * which follows n8n onto its own PostgreSQL database (schema webhook_gateway, no credential).
 */

const SECRET = 'queue-e2e-hmac-secret-1618';
const postgresUrl = process.env.TEST_POSTGRES_URL;
const redis = redisReachable();
const schema = `wgw_e2e_queue_${process.pid}`;
const missing = [postgresUrl ? '' : 'TEST_POSTGRES_URL is not set', redis ? '' : 'Redis does not answer at 127.0.0.1:6379'].filter(Boolean);
if (missing.length) console.log(`queue e2e: skipped (${missing.join('; ')})`);
const lines = selectedVersions();

const hmacCredential = {
	id: 'e2eQueueHmac001',
	name: 'Queue HMAC',
	type: 'webhookHmacApi',
	data: { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' },
};
const pgCredential = postgresUrl
	? { id: 'e2eQueuePgCred1', name: 'Queue PG', type: 'webhookGatewayPostgresApi', data: { ...postgresCredentialsFromUrl(postgresUrl, schema) } }
	: undefined;
const hmac = { webhookHmacApi: { id: hmacCredential.id, name: hmacCredential.name } };
const pg = { webhookGatewayPostgresApi: { id: 'e2eQueuePgCred1', name: 'Queue PG' } };

const ROUTE = 'e2eQueueRoute01';
const BIND = 'e2eQueueBind001';
const EMBEDDED_LOG = 'e2eQueueEmbLog1';
const EMBEDDED_BIND = 'e2eQueueEmbBind';

/** Routes by body.event to Paid / Refunded / Else; delivery log in PostgreSQL. */
const routeWorkflow = workflow(
	ROUTE,
	{
		name: 'Route In',
		type: nodeType('webhookTrigger'),
		parameters: {
			path: 'queue-route',
			authentication: 'hmac',
			store: 'postgres',
			eventPath: 'body.event',
			cases: { values: [{ label: 'Paid', value: 'paid' }, { label: 'Refunded', value: 'refunded' }] },
			options: { deliveryIdHeader: true },
		},
		credentials: { ...hmac, ...pg },
	},
	[noOp('Paid'), noOp('Refunded'), noOp('Else')],
	{ 'Route In': [['Paid'], ['Refunded'], ['Else']] },
);

/** Webhook Trigger → Customer Bind → Chat Bind, all on PostgreSQL; duplicates keyed by a header. */
const bindWorkflow = workflow(
	BIND,
	{
		name: 'Webhook Trigger',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'queue-bind', authentication: 'hmac', store: 'postgres', options: { duplicateKeyPath: 'headers.x-delivery-key' } },
		credentials: { ...hmac, ...pg },
	},
	[
		{
			name: 'Customer Bind',
			type: nodeType('customerBind'),
			credentials: pg,
			parameters: {
				store: 'postgres',
				fields: {
					values: [
						{ field: 'name', value: '={{ $json.body.customer.name }}', find: false },
						{ field: 'email', value: '={{ $json.body.customer.email }}', find: true },
						{ field: 'phone', value: '={{ $json.body.customer.phone }}', find: true },
					],
				},
				options: { defaultCountry: 'BR' },
			},
		},
		{
			name: 'Chat Bind',
			type: nodeType('chatBind'),
			credentials: pg,
			parameters: { store: 'postgres', channel: 'whatsapp', contactType: 'whatsapp', contact: '={{ $json.body.customer.phone }}' },
		},
		noOp('Bound'),
		noOp('Headless'),
	],
	{ 'Webhook Trigger': [['Customer Bind']], 'Customer Bind': [['Chat Bind']], 'Chat Bind': [['Bound'], ['Headless']] },
);

/** The trigger's delivery log on the default store: n8n's own database here. */
const embeddedLogWorkflow = workflow(
	EMBEDDED_LOG,
	{ name: 'Embedded Log', type: nodeType('webhookTrigger'), parameters: { path: 'queue-embedded-log', authentication: 'hmac' }, credentials: hmac },
	[noOp('Received')],
	{ 'Embedded Log': [['Received']] },
);

/** No delivery log; a Customer Bind on the default store. */
const embeddedBindWorkflow = workflow(
	EMBEDDED_BIND,
	{
		name: 'No Log',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'queue-embedded-bind', authentication: 'hmac', deliveryLog: false },
		credentials: hmac,
	},
	[
		{
			name: 'Customer Bind',
			type: nodeType('customerBind'),
			parameters: { store: 'embedded', fields: { values: [{ field: 'email', value: '={{ $json.body.email }}', find: true }] } },
		},
	],
	{ 'No Log': [['Customer Bind']] },
);

const WAITER = 'e2eQueueWaiter1';
const PAYMENTS = 'e2eQueuePaymnt1';

/** Correlated resume: a public call starts an execution that waits (on a worker) for its order id. */
const waiterWorkflow = workflow(
	WAITER,
	{ name: 'Checkout', type: nodeType('webhookTrigger'), parameters: { path: 'queue-checkout', authentication: 'none', deliveryLog: false } },
	[
		{
			name: 'Wait for Webhook',
			type: nodeType('waitForWebhook'),
			parameters: { triggerPath: 'queue-payments', correlationKey: '={{ $json.body.orderId }}', timeoutAmount: 600, timeoutUnit: 'seconds', store: 'postgres' },
			credentials: pg,
		},
		noOp('Captured'),
	],
	{ Checkout: [['Wait for Webhook']], 'Wait for Webhook': [['Captured']] },
);

/** The provider's fixed URL: resumes the execution waiting for body.order.id, 404 when none waits. */
const paymentsWorkflow = workflow(
	PAYMENTS,
	{
		name: 'Payments',
		type: nodeType('webhookTrigger'),
		parameters: {
			path: 'queue-payments',
			authentication: 'hmac',
			store: 'postgres',
			options: { resumeKeyPath: 'body.order.id', resumeWhenNotWaiting: 'reject404' },
		},
		credentials: { ...hmac, ...pg },
	},
	[noOp('Payments ran')],
	{ Payments: [['Payments ran']] },
);

/** Issue 29: one quota for the whole node (verified calls), shared by both webhook processors. */
const RATE = 'e2eQueueRate001';
const rateWorkflow = workflow(
	RATE,
	{
		name: 'Webhook Trigger',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'queue-rate', authentication: 'hmac', options: { rateLimit: 20, rateLimitWindowSeconds: 60, rateLimitKey: 'node' } },
		credentials: hmac,
	},
	[noOp('Rate ran')],
	{ 'Webhook Trigger': [['Rate ran']] },
);

/** Issue 28: the inbox in queue mode, on the default store (n8n's PostgreSQL), in batches of 10. */
const INBOX = 'e2eQueueInbox01';
const inboxWorkflow = workflow(
	INBOX,
	{
		name: 'Webhook Trigger',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'queue-inbox', authentication: 'hmac', options: { inbox: true, inboxBatchSize: 10, inboxBatchWindowMs: 500 } },
		credentials: hmac,
	},
	[noOp('Inbox ran')],
	{ 'Webhook Trigger': [['Inbox ran']] },
);

/** Issue 28's kill test in queue mode: batches of 10, a failed attempt retried after 2 s. */
const INBOX_KILL = 'e2eQueueInbKill';
const inboxKillWorkflow = workflow(
	INBOX_KILL,
	{
		name: 'Webhook Trigger',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'queue-inbox-kill', authentication: 'hmac', options: { inbox: true, inboxBatchSize: 10, inboxBatchWindowMs: 250, inboxRetrySeconds: 2 } },
		credentials: hmac,
	},
	[noOp('Inbox ran')],
	{ 'Webhook Trigger': [['Inbox ran']] },
);
const INBOX_KILL_TOTAL = 2_000;
const INBOX_KILL_CLIENTS = 50;

const paths = [
	'/webhook/queue-inbox',
	'/webhook/queue-inbox-kill',
	'/webhook/queue-rate',
	'/webhook/queue-route',
	'/webhook/queue-bind',
	'/webhook/queue-embedded-log',
	'/webhook/queue-embedded-bind',
	'/webhook/queue-checkout',
	'/webhook/queue-payments',
];
const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

interface Answer {
	status: number;
	text: string;
	headers: Headers;
	/** Which webhook processor was called (index). */
	via: number;
}

async function query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
	const client = new Client({ connectionString: postgresUrl });
	await client.connect();
	try {
		return (await client.query(sql, params)).rows as R[];
	} finally {
		await client.end();
	}
}

const run = Date.now().toString(36);
/** Person `i` of a burst: 20 people, each with an email and a Brazilian mobile number. */
const person = (burst: string, i: number) => ({
	name: `Person ${i}`,
	email: `p${i}.${burst}.${run}@example.com`,
	phone: `+55 11 9${String(burst === 'kill' ? 2000_0000 + i : 1000_0000 + i)}`,
});

const table = lines.map((v) => [`n8n ${v.n8n}`, v] as const);
(missing.length || !table.length ? describe.skip : describe).each(table.length ? table : [['n8n 2.x', versions.v2] as const])('queue mode in %s', (_label, version) => {
	let cluster: QueueCluster;
	let next = 0;

	beforeAll(async () => {
		const started = Date.now();
		cluster = await QueueCluster.create(version, {
			postgresUrl: postgresUrl!,
			credentials: [hmacCredential, pgCredential!],
			workflows: [routeWorkflow, bindWorkflow, embeddedLogWorkflow, embeddedBindWorkflow, waiterWorkflow, paymentsWorkflow, rateWorkflow, inboxWorkflow, inboxKillWorkflow],
		});
		await cluster.start(paths);
		console.log(`queue e2e (${version.n8n}): main, 2 webhook processors and 2 workers ready in ${Math.round((Date.now() - started) / 1000)} s`);
	});

	afterAll(async () => {
		await cluster?.dispose();
		if (postgresUrl) await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
	});

	/** On failure, the error carries the tail of every process's log; the whole logs go to a temp folder. */
	async function withLogs(body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			const names = ['main', ...cluster.webhooks.map((_, i) => `webhook-${i}`), ...cluster.workers.map((_, i) => `worker-${i}`)];
			const folder = mkdtempSync(join(tmpdir(), 'wgw-queue-logs-'));
			cluster.all.forEach((instance, i) => writeFileSync(join(folder, `${names[i]}.log`), instance.log));
			const logs = cluster.all.map((instance, i) => `--- ${names[i]} ---\n${instance.logTail(25)}`).join('\n');
			(error as Error).message += `\n${logs}\n(whole logs in ${folder})`;
			throw error;
		}
	}

	/** POSTs a signed (or forged) body to the webhook processors in turn; a failed call has status 0. */
	async function send(path: string, payload: unknown, headers: Record<string, string> = {}, forged = false): Promise<Answer> {
		const via = next++ % cluster.webhooks.length;
		const body = JSON.stringify(payload);
		try {
			const response = await fetch(`${cluster.webhooks[via].baseUrl}/webhook/${path}`, {
				method: 'POST',
				body,
				headers: { 'content-type': 'application/json', 'x-signature': forged ? `sha256=${'0'.repeat(64)}` : sign(body), ...headers },
				signal: AbortSignal.timeout(240_000),
			});
			return { status: response.status, text: await response.text(), headers: response.headers, via };
		} catch (error) {
			return { status: 0, text: (error as Error).message, headers: new Headers(), via };
		}
	}

	/** Retries after 2 s what was not answered 2xx, as providers do (up to 8 attempts); counts the retries. */
	const retried = { count: 0 };
	async function deliver(path: string, payload: unknown, headers: Record<string, string>): Promise<Answer> {
		let answer = await send(path, payload, headers);
		for (let attempt = 1; attempt < 8 && (answer.status === 0 || answer.status >= 500); attempt++) {
			retried.count++;
			await sleep(2_000);
			answer = await send(path, payload, headers);
		}
		return answer;
	}

	const ofWorkflow = <E extends { workflowId: string }>(executions: E[], id: string) => executions.filter((e) => e.workflowId === id);
	const triggerItem = (execution: Execution) => execution.nodes['Webhook Trigger'].outputs[0][0] as { body: { n: number }; headers: Record<string, string> };

	it('runs verified calls on the workers and routes them to the right output; forged calls start nothing', async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const forged = await Promise.all([0, 1, 2, 3].map(async (n) => await send('queue-route', { event: 'paid', n }, {}, true)));
		expect(forged.map((a) => a.status)).toEqual([401, 401, 401, 401]);
		expect(new Set(forged.map((a) => a.via))).toEqual(new Set([0, 1]));

		const events = ['paid', 'refunded', 'other', 'paid', 'refunded', 'other'];
		const answers = [];
		for (const [n, event] of events.entries()) answers.push(await send('queue-route', { event, n }));
		expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
		// The answer comes from the execution's first step, on a worker, once n8n has created it.
		const executionIds = answers.map((a) => a.headers.get('x-execution-id'));
		for (const id of executionIds) expect(id).toMatch(/^\d+$/);

		const executions = ofWorkflow(await cluster.waitForExecutions(since, 6), ROUTE);
		expect(executions.map((e) => e.id).sort()).toEqual([...executionIds].sort());
		const expected: Record<string, string> = { paid: 'Paid', refunded: 'Refunded', other: 'Else' };
		for (const execution of executions) {
			expect(execution.status).toBe('success');
			expect(execution.mode).toBe('webhook');
			const event = (execution.nodes['Route In'].outputs.flat()[0] as { body: { event: string } }).body.event;
			const ran = ['Paid', 'Refunded', 'Else'].filter((name) => execution.nodes[name]);
			expect(ran).toEqual([expected[event]]);
			expect(cluster.workersThatRan(execution.id)).toHaveLength(1);
		}
		// Nothing ran on the main.
		expect(cluster.main.log).not.toMatch(/started execution/i);
		expect(ofWorkflow(await cluster.executions(since), ROUTE)).toHaveLength(6);
	}));

	const burstIds: string[] = [];

	it('200 concurrent deliveries for 20 new people → 20 customers, 20 chats, each delivery executed once', async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		retried.count = 0;
		const answers = await Promise.all(
			Array.from({ length: 200 }, async (_, n) => {
				const key = `burst-${run}-${n}`;
				burstIds.push(key);
				return await deliver('queue-bind', { n, customer: person('burst', n % 20) }, { 'x-delivery-key': key });
			}),
		);
		console.log(`queue e2e (${version.n8n}): 200 deliveries answered 2xx after ${retried.count} retries of 5xx answers`);
		expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.text}`)).toEqual([]);
		const executions = ofWorkflow(await cluster.waitForExecutions(since, 200, 240_000), BIND);
		expect(executions).toHaveLength(200);
		expect(executions.filter((e) => e.status !== 'success').map((e) => `${e.id} ${e.status} ${e.error}`)).toEqual([]);
		expect(executions.map((e) => triggerItem(e).body.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, n) => n));
		expect(executions.filter((e) => cluster.workersThatRan(e.id).length !== 1)).toEqual([]);
		const perWorker = cluster.workers.map((_, w) => executions.filter((e) => cluster.workersThatRan(e.id)[0] === w).length);
		console.log(`queue e2e (${version.n8n}): 200 deliveries, executions per worker ${perWorker.join(' + ')}`);

		const [customers] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.customers WHERE email LIKE $1`, [`%.burst.${run}@example.com`]);
		const [chats] = await query<{ n: number; customers: number }>(
			`SELECT count(*)::int AS n, count(DISTINCT c.customer_id)::int AS customers FROM ${schema}.chats c
			 JOIN ${schema}.customers p ON p.id = c.customer_id WHERE p.email LIKE $1`,
			[`%.burst.${run}@example.com`],
		);
		expect(customers.n).toBe(20);
		expect(chats).toEqual({ n: 20, customers: 20 });
	}));

	const duplicateKey = `dup-${run}`;

	it('the same delivery sent 20 times across both webhook processors → one execution', async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const payload = { n: 1000, customer: person('burst', 0) };
		const answers = await Promise.all(Array.from({ length: 20 }, async () => await send('queue-bind', payload, { 'x-delivery-key': duplicateKey })));
		const copies = classifyCopies(answers);
		expect(copies).toMatchObject({ accepted: 1, other: [] });
		expect(copies.duplicate + copies.inProgress).toBe(19);
		expect(new Set(answers.map((a) => a.via))).toEqual(new Set([0, 1]));
		// Sentinel: a new delivery; once it has run, a second run of the first can no longer appear.
		expect((await send('queue-bind', { n: 1001, customer: person('burst', 1) }, { 'x-delivery-key': `${duplicateKey}-sentinel` })).status).toBe(200);
		await cluster.waitForExecutions(since, 2);
		const runs = ofWorkflow(await cluster.executions(since), BIND);
		expect(runs.map((e) => triggerItem(e).body.n).sort()).toEqual([1000, 1001]);
	}));

	it('the delivery log has every call exactly once, whichever webhook processor answered', async () => await withLogs(async () => {
		const rowsFor = async () =>
			await query<{ key: string; outcome: string; status: number; execution_id: string | null }>(
				`SELECT headers->>'x-delivery-key' AS key, outcome, status, execution_id FROM ${schema}.deliveries
				 WHERE workflow_id = $1 AND method = 'POST' AND headers->>'x-delivery-key' LIKE $2`,
				[BIND, `%-${run}%`],
			);
		// Written in batches (every 250 ms) by the webhook processors; execution ids linked by the workers.
		const accepted = (all: typeof rows) => all.filter((r) => r.outcome === 'accepted');
		const deadline = Date.now() + 30_000;
		let rows = await rowsFor();
		while (Date.now() < deadline && (accepted(rows).length < 202 || accepted(rows).some((r) => !r.execution_id))) {
			await sleep(500);
			rows = await rowsFor();
		}
		// One accepted record per delivery, naming its own execution; a retried call (after a 5xx)
		// is a call too: recorded as what it got (503 store unavailable: `error`), never accepted twice.
		const burst = rows.filter((r) => r.key.startsWith('burst-'));
		expect(accepted(burst).map((r) => r.key).sort()).toEqual([...burstIds].sort());
		expect(burst.filter((r) => r.outcome !== 'accepted' && !(r.outcome === 'error' && r.status === 503))).toEqual([]);
		const executionIds = ofWorkflow(await cluster.executions(), BIND).map((e) => e.id);
		expect(new Set(accepted(burst).map((r) => r.execution_id)).size).toBe(200);
		for (const row of accepted(burst)) expect(executionIds).toContain(row.execution_id);

		const duplicates = rows.filter((r) => r.key === duplicateKey);
		expect(duplicates.map((r) => r.outcome).sort()).toEqual(['accepted', ...Array(19).fill('duplicate')]);
		expect(rows.filter((r) => r.key === `${duplicateKey}-sentinel`).map((r) => r.outcome)).toEqual(['accepted']);
		console.log(`queue e2e (${version.n8n}): delivery log rows for the burst ${burst.length} (200 accepted), duplicates test ${duplicates.length + 1}`);
	}));

	it('resumes an execution waiting on a worker: 10 concurrent calls across both processors → one resume, the rest 404', async () => await withLogs(async () => {
		const orderId = `order-${run}`;
		const since = await cluster.lastExecutionId();
		expect((await send('queue-checkout', { orderId })).status).toBe(200);
		let waiting: string | undefined;
		const deadline = Date.now() + 120_000;
		while (!waiting && Date.now() < deadline) {
			waiting = (await cluster.statuses(since)).find((e) => e.workflowId === WAITER && e.status === 'waiting')?.id;
			if (!waiting) await sleep(500);
		}
		expect(waiting).toBeDefined();

		const payments = await cluster.lastExecutionId();
		const payload = { type: 'payment.succeeded', order: { id: orderId, total: 42 } };
		const answers = await Promise.all(Array.from({ length: 10 }, async () => await send('queue-payments', payload)));
		expect(new Set(answers.map((a) => a.via))).toEqual(new Set([0, 1]));
		expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(404)]);

		// The waiting execution went on (on a worker) with the call's item, once.
		const finishedBy = Date.now() + 120_000;
		let resumed: Execution | undefined;
		while (!resumed && Date.now() < finishedBy) {
			const status = (await cluster.statuses(String(Number(waiting) - 1))).find((e) => e.id === waiting)?.status;
			if (status && !['waiting', 'running', 'new'].includes(status)) resumed = (await cluster.executions(String(Number(waiting) - 1))).find((e) => e.id === waiting);
			else await sleep(500);
		}
		expect(resumed?.status).toBe('success');
		const captured = resumed!.nodes.Captured.outputs[0] as unknown as Array<{ body: unknown; correlation: unknown }>;
		expect(captured).toHaveLength(1);
		expect(captured[0].body).toEqual(payload);
		expect(captured[0].correlation).toEqual({ path: 'body.order.id', key: orderId });
		// The payments workflow itself never ran: the calls resumed or were refused.
		await sleep(1_000);
		expect(ofWorkflow(await cluster.statuses(payments), PAYMENTS)).toEqual([]);
		console.log(`queue e2e (${version.n8n}): execution ${waiting} resumed once by 10 concurrent calls (${answers.filter((a) => a.status === 404).length} × 404)`);
	}));

	it("keeps the default store in n8n's own PostgreSQL (no credential): the log of both processors and a bind on a worker", async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const logged = await Promise.all([0, 1].map(async (n) => await send('queue-embedded-log', { n })));
		expect(logged.map((a) => a.status)).toEqual([200, 200]);
		const email = `default-store.${run}@example.com`;
		const bound = await send('queue-embedded-bind', { email });
		expect(bound.status).toBe(200);
		const executions = await cluster.waitForExecutions(since, 3);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success', 'success']);
		const bind = executions.find((e) => e.workflowId === EMBEDDED_BIND);
		expect(bind?.nodes['Customer Bind'].outputs[0][0]).toMatchObject({ customerAction: 'created' });

		const client = new Client({ connectionString: cluster.n8nDatabaseUrl });
		await client.connect();
		try {
			const customers = await client.query('SELECT count(*)::int AS n FROM webhook_gateway.customers WHERE email = $1', [email]);
			expect(customers.rows).toEqual([{ n: 1 }]);
			// The log's batch is written within a second of the answer (the start's readiness probes
			// were logged too, as rejected calls).
			let rows: Array<{ outcome: string }> = [];
			for (let tries = 0; tries < 20 && rows.length < 2; tries++) {
				await sleep(500);
				({ rows } = await client.query("SELECT outcome FROM webhook_gateway.deliveries WHERE workflow_id = $1 AND outcome = 'accepted'", [EMBEDDED_LOG]));
			}
			expect(rows.map((row) => row.outcome)).toEqual(['accepted', 'accepted']);
		} finally {
			await client.end();
		}
	}));

	it('a rate limit of 20 a minute across both webhook processors: 60 calls alternating run at most 20', async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const minute = () => Math.floor(Date.now() / 60_000);
		const before = minute();
		const answers: Answer[] = [];
		for (let batch = 0; batch < 6; batch++) answers.push(...(await Promise.all(Array.from({ length: 10 }, async (_, n) => await send('queue-rate', { n: batch * 10 + n })))));
		const windows = minute() - before + 1;
		const ok = answers.filter((a) => a.status === 200);
		expect(ok.length + answers.filter((a) => a.status === 429).length).toBe(60);
		expect(new Set(answers.map((a) => a.via))).toEqual(new Set([0, 1]));
		// No overshoot within a window; under by at most the block (2) the other processor leased and did not spend.
		if (windows === 1) {
			expect(ok.length).toBeLessThanOrEqual(20);
			expect(ok.length).toBeGreaterThanOrEqual(18);
		} else expect(ok.length).toBeLessThanOrEqual(20 * windows);
		for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		await cluster.waitForExecutions(since, ok.length);
		await sleep(1_000);
		expect(ofWorkflow(await cluster.executions(since), RATE)).toHaveLength(ok.length);
	}));

	it('inbox: 200 deliveries across both webhook processors are answered 202 once stored, then each runs once on the workers, in batches', async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const answers: Answer[] = [];
		for (let round = 0; round < 10; round++) answers.push(...(await Promise.all(Array.from({ length: 20 }, async (_, n) => await send('queue-inbox', { n: round * 20 + n })))));
		expect(answers.map((a) => a.status)).toEqual(Array(200).fill(202));
		expect(new Set(answers.map((a) => a.via))).toEqual(new Set([0, 1]));
		expect((await send('queue-inbox', { n: -1 }, {}, true)).status).toBe(401);
		// Each execution carries up to 10 deliveries; all 200 run, each once.
		const ran = new Map<number, number>();
		const deadline = Date.now() + 180_000;
		let executions: Execution[] = [];
		while (Date.now() < deadline) {
			executions = ofWorkflow(await cluster.executions(since), INBOX).filter((e) => e.status === 'success');
			ran.clear();
			for (const execution of executions) {
				for (const item of execution.nodes['Webhook Trigger'].outputs[0] as Array<{ body: { n: number } }>) ran.set(item.body.n, (ran.get(item.body.n) ?? 0) + 1);
			}
			if (ran.size >= 200) break;
			await sleep(1_000);
		}
		await sleep(2_000);
		const all = ofWorkflow(await cluster.executions(since), INBOX);
		expect(all.every((e) => e.status === 'success' && e.mode === 'trigger')).toBe(true);
		expect([...ran.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, n) => n));
		expect([...ran.values()].every((count) => count === 1)).toBe(true);
		expect(all.length).toBeLessThan(200);
		// The leader's trigger emitted; the workers ran.
		for (const execution of all) expect(cluster.workersThatRan(execution.id)).toHaveLength(1);
	}));

	it(`inbox: ${INBOX_KILL_TOTAL} deliveries from ${INBOX_KILL_CLIENTS} clients, a worker SIGKILLed at a random moment and restarted → every delivery answered 202 has exactly one successful execution`, async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const run = `qkill-${Date.now()}`;
		const victim = cluster.workers[0];
		const killAfter = 300 + Math.floor(Math.random() * (INBOX_KILL_TOTAL * 0.6 - 300));
		let answered = 0;
		let sent = 0;
		let killedAt = -1;
		const killing = (async () => {
			const deadline = Date.now() + 400_000;
			while (Date.now() < deadline && answered < killAfter) await sleep(20);
			killedAt = answered;
			await victim.kill();
		})();
		const answers: Answer[] = [];
		await Promise.all(
			Array.from({ length: INBOX_KILL_CLIENTS }, async () => {
				while (sent < INBOX_KILL_TOTAL) {
					const n = sent++;
					answers[n] = await send('queue-inbox-kill', { id: `${run}-delivery-${n}` });
					answered++;
				}
			}),
		);
		await killing;
		// Read before the restart, which starts a new log: what the killed worker had taken on.
		const victimStarted = new Set(victim.log.match(/Worker started execution \d+/g) ?? []).size;
		// Its jobs cut off by the kill: n8n fails them as stalled, the inbox retries their deliveries.
		await victim.start([], 240_000);
		const acknowledged = answers.flatMap((a, n) => (a.status === 202 ? [`${run}-delivery-${n}`] : []));
		expect(answers.filter((a) => a.status !== 202).map((a) => `${a.status} ${a.text.slice(0, 120)}`)).toEqual([]);

		const pattern = new RegExp(`${run}-delivery-\\d+`, 'g');
		const successes = async () => {
			const counts = new Map<string, number>();
			const statuses: Record<string, number> = {};
			for (const execution of ofWorkflow(await cluster.executions(since), INBOX_KILL)) {
				statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
				if (execution.status !== 'success') continue;
				for (const id of new Set(execution.raw.match(pattern) ?? [])) counts.set(id, (counts.get(id) ?? 0) + 1);
			}
			return { counts, statuses };
		};
		let seen = await successes();
		const deadline = Date.now() + 300_000;
		while (Date.now() < deadline && acknowledged.some((id) => !seen.counts.has(id))) {
			await sleep(2_000);
			seen = await successes();
		}
		await sleep(3_000);
		seen = await successes();
		const missing = acknowledged.filter((id) => !seen.counts.has(id));
		const twice = [...seen.counts].filter(([, count]) => count > 1).map(([id]) => id);
		console.log(
			`queue e2e (${version.n8n}) inbox kill test: worker 0 SIGKILLed after ${killedAt} answers, having started ${victimStarted} executions; ${acknowledged.length} answered 202; ` +
				`executions ${JSON.stringify(seen.statuses)}; ${missing.length} without a successful execution, ${twice.length} run successfully twice`,
		);
		// The kill came mid-burst, while the victim was taking executions.
		expect(victimStarted).toBeGreaterThan(0);
		expect(missing).toEqual([]);
		expect(twice).toEqual([]);
	}));

	it('a worker SIGKILLed during a 200-delivery burst: no half-written customer or chat, no lost delivery record', async () => await withLogs(async () => {
		const since = await cluster.lastExecutionId();
		const keys = Array.from({ length: 200 }, (_, n) => `kill-${run}-${n}`);
		const victim = cluster.workers[0];
		let answered = 0;
		let killedAt = -1;
		const killing = (async () => {
			// Once 30 calls are answered: both workers are then running executions of this burst.
			const deadline = Date.now() + 240_000;
			while (Date.now() < deadline && answered < 30) await sleep(50);
			killedAt = answered;
			await victim.kill();
		})();
		retried.count = 0;
		const answers = await Promise.all(
			keys.map(async (key, n) => {
				const answer = await deliver('queue-bind', { n, customer: person('kill', n % 20) }, { 'x-delivery-key': key });
				answered++;
				return answer;
			}),
		);
		await killing;
		const statuses = answers.reduce<Record<string, number>>((count, a) => ({ ...count, [a.status]: (count[a.status] ?? 0) + 1 }), {});

		// Every delivery got an execution in n8n's database; wait until none is new or running.
		const deadline = Date.now() + 180_000;
		const settled = (all: Array<{ status: string }>) => all.length >= 200 && !all.some((e) => e.status === 'new' || e.status === 'running');
		while (Date.now() < deadline && !settled(ofWorkflow(await cluster.statuses(since), BIND))) await sleep(1000);
		const executions = ofWorkflow(await cluster.executions(since), BIND);
		const byStatus = executions.reduce<Record<string, number>>((count, e) => ({ ...count, [e.status]: (count[e.status] ?? 0) + 1 }), {});
		const victimStarted = executions.filter((e) => cluster.workersThatRan(e.id).includes(0));
		const rerun = victimStarted.filter((e) => cluster.workersThatRan(e.id).includes(1));
		const failed = executions.filter((e) => e.status !== 'success');
		const reasons = [...new Set(failed.map((e) => `${e.status}: ${e.error ?? Object.values(e.nodes).find((node) => node.error)?.error ?? '-'}`))];
		console.log(
			`queue e2e (${version.n8n}) kill test: worker 0 SIGKILLed after ${killedAt} answers; answers ${JSON.stringify(statuses)} ` +
				`(${answers.filter((a) => a.text.includes('"duplicate":true')).length} duplicate) after ${retried.count} retries of 5xx; ` +
				`executions ${executions.length} ${JSON.stringify(byStatus)}; worker 0 had started ${victimStarted.length} ` +
				`(${victimStarted.filter((e) => e.status !== 'success').length} not successful), ${rerun.length} of them run again by worker 1; ` +
				`last nodes of those not successful: ${JSON.stringify(failed.map((e) => e.lastNodeExecuted ?? null))}; reasons ${JSON.stringify(reasons)}`,
		);

		// The store: each bind is one transaction, so a kill leaves whole rows or none.
		const people = await query<{ email: string; phone: string | null; contacts: number; chats: number }>(
			`SELECT p.email, p.phone,
			   (SELECT count(*)::int FROM ${schema}.customer_contacts k WHERE k.customer_id = p.id) AS contacts,
			   (SELECT count(*)::int FROM ${schema}.chats c WHERE c.customer_id = p.id) AS chats
			 FROM ${schema}.customers p WHERE p.email LIKE $1 ORDER BY p.email`,
			[`%.kill.${run}@example.com`],
		);
		expect(people).toHaveLength(20);
		// email + phone columns, both also in customer_contacts (whatsapp too, from Chat Bind), one chat each.
		for (const row of people) expect(row).toMatchObject({ phone: expect.stringMatching(/^\+5511920000\d{3}$/), chats: 1 });
		for (const row of people) expect(row.contacts).toBeGreaterThanOrEqual(2);
		const [orphans] = await query<{ n: number }>(
			`SELECT count(*)::int AS n FROM ${schema}.chats c WHERE NOT EXISTS (SELECT 1 FROM ${schema}.customers p WHERE p.id = c.customer_id)`,
		);
		expect(orphans.n).toBe(0);

		// The delivery log (written by the webhook processors): every delivery exactly once.
		const logged = await query<{ key: string; outcome: string }>(
			`SELECT headers->>'x-delivery-key' AS key, outcome FROM ${schema}.deliveries
			 WHERE workflow_id = $1 AND method = 'POST' AND headers->>'x-delivery-key' LIKE $2`,
			[BIND, `kill-${run}-%`],
		);
		expect(logged.filter((r) => r.outcome === 'accepted').map((r) => r.key).sort()).toEqual([...keys].sort());
		expect(executions).toHaveLength(200);
		expect(victimStarted.length).toBeGreaterThan(0);
	}));
});
