import { readFileSync } from 'fs';
import { loadavg } from 'os';

import { N8nInstance } from '../test/e2e/harness/n8n';
import type { N8nVersion } from '../test/e2e/harness/versions';
import { versions } from '../test/e2e/harness/versions';
import { noOp, nodeType, workflow } from '../test/e2e/harness/workflow';
import { fmt, fmtSpread, spread } from './stats';

/**
 * The package's cost at rest: `n8n start` until an active webhook is served, and the n8n
 * process's RSS once started, with and without the package, interleaved over rounds in the same
 * run. Baseline: n8n alone serving a built-in Webhook node; target: n8n with this package serving
 * a Webhook Trigger (nothing calls it, so the store is never opened). Wall time on a shared
 * machine is noisy; the CPU time n8n's main process spent until ready is the steadier figure.
 *   npm run bench:start [-- v1|v2] [rounds]
 */
interface Sample {
	wallMs: number;
	cpuMs: number;
	rssMb: number;
}

const cpuMs = (pid: number): number => {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000;
};
const rssMb = (pid: number) => {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
	return Math.round(Number(line?.replace(/\D+/g, '')) / 1024);
};
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

const targets = {
	'n8n alone (built-in Webhook)': {
		install: 'none' as const,
		workflow: workflow(
			'benchStartAlone1',
			{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, parameters: { httpMethod: 'POST', path: 'start-cost', options: {} } },
			[noOp('Done')],
			{ Webhook: [['Done']] },
		),
	},
	'n8n + package (Webhook Trigger)': {
		install: 'community-ui' as const,
		workflow: workflow(
			'benchStartPkg001',
			{ name: 'Trigger', type: nodeType('webhookTrigger'), parameters: { path: 'start-cost', authentication: 'none', deliveryLog: false } },
			[noOp('Done')],
			{ Trigger: [['Done']] },
		),
	},
};

async function sample(version: N8nVersion, target: (typeof targets)[keyof typeof targets]): Promise<Sample> {
	const n8n = await N8nInstance.create(version, { install: target.install, workflows: [target.workflow] });
	try {
		const started = Date.now();
		await n8n.start('/webhook/start-cost');
		const wallMs = Date.now() - started;
		const cpu = cpuMs(n8n.pid!);
		// RSS once the start-up work (timers, first GC) has settled.
		await sleep(5_000);
		return { wallMs, cpuMs: cpu, rssMb: rssMb(n8n.pid!) };
	} finally {
		await n8n.dispose();
	}
}

export async function main(args: string[]): Promise<void> {
	const version = versions[(args[0] as 'v1' | 'v2') ?? 'v1'] ?? versions.v1;
	const rounds = Number(args[1] ?? 3);
	const samples = new Map<string, Sample[]>(Object.keys(targets).map((name) => [name, []]));
	for (let round = 1; round <= rounds; round++) {
		for (const [name, target] of Object.entries(targets)) {
			const result = await sample(version, target);
			samples.get(name)!.push(result);
			console.log(`round ${round} ${name}: ${result.wallMs} ms wall, ${result.cpuMs} ms CPU, ${result.rssMb} MB (load ${loadavg()[0].toFixed(1)})`);
		}
	}
	const [alone, withPackage] = [...samples.values()];
	const delta = (pick: (s: Sample) => number) => spread(withPackage.map((s, i) => pick(s) - pick(alone[i])));
	console.log(`\nn8n ${version.n8n}: start until the webhook is served, median (range) of ${rounds} interleaved rounds`);
	console.log('| | wall ms | CPU ms (main process) | RSS MB after start |');
	console.log('|---|---|---|---|');
	for (const [name, list] of samples) {
		console.log(`| ${name} | ${fmtSpread(spread(list.map((s) => s.wallMs)), 0)} | ${fmtSpread(spread(list.map((s) => s.cpuMs)), 0)} | ${fmtSpread(spread(list.map((s) => s.rssMb)), 0)} |`);
	}
	console.log(
		`| package − alone (same round) | ${fmtSpread(delta((s) => s.wallMs), 0)} | ${fmtSpread(delta((s) => s.cpuMs), 0)} | ${fmtSpread(delta((s) => s.rssMb), 0)} |`,
	);
	console.log(`\ntarget ≤ +50 ms start: CPU +${fmt(delta((s) => s.cpuMs).median, 0)} ms, wall +${fmt(delta((s) => s.wallMs).median, 0)} ms`);
}
