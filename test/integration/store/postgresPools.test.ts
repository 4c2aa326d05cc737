import { Client } from 'pg';
import { cachedPostgresStores, closeAllPostgres, openPostgresStore } from '../../../nodes/shared/store/postgres';
import type { PostgresStore } from '../../../nodes/shared/store/postgres';
import { POSTGRES_URL, postgresCredentials, postgresOnlySuite, uniqueSchema } from './targets';

/** Pools are bounded: closed when idle, and replaced (not added to) when a credential changes. */
postgresOnlySuite('PostgreSQL pools', () => {
	const schema = uniqueSchema();
	const admin = new Client({ connectionString: POSTGRES_URL });

	beforeAll(async () => await admin.connect());
	afterAll(async () => {
		await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
		await admin.end();
		await closeAllPostgres();
	});

	const backendPid = async (store: PostgresStore) =>
		(await store.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

	/** Whether the server still has the connection `pid`, polled until `expected` or 3 s. */
	async function connected(pid: number, expected: boolean): Promise<boolean> {
		const until = Date.now() + 3_000;
		for (;;) {
			const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
			if (rows.length > 0 === expected || Date.now() > until) return rows.length > 0;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}

	it('closes a pool left idle, and reopens it on the next query', async () => {
		const store = await openPostgresStore(postgresCredentials(schema), { idleCloseMillis: 300 });
		const first = await backendPid(store);
		expect(store.poolOpen).toBe(true);
		expect(await connected(first, false)).toBe(false); // pg alone would keep it 10 s
		expect(store.poolOpen).toBe(false);
		const second = await backendPid(store);
		expect(second).not.toBe(first);
		expect(await openPostgresStore(postgresCredentials(schema), { idleCloseMillis: 300 })).toBe(store);
	});

	it("replaces the pool when a credential's configuration changes, after its running transaction", async () => {
		const before = cachedPostgresStores();
		const withPassword = (password: string) => ({ ...postgresCredentials(schema), password });
		const old = await openPostgresStore(withPassword('first'));
		const oldPid = await backendPid(old);

		// A bind still running on the old pool when the credential is edited: it must finish.
		const running = old.transaction(async (tx) => {
			await tx.query('SELECT pg_sleep(0.3)');
			return (await tx.query<{ n: number }>('SELECT 1 AS n')).rows[0].n;
		});
		const fresh = await openPostgresStore(withPassword('second'));
		expect(fresh).not.toBe(old);
		await expect(running).resolves.toBe(1);

		expect(await connected(oldPid, false)).toBe(false);
		expect(old.poolOpen).toBe(false);
		expect(cachedPostgresStores()).toBe(before + 1);
		// The first configuration again is a new store too: the retired one is not resurrected.
		expect(await openPostgresStore(withPassword('first'))).not.toBe(old);
		expect(cachedPostgresStores()).toBe(before + 1);
	});
});
