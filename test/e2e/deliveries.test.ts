import { createHmac } from 'crypto';

import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(300_000);

/**
 * Issue 15 in a real n8n: 10 valid + 10 forged calls → 20 delivery records with the right
 * outcomes (embedded store, the default); the Webhook Deliveries node returns them inside a
 * workflow; the forged calls started nothing; after a restart the records are still there; no
 * secret in any record or in n8n's log.
 */

const SECRET = 'deliveries-e2e-hmac-secret-3141';
const credentials = [
	{
		id: 'e2eDlvHmac00001',
		name: 'Deliveries HMAC',
		type: 'webhookHmacApi',
		data: { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' },
	},
];

const signed = workflow(
	'e2eDlvSigned001',
	{
		name: 'Orders In',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'dlv-orders', authentication: 'hmac', eventPath: 'body.event', options: { deliveryIdHeader: true } },
		credentials: { webhookHmacApi: { id: 'e2eDlvHmac00001', name: 'Deliveries HMAC' } },
	},
	[noOp('Received')],
	{ 'Orders In': [['Received'], ['Received']] },
);

/** A second workflow that reads the log with the Webhook Deliveries node. */
const reader = workflow(
	'e2eDlvReader001',
	{ name: 'Read Log', type: nodeType('webhookTrigger'), parameters: { path: 'dlv-read', deliveryLog: false } },
	[
		{
			name: 'Webhook Deliveries',
			type: nodeType('webhookDeliveries'),
			parameters: { operation: 'list', filters: { workflowId: 'e2eDlvSigned001' }, limit: 100 },
		},
	],
	{ 'Read Log': [['Webhook Deliveries']] },
);

const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('delivery log in %s', (_label, version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, { credentials, workflows: [signed, reader] });
		await n8n.start(['/webhook/dlv-orders', '/webhook/dlv-read']);
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	/** Runs `body`; on failure the error carries the tail of n8n's log (a crash shows there). */
	async function withLog(body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			(error as Error).message += `\n--- n8n log ---\n${n8n.logTail(80)}`;
			throw error;
		}
	}

	async function readLog(): Promise<Array<Record<string, unknown>>> {
		const since = await n8n.lastExecutionId();
		const response = await n8n.request('POST', '/webhook/dlv-read', { body: '{}', headers: { 'content-type': 'application/json' } });
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(since, 1);
		expect(execution.status).toBe('success');
		// The harness's readiness probe (a GET, answered 405) is a call too; count the POSTs.
		return (execution.nodes['Webhook Deliveries'].outputs[0] ?? []).filter((row) => row.method === 'POST');
	}

	it('records 10 valid and 10 forged calls with their outcomes; the forged ones ran nothing; a restart keeps them', async () => await withLog(async () => {
		const since = await n8n.lastExecutionId();
		const deliveryIds: string[] = [];
		for (let i = 0; i < 10; i++) {
			const body = JSON.stringify({ event: 'order_approved', n: i });
			const ok = await n8n.request('POST', '/webhook/dlv-orders', { body, headers: { 'content-type': 'application/json', 'x-signature': sign(body) } });
			expect(ok.status).toBe(200);
			deliveryIds.push(ok.headers.get('x-delivery-id') ?? '');
			expect(ok.headers.get('x-execution-id')).toMatch(/^\d+$/);
			const forged = await n8n.request('POST', '/webhook/dlv-orders', {
				body,
				headers: { 'content-type': 'application/json', 'x-signature': `sha256=${'0'.repeat(64)}` },
			});
			expect(forged.status).toBe(401);
			expect(forged.headers.get('x-delivery-id')).toMatch(/^[0-9a-f-]{36}$/);
		}
		const executions = await n8n.waitForExecutions(since, 10);
		await sleep(500);
		expect((await n8n.executions(since)).filter((e) => e.workflowId === 'e2eDlvSigned001')).toHaveLength(10);

		// The log is written in batches every 250 ms.
		let rows: Array<Record<string, unknown>> = [];
		for (let i = 0; i < 20 && rows.length < 20; i++) {
			rows = await readLog();
			if (rows.length < 20) await sleep(500);
		}
		expect(rows).toHaveLength(20);
		const accepted = rows.filter((row) => row.outcome === 'accepted');
		const rejected = rows.filter((row) => row.outcome === 'rejected');
		expect(accepted).toHaveLength(10);
		expect(rejected).toHaveLength(10);
		for (const row of rejected) expect(row).toMatchObject({ status: 401, reason: 'signature_mismatch', nodeName: 'Orders In', executionId: null });
		expect(accepted.map((row) => row.id).sort()).toEqual([...deliveryIds].sort());
		// Each accepted record names the execution it started.
		const executionIds = executions.filter((e) => e.workflowId === 'e2eDlvSigned001').map((e) => e.id).sort();
		expect(accepted.map((row) => row.executionId).sort()).toEqual(executionIds);
		for (const row of accepted) expect(row).toMatchObject({ status: 200, reason: null, eventValue: 'order_approved', method: 'POST' });
		expect(JSON.stringify(rows)).not.toContain(SECRET);
		expect(JSON.stringify(rows)).not.toMatch(/sha256=[0-9a-f]{64}/);

		// Rate-limited: one line per node per minute (here the readiness probe's 405 came first).
		expect(n8n.log).toMatch(/Webhook Trigger "Orders In" in workflow e2eDlvSigned001 rejected a call: \w+ from 127\.0\.0\.1/);
		expect(n8n.log.match(/"Orders In" in workflow e2eDlvSigned001 rejected a call/g)).toHaveLength(1);
		expect(n8n.log).not.toContain(SECRET);
		await n8n.stop();
		await n8n.start(['/webhook/dlv-orders', '/webhook/dlv-read']);
		const after = await readLog();
		expect(after.map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());
		// One warn line per node per minute for rejections, naming the reason, never the secret.
		expect(n8n.log).not.toContain(SECRET);
	}));
});
