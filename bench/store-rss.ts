import { createHmac } from 'crypto';
import { readFileSync } from 'fs';

import { collectGarbage, inspectorUrl } from '../test/e2e/harness/gc';
import { N8nInstance } from '../test/e2e/harness/n8n';
import { versions } from '../test/e2e/harness/versions';
import { noOp, nodeType, workflow } from '../test/e2e/harness/workflow';

/**
 * What the default store (a SQLite file beside n8n's; node:sqlite loaded lazily) adds to an n8n
 * process: RSS of the n8n main process after start, after calls that never touch the store (the baseline), after the first
 * bind (first open of a new file, migrations), and after a restart (reopening it).
 *   npm run bench:store-rss [-- v1|v2]
 */
const secret = 'bench-secret';

const rssMb = (pid: number) => {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
	return Math.round(Number(line?.replace(/\D+/g, '')) / 1024);
};

function binds(id: string, path: string) {
	return workflow(
		id,
		{
			name: 'Trigger',
			type: nodeType('webhookTrigger'),
			// Log off: the baseline calls must not open the store (the log would, in the background).
			parameters: { path, authentication: 'hmac', deliveryLog: false },
			credentials: { webhookHmacApi: { id: 'benchHmacCred001', name: 'HMAC' } },
		},
		path === 'plain'
			? [noOp('Done')]
			: [
					{
						name: 'Customer Bind',
						type: nodeType('customerBind'),
						parameters: { fields: { values: [{ field: 'email', value: '={{ $json.body.email }}', find: true }] } },
					},
				],
		path === 'plain' ? { Trigger: [['Done']] } : { Trigger: [['Customer Bind']] },
	);
}

/** Delivery log on (the default) and a duplicate key, or neither; both on the default store. */
function logged(id: string, path: string) {
	const on = path === 'logged';
	return workflow(
		id,
		{
			name: 'Trigger',
			type: nodeType('webhookTrigger'),
			parameters: { path, authentication: 'hmac', deliveryLog: on, options: on ? { duplicateKeyPath: 'headers.x-delivery-id' } : {} },
			credentials: { webhookHmacApi: { id: 'benchHmacCred001', name: 'HMAC' } },
		},
		[noOp('Done')],
		{ Trigger: [['Done']] },
	);
}

export async function main(args: string[]): Promise<void> {
	const version = versions[(args[0] as 'v1' | 'v2') ?? 'v1'] ?? versions.v1;
	const n8n = await N8nInstance.create(version, {
		credentials: [
			{
				id: 'benchHmacCred001',
				name: 'HMAC',
				type: 'webhookHmacApi',
				data: { secret, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: '' },
			},
		],
		workflows: [binds('benchRssPlain001', 'plain'), binds('benchRssBind0001', 'bind'), logged('benchRssLogged01', 'logged'), logged('benchRssUnlogged', 'unlogged')],
		// The inspector on a free loopback port: the steady-state phase forces a GC through it.
		env: { NODE_OPTIONS: '--inspect=127.0.0.1:0' },
	});
	const call = async (path: string, n: number) => {
		const since = await n8n.lastExecutionId();
		for (let i = 0; i < n; i++) {
			const body = JSON.stringify({ email: `p${i}.${Date.now()}@example.com` });
			const signature = createHmac('sha256', secret).update(body).digest('hex');
			const response = await n8n.request('POST', `/webhook/${path}`, {
				body,
				headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-delivery-id': `${path}-${i}-${Date.now()}` },
			});
			if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
		}
		const started = Date.now();
		await n8n.waitForExecutions(since, n, 120_000);
		return Date.now() - started;
	};
	const settle = async () => await new Promise((resolve) => setTimeout(resolve, 2000));
	/** RSS after a full GC: the minimum of 3 samples a second apart (V8 returns memory late). */
	const collected = async () => {
		const inspector = inspectorUrl(n8n.log);
		if (!inspector) throw new Error("n8n's inspector URL is not in its log");
		await collectGarbage(inspector);
		const samples: number[] = [];
		for (let i = 0; i < 3; i++) {
			await settle();
			samples.push(rssMb(n8n.pid!));
		}
		return Math.min(...samples);
	};
	const paths = ['/webhook/plain', '/webhook/bind', '/webhook/logged', '/webhook/unlogged'];
	try {
		await n8n.start(paths);
		await settle();
		const afterStart = rssMb(n8n.pid!);
		await call('plain', 50);
		await settle();
		const baseline = rssMb(n8n.pid!);
		const t0 = Date.now();
		await call('bind', 1);
		const firstOpenMs = Date.now() - t0;
		await settle();
		const afterFirstOpen = rssMb(n8n.pid!);
		await call('bind', 50);
		await settle();
		const after50 = rssMb(n8n.pid!);
		await n8n.stop();
		await n8n.start(paths);
		await call('plain', 50);
		await settle();
		const baselineRestart = rssMb(n8n.pid!);
		const t1 = Date.now();
		await call('bind', 1);
		const reopenMs = Date.now() - t1;
		await settle();
		const afterReopen = rssMb(n8n.pid!);
		console.log(`n8n ${version.n8n} on ${version.nodeBin.split('/').find((part) => part.startsWith('node2')) ?? 'Node'}: RSS of the n8n main process (MB)`);
		console.log(`  after start                          ${afterStart}`);
		console.log(`  after 50 calls without the store     ${baseline}   (baseline)`);
		console.log(`  after the first bind (new folder)    ${afterFirstOpen}   (+${afterFirstOpen - baseline} vs baseline; first call ${firstOpenMs} ms)`);
		console.log(`  after 50 more binds                  ${after50}   (+${after50 - baseline})`);
		console.log(`  restart, 50 calls without the store  ${baselineRestart}   (baseline)`);
		console.log(`  after the first bind (reopen)        ${afterReopen}   (+${afterReopen - baselineRestart} vs baseline; first call ${reopenMs} ms)`);

		// Steady state, after a forced GC: the same 500 accepted calls without and with the store.
		await n8n.stop();
		await n8n.start(paths);
		await call('unlogged', 20);
		const beforeUnlogged = await collected();
		await call('unlogged', 500);
		const afterUnlogged = await collected();
		const beforeLogged = await collected();
		await call('logged', 500);
		await settle();
		const afterLogged = await collected();
		console.log(`  steady state, RSS after a forced GC (n8n restarted, 20 warm-up calls):`);
		console.log(`  500 calls, no log, no duplicate key  ${beforeUnlogged} → ${afterUnlogged}   (+${afterUnlogged - beforeUnlogged}: n8n's own growth)`);
		console.log(`  500 calls, log + duplicate key on    ${beforeLogged} → ${afterLogged}   (+${afterLogged - beforeLogged}; target ≤ +15 MB, first store use included)`);
	} finally {
		await n8n.dispose();
	}
}
