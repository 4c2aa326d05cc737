import { createServer } from 'net';
import { join } from 'path';
import { bindCustomer } from '../../../nodes/shared/store/customers';
import { MIGRATIONS, assertOrdered, runMigrations } from '../../../nodes/shared/store/migrations';
import type { Migration } from '../../../nodes/shared/store/migrations';
import { FieldError } from '../../../nodes/shared/store/normalize';
import { closeAllStores, openStore, testPostgresConnection } from '../../../nodes/shared/store/open';
import { PostgresStore } from '../../../nodes/shared/store/postgres';
import { StoreConnectionError } from '../../../nodes/shared/store/types';
import type { PostgresCredentials, Store } from '../../../nodes/shared/store/types';
import { postgresCredentials, eachStore, postgresOnlySuite, storeTargets, truncateAll, uniqueSchema } from './targets';

async function versions(store: Store): Promise<number[]> {
	const { rows } = await store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
	return rows.map((row) => row.version);
}

/** Every shipped migration, then one the next release might add. */
const SHIPPED = MIGRATIONS.map((m) => m.version);
const EXTRA: Migration = { version: MIGRATIONS[MIGRATIONS.length - 1].version + 1, name: 'test only', statements: ['CREATE TABLE extra_probe (id int)'] };

eachStore()('store basics on the %s store', (kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());

	it('applies migrations on first open and is idempotent afterwards', async () => {
		expect(await versions(store)).toEqual(SHIPPED);
		expect(await runMigrations(store)).toEqual([]);
		expect(await versions(store)).toEqual(SHIPPED);
	});

	it('applies an appended migration N+1 once', async () => {
		expect(await runMigrations(store, [...MIGRATIONS, EXTRA])).toEqual([EXTRA.version]);
		expect(await runMigrations(store, [...MIGRATIONS, EXTRA])).toEqual([]);
		// Code that does not know the extra version leaves it alone.
		expect(await runMigrations(store)).toEqual([]);
		expect(await versions(store)).toEqual([...SHIPPED, EXTRA.version]);
	});

	it('shares one instance per folder / connection config', async () => {
		const config =
			kind === 'sqlite'
				? { kind: 'sqlite' as const, file: join(target.dataDir as string, 'store.sqlite') }
				: { kind: 'postgres' as const, credentials: target.credentials as PostgresCredentials, pool: { max: 20 } };
		expect(await openStore(config)).toBe(store);
	});

	it('rolls a failed transaction back completely', async () => {
		await truncateAll(store);
		const failing = store.transaction(async (tx) => {
			await tx.query("INSERT INTO customers (name) VALUES ('ghost')");
			throw new Error('boom');
		});
		// Issued while the transaction runs: must not see (or, SQLite, slip into) it.
		const during = store.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
		await expect(failing).rejects.toThrow('boom');
		expect((await during).rows[0].n).toBe(0);
		expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n).toBe(0);
	});

	it('rolls back a member of a group that wrote past 64 KiB (SQLite keeps savepoint journals in memory)', async () => {
		await truncateAll(store);
		if (kind === 'sqlite') {
			// MEMORY (2): past 64 KiB SQLite would otherwise spill a group's savepoint journal to a temp file.
			expect((await store.query<{ temp_store: number }>('PRAGMA temp_store')).rows).toEqual([{ temp_store: 2 }]);
		}
		const big = 'x'.repeat(4000);
		const outcomes = await Promise.allSettled(
			[0, 1, 2].map(async (i) =>
				await store.transaction(async (tx) => {
					for (let row = 0; row < 40; row++) await tx.query('INSERT INTO customers (name) VALUES ($1)', [`${i}-${row}-${big}`]);
					if (i === 1) throw new Error('boom');
				}),
			),
		);
		expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		const { rows } = await store.query<{ name: string }>('SELECT substr(name, 1, 2) AS name FROM customers');
		expect(rows.map((row) => row.name).sort()).toEqual([...Array(40).fill('0-'), ...Array(40).fill('2-')]);
	});

	it('rolls back only the failing one of concurrent transactions (SQLite commits them as a group)', async () => {
		await truncateAll(store);
		const outcomes = await Promise.allSettled(
			Array.from({ length: 12 }, async (_, i) =>
				await store.transaction(async (tx) => {
					await tx.query('INSERT INTO customers (name) VALUES ($1)', [`c${i}`]);
					// A statement error in one and a thrown error in another, mid-group.
					if (i === 3) await tx.query("INSERT INTO customer_contacts (customer_id, type, value, normalized_value) VALUES ('00000000-0000-4000-8000-000000000000', 'email', 'x', 'x')");
					await tx.query('INSERT INTO customers (name) VALUES ($1)', [`d${i}`]);
					if (i === 7) throw new Error('boom');
					return i;
				}),
			),
		);
		expect(outcomes.map((o) => o.status)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 3 || i === 7 ? 'rejected' : 'fulfilled')));
		expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10, 11]);
		const { rows } = await store.query<{ name: string }>('SELECT name FROM customers ORDER BY name');
		const expected = [0, 1, 2, 4, 5, 6, 8, 9, 10, 11].flatMap((i) => [`c${i}`, `d${i}`]).sort();
		expect(rows.map((row) => row.name)).toEqual(expected);
	});

	it('commits each autocommit statement on its own, beside a failing one and a failing transaction', async () => {
		await truncateAll(store);
		const outcomes = await Promise.allSettled([
			...Array.from({ length: 6 }, async (_, i) => await store.autocommit.query('INSERT INTO customers (name) VALUES ($1) RETURNING name', [`a${i}`])),
			store.autocommit.query("INSERT INTO customer_contacts (customer_id, type, value, normalized_value) VALUES ('00000000-0000-4000-8000-000000000000', 'email', 'x', 'x')"),
			store.transaction(async (tx) => {
				await tx.query("INSERT INTO customers (name) VALUES ('t')");
				throw new Error('boom');
			}),
		]);
		expect(outcomes.map((o) => o.status)).toEqual([...Array(6).fill('fulfilled'), 'rejected', 'rejected']);
		expect(outcomes.slice(0, 6).map((o) => (o.status === 'fulfilled' ? o.value.rows : undefined))).toEqual(Array.from({ length: 6 }, (_, i) => [{ name: `a${i}` }]));
		const { rows } = await store.query<{ name: string }>('SELECT name FROM customers ORDER BY name');
		expect(rows.map((row) => row.name)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
		expect(store.autocommit.dialect ?? store.dialect).toBe(store.dialect);
	});
});

