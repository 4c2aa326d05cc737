import { execFile } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

import { bindCustomer } from '../nodes/shared/store/customers';
import { insertDeliveries } from '../nodes/shared/store/deliveries';
import type { DeliveryRecord } from '../nodes/shared/store/deliveries';
import { claimDeliveryKey } from '../nodes/shared/store/deliveryKeys';
import { closeAllStores, openStore } from '../nodes/shared/store/open';
import { sqliteSupported } from '../nodes/shared/store/sqlite';
import type { Store } from '../nodes/shared/store/types';
import { versions } from '../test/e2e/harness/versions';
import { postgresCredentialsFromUrl } from '../test/support/postgres';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/webhook_gateway_test';

/**
 * SQLite (node:sqlite) against PostgreSQL (TEST_POSTGRES_URL, a new schema), each in a fresh
 * process on the same Node (24: node:sqlite needs ≥ 22.13), on a new database: open time (create + migrate), RSS the open adds (after GC),
 * then claims/s (duplicate-suppression claims), upserts/s (delivery-log INSERT … ON CONFLICT DO
 * UPDATE) and binds/s (Customer Bind), 8 at a time, as the trigger's concurrent calls make them.
 *   npm run bench:store-engines [-- <operations per measure, default 2000>]
 */
const ENGINES = ['postgres', 'sqlite'] as const;
type Engine = (typeof ENGINES)[number];

interface Figures {
	openMs: number;
	addedRssMb: number;
	claimsPerS: number;
	upsertsPerS: number;
	bindsPerS: number;
}

const rssMb = (): number => {
	(globalThis as { gc?: () => void }).gc?.();
	return process.memoryUsage().rss / 2 ** 20;
};

/** Runs `op(i)` for i < n, 8 at a time; returns operations per second. */
async function rate(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
	let next = 0;
	const started = performance.now();
	await Promise.all(Array.from({ length: 8 }, async () => {
		while (next < n) await op(next++);
	}));
	return Math.round(n / ((performance.now() - started) / 1000));
}

function record(id: string): DeliveryRecord {
	return {
		id, workflowId: 'wf-bench', nodeName: 'Webhook Trigger', receivedAt: new Date(), method: 'POST', outcome: 'accepted',
		status: 200, reason: null, clientIp: '10.0.0.1', origin: null, eventValue: null, eventCase: null, executionId: null,
		bodyBytes: 120, bodySha256: null, headers: { 'content-type': 'application/json' }, item: null, dropped: 0,
	};
}

async function measure(engine: Engine, dir: string, n: number): Promise<Figures> {
	const before = rssMb();
	const started = performance.now();
	const schema = `wgw_engines_${process.pid}`;
	const store: Store = await openStore(
		engine === 'sqlite'
			? { kind: 'sqlite', file: join(dir, 'store.sqlite') }
			: { kind: 'postgres', credentials: postgresCredentialsFromUrl(POSTGRES_URL, schema), pool: { max: 8 } },
	);
	const openMs = Math.round(performance.now() - started);
	const addedRssMb = Math.round(rssMb() - before);
	const now = new Date();
	const claimsPerS = await rate(n, async (i) =>
		await claimDeliveryKey(store, { workflowId: 'wf-bench', nodeName: 'Webhook Trigger', key: `k${i}`, deliveryId: randomUUID(), now, windowMs: 60_000, started: true, pendingMs: 60_000 }),
	);
	// A quarter of the ids repeat: the ON CONFLICT branch runs too.
	const ids = Array.from({ length: Math.ceil(n * 0.75) }, () => randomUUID());
	const upsertsPerS = await rate(n, async (i) => await insertDeliveries(store, [record(ids[i % ids.length])]));
	const bindsPerS = await rate(n, async (i) => await bindCustomer(store, { email: { value: `p${i}@example.com`, find: true } }));
	if (engine === 'postgres') await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
	await closeAllStores();
	return { openMs, addedRssMb, claimsPerS, upsertsPerS, bindsPerS };
}

async function nodeWithSqlite(): Promise<string> {
	if (sqliteSupported()) return process.execPath;
	const node24 = join(versions.v2.nodeBin, 'node');
	if (!existsSync(node24)) await promisify(execFile)('bash', ['test/e2e/harness/install-n8n.sh', 'node24']);
	return node24;
}

export async function main(args: string[]): Promise<void> {
	if (args[0] === '--child') {
		const dir = mkdtempSync(join(tmpdir(), `wg-bench-${args[1]}-`));
		const figures = await measure(args[1] as Engine, dir, Number(args[2])).finally(() => rmSync(dir, { recursive: true, force: true }));
		process.stdout.write(`${JSON.stringify(figures)}\n`);
		return;
	}
	const n = Number(args[0] ?? 2000);
	const node = await nodeWithSqlite();
	const results = {} as Record<Engine, Figures>;
	for (const engine of ENGINES) {
		const { stdout } = await promisify(execFile)(node, ['--expose-gc', 'scripts/run-ts.js', 'bench/store-engines.ts', '--child', engine, String(n)], { maxBuffer: 1 << 20 });
		results[engine] = JSON.parse(stdout.trim().split('\n').pop() as string) as Figures;
	}
	const base = results.postgres;
	const ratio = (key: keyof Figures, engine: Engine) => {
		const value = results[engine][key] / base[key];
		if (!Number.isFinite(value)) return '–';
		// Small ratios as fractions: 0.00× would hide how much smaller.
		return value >= 0.1 ? `${value.toFixed(2)}×` : `1/${Math.round(1 / value)}`;
	};
	console.log(`Node ${(await promisify(execFile)(node, ['--version'])).stdout.trim()}, ${n} operations per measure, 8 at a time, new database each engine`);
	console.log(['engine', 'open ms', 'added RSS MB', 'claims/s', 'upserts/s', 'binds/s'].join('\t'));
	for (const engine of ENGINES) {
		const f = results[engine];
		const cell = (key: keyof Figures) => (engine === 'postgres' ? String(f[key]) : `${f[key]} (${ratio(key, engine)})`);
		console.log([engine, cell('openMs'), cell('addedRssMb'), cell('claimsPerS'), cell('upsertsPerS'), cell('bindsPerS')].join('\t'));
	}
	console.log('(ratios: sqlite ÷ PostgreSQL on this host, the baseline)');
}
