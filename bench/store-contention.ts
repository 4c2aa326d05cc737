import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';

import { bindCustomer } from '../nodes/shared/store/customers';
import { closeAllStores, openStore } from '../nodes/shared/store/open';
import { sqliteSupported } from '../nodes/shared/store/sqlite';
import type { Store } from '../nodes/shared/store/types';

/**
 * Event-loop delay in this process (standing in for n8n's) while it runs 8 Customer Binds at a time
 * on a SQLite file, alone and while a second process binds into the same file. node:sqlite is
 * synchronous: a lock held by the other process must be waited for asynchronously, never inside
 * SQLite. Issue 27's target: p99 ≤ 10 ms with the second process writing.
 *   npm run bench:store-contention      (Node 22.13+; BENCH_N binds, default 2000)
 */
const N = Number(process.env.BENCH_N ?? 2000);
const root = join(__dirname, '..');

async function measure(label: string, store: Store, offset: number): Promise<void> {
	const histogram = monitorEventLoopDelay({ resolution: 1 });
	histogram.enable();
	const started = process.hrtime.bigint();
	let next = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			while (next < N) await bindCustomer(store, { email: { value: `main-${offset + next++}@example.com`, find: true } });
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	histogram.disable();
	const ms = (ns: number) => (ns / 1e6).toFixed(1).padStart(6);
	console.log(
		`  ${label.padEnd(38)} ${(N / seconds).toFixed(0).padStart(6)} binds/s   event-loop delay p50 ${ms(histogram.percentile(50))} ms  p99 ${ms(histogram.percentile(99))} ms  max ${ms(histogram.max)} ms`,
	);
}

export async function main(): Promise<void> {
	if (!sqliteSupported()) {
		console.log(`skipped: Node ${process.versions.node} has no node:sqlite (run this bench on Node 22.13+)`);
		return;
	}
	const folder = mkdtempSync(join(tmpdir(), 'wgw-contention-'));
	const file = join(folder, 'store.sqlite');
	try {
		const store = await openStore({ kind: 'sqlite', file });
		console.log(`SQLite file, ${N} Customer Binds 8 at a time in this process:`);
		await measure('alone', store, 0);
		// The other process binds people of its own, 8 at a time, until it is stopped.
		const other = spawn(process.execPath, ['scripts/run-ts.js', 'test/support/sqliteBindWorker.ts', file, 'other', '1000000', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
		await new Promise<void>((resolve) => other.stdout.once('data', () => resolve()));
		let otherBinds = 0;
		other.stdout.on('data', (chunk: Buffer) => (otherBinds += (chunk.toString().match(/bound/g) ?? []).length * 50));
		await measure('while a second process binds', store, N);
		other.kill('SIGKILL');
		console.log(`  (the second process bound about ${otherBinds} people meanwhile)`);
	} finally {
		await closeAllStores();
		rmSync(folder, { recursive: true, force: true });
	}
}
