import { execFile, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { closeAllStores, openStore } from '../../../nodes/shared/store/open';
import { sqliteSupported } from '../../../nodes/shared/store/sqlite';

/**
 * Two processes on one SQLite file (what several n8n processes on one host do): SQLite's file
 * locks, not this process's queue, must make every key's claim happen exactly once. Both processes
 * also create and migrate the new file at the same time.
 */
const root = join(__dirname, '..', '..', '..');
const run = promisify(execFile);
const KEYS = 100;

(sqliteSupported() ? describe : describe.skip)('two processes on one SQLite file', () => {
	const dir = mkdtempSync(join(tmpdir(), 'wg-sqlite-procs-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('claim each delivery key exactly once and bind each person once between them', async () => {
		const file = join(dir, 'store.sqlite');
		// Both start claiming at the same moment, after both have loaded and opened the store.
		const startAt = String(Date.now() + 3000);
		const worker = async (name: string) => {
			const { stdout } = await run(process.execPath, ['scripts/run-ts.js', 'test/support/sqliteClaimWorker.ts', file, startAt, String(KEYS), name], { cwd: root });
			return JSON.parse(stdout.trim().split('\n').pop() as string) as string[];
		};
		const [a, b] = await Promise.all([worker('a'), worker('b')]);
		expect(a.length + b.length).toBe(KEYS);
		expect(new Set([...a, ...b]).size).toBe(KEYS);
		// 2 × 50 people of their own + one person both bound 20 times, 8 at a time each.
		const store = await openStore({ kind: 'sqlite', file });
		const { rows } = await store.query<{ n: number; same: number }>(
			"SELECT count(*) AS n, sum(CASE WHEN email = 'same@example.com' THEN 1 ELSE 0 END) AS same FROM customers",
		);
		await closeAllStores();
		expect(rows[0]).toEqual({ n: 101, same: 1 });
	}, 60_000);

	/** A worker process (test/support/sqliteBindWorker.ts) and a promise per line it prints. */
	function bindWorker(file: string, ...args: string[]): { child: ChildProcess; printed: (line: string) => Promise<void>; exit: Promise<number | null> } {
		const child = spawn(process.execPath, ['scripts/run-ts.js', 'test/support/sqliteBindWorker.ts', file, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
		const lines: string[] = [];
		const watchers: Array<() => void> = [];
		let buffered = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const parts = buffered.split('\n');
			buffered = parts.pop() ?? '';
			lines.push(...parts);
			for (const watcher of watchers.splice(0)) watcher();
		});
		const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const printed = async (line: string) =>
			await new Promise<void>((resolve, reject) => {
				const check = () => (lines.includes(line) ? resolve() : child.exitCode !== null ? reject(new Error(`worker exited before "${line}"`)) : watchers.push(check));
				check();
			});
		return { child, printed, exit };
	}

	it('2 × 300 people + one person 50 times → 601 customers; writers SIGKILLed inside a transaction leave nothing half written', async () => {
		const file = join(dir, 'kill.sqlite');
		const a = bindWorker(file, 'a', '300', '25');
		let b = bindWorker(file, 'b', '300', '25');
		await a.printed('bound 100');
		// A third writer killed while it holds the write lock inside a transaction.
		const hung = bindWorker(file, 'h', 'hang');
		await hung.printed('in transaction');
		hung.child.kill('SIGKILL');
		await hung.exit;
		// One of the binding writers killed at an arbitrary moment, then restarted with no cleanup:
		// its binds are idempotent, so it binds its whole list again.
		await b.printed('bound 150');
		b.child.kill('SIGKILL');
		await b.exit;
		b = bindWorker(file, 'b', '300', '25');
		expect(await a.exit).toBe(0);
		expect(await b.exit).toBe(0);

		const store = await openStore({ kind: 'sqlite', file });
		const count = async (sql: string) => (await store.query<{ n: number }>(sql)).rows[0].n;
		expect(await count('SELECT count(*) AS n FROM customers')).toBe(601);
		expect(await count("SELECT count(*) AS n FROM customers WHERE email = 'same@example.com'")).toBe(1);
		expect(await count("SELECT count(*) AS n FROM customers WHERE email = 'half@example.com'")).toBe(0);
		// Every bind wrote its customer and its contact together, or neither.
		expect(await count('SELECT count(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_contacts k WHERE k.customer_id = c.id)')).toBe(0);
		expect(await count('SELECT count(*) AS n FROM customer_contacts')).toBe(601);
		expect((await store.query<{ integrity_check: string }>('PRAGMA integrity_check')).rows).toEqual([{ integrity_check: 'ok' }]);
		await closeAllStores();
	}, 120_000);
});
