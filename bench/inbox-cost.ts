import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { storeInInbox } from '../nodes/WebhookTrigger/delivery/inbox';
import type { InboxSettings } from '../nodes/WebhookTrigger/delivery/inbox';
import { startInboxPump } from '../nodes/WebhookTrigger/delivery/inboxPump';
import { closeAllStores, openStore } from '../nodes/shared/store/open';
import { sqliteSupported } from '../nodes/shared/store/sqlite';
import type { Store } from '../nodes/shared/store/types';
import { postgresCredentialsFromUrl } from '../test/support/postgres';

/**
 * Issue 28: what the inbox itself costs n8n's process per delivery — storing it on the answering
 * path, then claiming, running (a no-op instead of n8n's execution) and marking it done — in CPU
 * time of this process, next to a baseline measured in the same run: one single-row INSERT
 * committed the cheapest way the engine has (`store.autocommit`: PostgreSQL the statement alone,
 * SQLite the group commit), the least a durable store of a delivery can cost. Deliveries arrive from
 * CONCURRENCY callers while the pump runs beside them, as in n8n.
 *   npm run bench:inbox                 SQLite (Node 22.13+)
 *   TEST_POSTGRES_URL=postgres://… npm run bench:inbox   also PostgreSQL (a temporary schema)
 * Env: BENCH_N (deliveries per case, default 2,000).
 */
const N = Number(process.env.BENCH_N ?? 2_000);
const CONCURRENCY = 10;
const ITEM = { body: { id: 'evt_1', type: 'order.paid', data: { email: 'a@example.com', total: 1999 } }, headers: { 'content-type': 'application/json' }, query: {}, params: {} };

const cpuMicros = () => {
	const usage = process.cpuUsage();
	return usage.user + usage.system;
};

/** Runs `count` calls of `fn` from CONCURRENCY callers; CPU µs per call and wall seconds. */
async function measured(count: number, fn: (i: number) => Promise<unknown>, after: () => Promise<void> = async () => undefined): Promise<{ micros: number; seconds: number }> {
	const cpu = cpuMicros();
	const started = process.hrtime.bigint();
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < count) await fn(next++);
		}),
	);
	await after();
	return { micros: (cpuMicros() - cpu) / count, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function inboxCase(store: Store, settings: InboxSettings): Promise<{ micros: number; seconds: number }> {
	const workflowId = `bench-${randomUUID()}`;
	const nodeName = 'Inbox';
	const trigger = { key: `bench:${workflowId}`, open: async () => store };
	let ran = 0;
	const pump = startInboxPump(workflowId, nodeName, settings, {
		open: async () => store,
		run: async (items) => {
			ran += items.length;
			return { ok: true };
		},
		now: Date.now,
		problem: (message) => {
			throw new Error(message);
		},
	});
	try {
		return await measured(
			N,
			async () =>
				await storeInInbox(trigger, { workflowId, nodeName, deliveryId: randomUUID(), item: ITEM, receivedAt: Date.now(), keyed: false }),
			async () => {
				// Every delivery run and marked done: the pump's whole share is counted.
				const deadline = Date.now() + 120_000;
				for (;;) {
					const { rows } = await store.query<{ n: number | string }>(`SELECT count(*) AS n FROM inbox WHERE workflow_id = $1 AND state = 'done'`, [workflowId]);
					if (Number(rows[0].n) >= N && ran >= N) break;
					if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${N} deliveries done`);
					await new Promise((resolve) => setTimeout(resolve, 5));
				}
			},
		);
	} finally {
		pump.stop();
		await pump.settled();
	}
}

async function run(kind: string, store: Store): Promise<void> {
	await store.query('CREATE TABLE IF NOT EXISTS bench_inbox_baseline (id serial PRIMARY KEY, v text NOT NULL)');
	const settings = (batchSize: number, batchWindowMs: number): InboxSettings => ({
		concurrency: 5,
		maxAttempts: 3,
		retryBaseMs: 30_000,
		retryMaxMs: 3_600_000,
		batchSize,
		batchWindowMs,
		perMinute: 0,
		// The store's own cost per delivery: runs start as soon as deliveries are stored, as before the hold.
		holdMs: 0,
	});
	console.log(`${kind}, ${N} deliveries per case from ${CONCURRENCY} callers, CPU µs of this process per delivery:`);
	// Warm-up: statements prepared, JIT, the file's pages.
	await inboxCase(store, settings(1, 0));
	const baseline = await measured(N, async (i) => await store.autocommit.query('INSERT INTO bench_inbox_baseline (v) VALUES ($1)', [JSON.stringify({ ...ITEM, i })]));
	const line = (label: string, m: { micros: number; seconds: number }) =>
		console.log(`  ${label.padEnd(52)} ${m.micros.toFixed(0).padStart(6)} µs  ${(m.micros / baseline.micros).toFixed(2)}× baseline  ${(N / m.seconds).toFixed(0).padStart(6)}/s`);
	line('baseline: INSERT one row, committed on its own', baseline);
	line('inbox: store + claim + run + done, Batch Size 1', await inboxCase(store, settings(1, 0)));
	line('inbox: store + claim + run + done, Batch Size 50, 250 ms', await inboxCase(store, settings(50, 250)));
	await store.query('DROP TABLE bench_inbox_baseline');
}

export async function main(): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'wgw-bench-inbox-'));
	try {
		if (sqliteSupported()) await run('SQLite (node:sqlite)', await openStore({ kind: 'sqlite', file: join(folder, 'store.sqlite') }));
		else console.log(`SQLite: skipped, Node ${process.versions.node} has no node:sqlite (run this bench on Node 22.13+)`);
		const url = process.env.TEST_POSTGRES_URL;
		if (url) {
			const schema = `wgw_bench_inbox_${process.pid}`;
			const store = await openStore({ kind: 'postgres', credentials: postgresCredentialsFromUrl(url, schema), pool: { max: CONCURRENCY } });
			try {
				await run('PostgreSQL', store);
			} finally {
				await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
			}
		}
	} finally {
		await closeAllStores();
		rmSync(folder, { recursive: true, force: true });
	}
}
