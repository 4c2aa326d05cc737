import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { bindCustomer } from '../../../nodes/shared/store/customers';
import { closeAllStores, openStore } from '../../../nodes/shared/store/open';
import { sqliteSupported } from '../../../nodes/shared/store/sqlite';

interface Connection {
	exec(sql: string): void;
	close(): void;
}

/**
 * node:sqlite is synchronous: a write meeting another connection's lock must wait asynchronously
 * (retry with backoff), never inside SQLite (busy_timeout), where n8n's event loop would stop.
 */
(sqliteSupported() ? describe : describe.skip)('a SQLite file another connection is writing', () => {
	const dir = mkdtempSync(join(tmpdir(), 'wg-sqlite-busy-'));
	afterAll(async () => {
		await closeAllStores();
		rmSync(dir, { recursive: true, force: true });
	});

	it('waits for the lock without blocking the event loop, then writes', async () => {
		const file = join(dir, 'store.sqlite');
		const store = await openStore({ kind: 'sqlite', file });
		const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as unknown as { DatabaseSync: new (path: string) => Connection };
		const other = new DatabaseSync(file);
		other.exec('BEGIN IMMEDIATE');
		let ticks = 0;
		const timer = setInterval(() => ticks++, 10);
		let done = 0;
		const write = store.query("INSERT INTO customers (name) VALUES ('waited')").then(() => done++);
		const bind = bindCustomer(store, { email: { value: 'ana@example.com', find: true } }).then(() => done++);
		await sleep(300);
		other.exec('COMMIT');
		other.close();
		// The timer kept firing while both writes waited: nothing blocked.
		expect(ticks).toBeGreaterThanOrEqual(10);
		expect(done).toBe(0);
		await Promise.all([write, bind]);
		clearInterval(timer);
		const { rows } = await store.query<{ n: number }>('SELECT count(*) AS n FROM customers');
		expect(rows[0].n).toBe(2);
	});
});