// SQLite only (on Node 20 none: the store-node24 project runs this suite on Node 24).
const fileTargets = storeTargets().filter(([kind]) => kind !== 'postgres');
eachStore(fileTargets)('durability of the %s store', (_kind, target) => {

	afterAll(async () => await target.cleanup());

	it('keeps data after closing and reopening the folder or file, without re-running migrations', async () => {
		const first = await target.open();
		const bound = await bindCustomer(first, { email: { value: 'ana@x.io', find: true } });
		await first.close();
		const reopened = await target.open();
		expect(reopened).not.toBe(first);
		const again = await bindCustomer(reopened, { email: { value: 'ana@x.io', find: true } });
		expect(again).toMatchObject({ action: 'unchanged', matchedIds: [bound.customer.id] });
		expect(await versions(reopened)).toEqual(SHIPPED);
	}, 60_000);
});

describe('migration list', () => {
	it('rejects versions that do not increase', () => {
		expect(() => assertOrdered([EXTRA, { ...EXTRA, version: 1 }])).toThrow(/increasing/);
		expect(() => assertOrdered([{ ...EXTRA, version: 1.5 }])).toThrow(/increasing/);
	});
});

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('PostgreSQL connection errors', () => {
	afterAll(async () => await closeAllStores());

	it('reports a database that is down clearly, and does not cache the failure', async () => {
		const credentials = { ...postgresCredentials(), host: '127.0.0.1', port: await closedPort() };
		for (let attempt = 0; attempt < 2; attempt++) {
			const error = await openStore({ kind: 'postgres', credentials }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(StoreConnectionError);
			expect((error as Error).message).toMatch(
				new RegExp(`Could not connect to PostgreSQL at 127\\.0\\.0\\.1:${credentials.port} .*ECONNREFUSED`),
			);
		}
		const tested = await testPostgresConnection(credentials);
		expect(tested).toEqual({ ok: false, message: expect.stringContaining('ECONNREFUSED') });
	});

	it('rejects an invalid schema name before connecting', async () => {
		const credentials = { ...postgresCredentials(), schema: 'bad"; DROP TABLE x; --' };
		const error = await openStore({ kind: 'postgres', credentials }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(FieldError);
		expect((error as FieldError).field).toBe('schema');
		expect(await testPostgresConnection(credentials)).toMatchObject({ ok: false });
	});
});

postgresOnlySuite('PostgreSQL migrations from several processes', () => {
	const schema = uniqueSchema();
	const credentials = postgresCredentials(schema);
	// Separate pools stand in for separate n8n processes: separate connections, same database.
	const pools = [new PostgresStore(credentials, { max: 4 }), new PostgresStore(credentials, { max: 4 })];

	afterAll(async () => {
		await pools[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
		await Promise.all(pools.map(async (pool) => await pool.close()));
	});

	it('applies each version exactly once when pools migrate concurrently', async () => {
		const runs = await Promise.all(
			Array.from({ length: 8 }, async (_, i) => await runMigrations(pools[i % 2], [...MIGRATIONS, EXTRA])),
		);
		expect(runs.flat().sort((a, b) => a - b)).toEqual([...SHIPPED, EXTRA.version]);
		expect(await versions(pools[1])).toEqual([...SHIPPED, EXTRA.version]);
		const tables = await pools[0].query<{ table_name: string }>(
			'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
			[schema],
		);
		// Later migrations add tables of their own; these must all be there.
		expect(tables.rows.map((row) => row.table_name)).toEqual(
			expect.arrayContaining(['chats', 'customer_contacts', 'customers', 'extra_probe', 'schema_migrations']),
		);
	});

	it('passes the credential test', async () => {
		expect(await testPostgresConnection(credentials)).toEqual({ ok: true });
	});
});
