import { execFile } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
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

	it('claim each delivery key exactly once between them', async () => {
		const file = join(dir, 'store.sqlite');
		// Both start claiming at the same moment, after both have loaded and opened the store.
		const startAt = String(Date.now() + 3000);
		const worker = async () => {
			const { stdout } = await run(process.execPath, ['scripts/run-ts.js', 'test/support/sqliteClaimWorker.ts', file, startAt, String(KEYS)], { cwd: root });
			return JSON.parse(stdout.trim().split('\n').pop() as string) as string[];
		};
		const [a, b] = await Promise.all([worker(), worker()]);
		expect(a.length + b.length).toBe(KEYS);
		expect(new Set([...a, ...b]).size).toBe(KEYS);
	}, 60_000);
});
