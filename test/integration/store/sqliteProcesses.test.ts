import { execFile } from 'child_process';
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
});
