import { existsSync } from 'fs';
import { join } from 'path';

import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(240_000);

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('%s', (_label, version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, {
			workflows: [
				workflow(
					'e2eFoundation01',
					{ name: 'Webhook Trigger', type: nodeType('webhookTrigger'), parameters: { path: 'foundation' } },
					[noOp('Received')],
					{ 'Webhook Trigger': [['Received']] },
				),
				workflow(
					'e2eFoundation02',
					{
						name: 'Webhook Trigger',
						type: nodeType('webhookTrigger'),
						parameters: { path: 'ip-spoof', ipAllowlist: '10.9.8.7' },
					},
					[noOp('Received')],
					{ 'Webhook Trigger': [['Received']] },
				),
			],
		});
		await n8n.start(['/webhook/foundation', '/webhook/ip-spoof']);
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	it('loads the three node types from the installed community package', async () => {
		// n8n logs a package it cannot load and leaves it out of the types it serves the editor.
		expect(await n8n.nodeTypes()).toEqual(
			expect.arrayContaining([nodeType('webhookTrigger'), nodeType('customerBind'), nodeType('chatBind')]),
		);
	});

	it('runs the workflow for a real HTTP call and saves the trigger output', async () => {
		const since = await n8n.lastExecutionId();
		const response = await n8n.request('POST', '/webhook/foundation?source=e2e', {
			body: JSON.stringify({ event: 'order.created', order: { id: 42 } }),
			headers: { 'content-type': 'application/json' },
		});
		expect(response.status).toBe(200);

		const [execution] = await n8n.waitForExecutions(since, 1);
		expect(execution.status).toBe('success');
		const [item] = execution.nodes['Webhook Trigger'].outputs[0];
		expect(item.body).toEqual({ event: 'order.created', order: { id: 42 } });
		expect(item.query).toEqual({ source: 'e2e' });
		expect(item.method).toBe('POST');
		expect(execution.nodes.Received.outputs[0]).toHaveLength(1);
	});

	it('ignores a forged X-Forwarded-For when n8n trusts no proxy (N8N_PROXY_HOPS unset)', async () => {
		const since = await n8n.lastExecutionId();
		const forged = await n8n.request('POST', '/webhook/ip-spoof', {
			body: '{}',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.8.7' },
		});
		expect(forged.status).toBe(403);
		expect(forged.json()).toEqual({ error: 'ip_not_allowed', message: expect.any(String) });
		// Sentinel: a call that must run, sent after the refusal was answered. Executions are
		// created in arrival order, so a run of the refused call would be listed before it.
		const sentinel = await n8n.request('POST', '/webhook/foundation', {
			body: '{"sentinel":true}',
			headers: { 'content-type': 'application/json' },
		});
		expect(sentinel.status).toBe(200);
		await n8n.waitForExecutions(since, 1);
		expect((await n8n.executions(since)).map((e) => e.workflowId)).toEqual(['e2eFoundation01']);
	});
});

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('%s, package installed as README says', (_label, version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, {
			install: 'npm',
			workflows: [
				workflow(
					'e2eFoundation03',
					{ name: 'Webhook Trigger', type: nodeType('webhookTrigger'), parameters: { path: 'manual-install' } },
					[noOp('Received')],
					{ 'Webhook Trigger': [['Received']] },
				),
			],
		});
		await n8n.start('/webhook/manual-install');
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	it('`npm install <package> --omit=peer` in .n8n/nodes loads the nodes without a second n8n-workflow', async () => {
		expect(existsSync(join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow'))).toBe(false);
		expect(await n8n.nodeTypes()).toEqual(expect.arrayContaining([nodeType('webhookTrigger'), nodeType('chatBind')]));
		const since = await n8n.lastExecutionId();
		const response = await n8n.request('POST', '/webhook/manual-install', {
			body: '{"ok":true}',
			headers: { 'content-type': 'application/json' },
		});
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(since, 1);
		expect(execution.nodes['Webhook Trigger'].outputs[0][0]).toMatchObject({ body: { ok: true } });
	});
});
