import { randomUUID } from 'crypto';
import { Client } from 'pg';
import { claimDue, completeDeliveries, enqueueDeliveries } from '../../../nodes/shared/store/inbox';
import { bindCustomer } from '../../../nodes/shared/store/customers';
import { closeAllPostgres, openPostgresStore } from '../../../nodes/shared/store/postgres';
import { POSTGRES_URL, postgresCredentials, postgresOnlySuite, uniqueSchema } from './targets';

/**
 * Named statements (postgresStatements.ts): a text with parameters is prepared once it repeats, and
 * planned once per connection; when another process changes a table under a prepared `SELECT *`,
 * the server refuses the cached plan and the store runs the text unnamed instead of failing.
 */
postgresOnlySuite('PostgreSQL named statements', () => {
	const schema = uniqueSchema();
	const admin = new Client({ connectionString: POSTGRES_URL });

	beforeAll(async () => await admin.connect());
	afterAll(async () => {
		await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
		await admin.end();
		await closeAllPostgres();
	});

	it('prepares a repeated text on its connection, and survives a column added under a prepared SELECT *', async () => {
		// One connection, so every run of the text meets the same prepared statement.
		const store = await openPostgresStore(postgresCredentials(schema), { max: 1 });
		await store.query('CREATE TABLE named_probe (id int PRIMARY KEY, v text)');
		await store.query("INSERT INTO named_probe VALUES (1, 'a')");
		const text = 'SELECT * FROM named_probe WHERE id = $1';
		for (let i = 0; i < 3; i++) expect((await store.query(text, [1])).rows).toEqual([{ id: 1, v: 'a' }]);
		// pg_prepared_statements lists this connection's own.
		const { rows } = await store.query<{ statements: number }>('SELECT count(*)::int AS statements FROM pg_prepared_statements WHERE statement = $1', [text]);
		expect(rows[0].statements).toBe(1);

		// Another process migrates the table: the plan's result type changed.
		await admin.query(`ALTER TABLE "${schema}".named_probe ADD COLUMN w text DEFAULT 'new'`);
		expect((await store.query(text, [1])).rows).toEqual([{ id: 1, v: 'a', w: 'new' }]);
		expect((await store.query(text, [1])).rows).toEqual([{ id: 1, v: 'a', w: 'new' }]);

		// In a transaction the refusal aborts it: that transaction fails once, the next runs unnamed.
		const other = 'SELECT * FROM named_probe WHERE id = $1 AND v IS NOT NULL';
		const inTransaction = async () => await store.transaction(async (tx) => (await tx.query(other, [1])).rows);
		for (let i = 0; i < 3; i++) await expect(inTransaction()).resolves.toEqual([{ id: 1, v: 'a', w: 'new' }]);
		await admin.query(`ALTER TABLE "${schema}".named_probe ADD COLUMN x text DEFAULT 'x'`);
		await expect(inTransaction()).rejects.toThrow(/cached plan must not change result type/);
		await expect(inTransaction()).resolves.toEqual([{ id: 1, v: 'a', w: 'new', x: 'x' }]);
	});

	describe("Customer Bind's lookups under kept plans", () => {
		const bindSchema = uniqueSchema();
		afterAll(async () => await admin.query(`DROP SCHEMA IF EXISTS "${bindSchema}" CASCADE`));
		const person = (i: number, name = 'First') => ({ name: { value: `${name} ${i}` }, email: { value: `plan${i}@example.com`, find: true }, phone: { value: `+5511${980000000 + i}`, find: true } });
		const seqScans = async (): Promise<number> => {
			await admin.query('SELECT pg_stat_clear_snapshot()');
			const { rows } = await admin.query<{ n: string }>("SELECT seq_scan AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'customers'", [bindSchema]);
			return Number(rows[0].n);
		};

		it('is planned once per connection, not again at every call', async () => {
			const store = await openPostgresStore(postgresCredentials(bindSchema), { max: 1 });
			for (let i = 0; i < 12; i++) expect((await bindCustomer(store, person(i))).action).toBe('created');
			// A new name takes the locked path (findCustomers): it too gets its kept plan while the
			// table is small, which the next case then grows under it.
			for (let i = 0; i < 12; i++) expect((await bindCustomer(store, person(i, 'Second'))).action).toBe('updated');
			const { rows } = await store.query<{ generic: number; custom: number }>(
				"SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE 'WITH locked AS%'",
			);
			// PostgreSQL plans the first five runs for their values, then keeps one generic plan when it
			// is no worse: the bind's statement must stay one it keeps (planning costs more than running it).
			expect(rows).toEqual([{ generic: expect.any(Number), custom: 5 }]);
			expect(rows[0].generic).toBeGreaterThanOrEqual(5);
		});

		it('keeps finding a known person by index after customers grew under its plan (no ANALYZE since)', async () => {
			const store = await openPostgresStore(postgresCredentials(bindSchema), { max: 1 });
			await admin.query(
				`INSERT INTO "${bindSchema}".customers (name, email) SELECT 'Filler ' || i, 'filler' || i || '@example.com' FROM generate_series(1, 20000) AS i`,
			);
			await store.query('SELECT pg_stat_force_next_flush()');
			const before = await seqScans();
			// A plan made while the table was nearly empty could scan it whole for every match.
			for (let i = 0; i < 12; i++) expect((await bindCustomer(store, person(i, 'Second'))).action).toBe('unchanged');
			for (let i = 0; i < 12; i++) expect((await bindCustomer(store, person(i, 'Third'))).action).toBe('updated');
			await store.query('SELECT pg_stat_force_next_flush()');
			expect(await seqScans()).toBe(before);
		});
	});

	it("the inbox pump's claims and completions read the due rows, not the finished ones before them (however many)", async () => {
		const inboxSchema = uniqueSchema();
		try {
			const store = await openPostgresStore(postgresCredentials(inboxSchema), { max: 1 });
			const workflowId = 'wf-claims';
			const nodeName = 'Webhook Trigger';
			const now = new Date();
			// Completion prepared and planned while the inbox is empty, both texts (one attempt by key, a
			// batch as arrays), past PostgreSQL's five custom plans: their plans must still look rows up by id.
			for (let i = 0; i < 6; i++) {
				expect(await completeDeliveries(store, [{ id: randomUUID(), attempt: 1 }], now)).toEqual([]);
				expect(await completeDeliveries(store, [{ id: randomUUID(), attempt: 1 }, { id: randomUUID(), attempt: 2 }], now)).toEqual([]);
			}
			// A week of finished deliveries (kept for "did my webhook run?"), then a burst queued after them.
			await admin.query(
				`INSERT INTO "${inboxSchema}".inbox (id, workflow_id, node_name, received_at, item, state, available_at, finished_at)
				SELECT gen_random_uuid(), $1, $2, $3::timestamptz - interval '1 hour', '{}'::jsonb, 'done', $3::timestamptz - interval '1 hour', $3::timestamptz - interval '1 hour'
				FROM generate_series(1, 20000)`,
				[workflowId, nodeName, now.toISOString()],
			);
			const queued = Array.from({ length: 300 }, () => ({ id: randomUUID(), workflowId, nodeName, receivedAt: now, item: {} }));
			await store.transaction(async (tx) => await enqueueDeliveries(tx, queued));
			await admin.query(`ANALYZE "${inboxSchema}".inbox`);
			const read = async (): Promise<{ seq: number; index: number }> => {
				await store.query('SELECT pg_stat_force_next_flush()');
				await admin.query('SELECT pg_stat_clear_snapshot()');
				const { rows } = await admin.query<{ seq: string; index: string }>(
					`SELECT (SELECT seq_tup_read FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'inbox') AS seq,
						(SELECT sum(idx_tup_read) FROM pg_stat_user_indexes WHERE schemaname = $1 AND relname = 'inbox') AS index`,
					[inboxSchema],
				);
				return { seq: Number(rows[0].seq), index: Number(rows[0].index) };
			};
			const before = await read();
			const claims = 100;
			for (let i = 0; i < claims; i++) {
				const [taken] = await claimDue(store, { workflowId, nodeName, now: new Date(now.getTime() + 1000), limit: 1, leaseMs: 30_000, maxAttempts: 3 });
				expect(taken.id).toBe(queued[i].id);
				expect(await completeDeliveries(store, [taken], now)).toEqual([taken.id]);
			}
			// A batch of 50 (Batch Size 50): one claim, one completion.
			const batch = await claimDue(store, { workflowId, nodeName, now: new Date(now.getTime() + 1000), limit: 50, leaseMs: 30_000, maxAttempts: 3 });
			expect(batch.map((d) => d.id)).toEqual(queued.slice(claims, claims + 50).map((d) => d.id));
			expect((await completeDeliveries(store, batch, now)).sort()).toEqual(batch.map((d) => d.id).sort());
			const after = await read();
			expect(after.seq).toBe(before.seq);
			// A claim that walked the primary key read ~20,000 entries; one that reads the due rows, a few.
			expect((after.index - before.index) / claims).toBeLessThan(20);
		} finally {
			await admin.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
		}
	}, 60_000);

	it("VACUUM clears the dead entries claims leave at the head of the waiting index, even where few of the table's pages hold them", async () => {
		const inboxSchema = uniqueSchema();
		try {
			const store = await openPostgresStore(postgresCredentials(inboxSchema), { max: 1 });
			const table = `"${inboxSchema}".inbox`;
			const { rows: [{ options }] } = await admin.query<{ options: string[] }>(
				"SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass",
				[table],
			);
			expect(options).toEqual(expect.arrayContaining(['autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=20000', 'vacuum_index_cleanup=on']));
			const workflowId = 'wf-vacuum';
			const nodeName = 'Webhook Trigger';
			const now = new Date();
			// A week of finished rows, then 1,000 deliveries queued and run (claimed, then done):
			// their dead versions sit on under 2% of the table's pages, where PostgreSQL's VACUUM by
			// default skips index cleanup.
			await admin.query(
				`INSERT INTO ${table} (id, workflow_id, node_name, received_at, item, state, available_at, finished_at)
				SELECT gen_random_uuid(), $1, $2, $3::timestamptz - interval '1 hour', '{}'::jsonb, 'done', $3::timestamptz - interval '1 hour', $3::timestamptz - interval '1 hour'
				FROM generate_series(1, 200000)`,
				[workflowId, nodeName, now.toISOString()],
			);
			await admin.query(`VACUUM ${table}`);
			const queued = Array.from({ length: 1000 }, () => ({ id: randomUUID(), workflowId, nodeName, receivedAt: now, item: {} }));
			await store.transaction(async (tx) => await enqueueDeliveries(tx, queued));
			await admin.query(`UPDATE ${table} SET state = 'running' WHERE state = 'queued'`);
			await admin.query(`UPDATE ${table} SET state = 'done', finished_at = $1 WHERE state = 'running'`, [now.toISOString()]);
			await store.transaction(async (tx) => await enqueueDeliveries(tx, [{ id: randomUUID(), workflowId, nodeName, receivedAt: now, item: {} }]));
			const blocksRead = async (): Promise<number> => {
				const { rows } = await admin.query<{ 'QUERY PLAN': Array<{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }> }>(
					`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT seq FROM ${table} WHERE workflow_id = $1 AND node_name = $2 AND state IN ('queued', 'retrying') ORDER BY available_at, seq LIMIT 1`,
					[workflowId, nodeName],
				);
				const plan = rows[0]['QUERY PLAN'][0].Plan;
				return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
			};
			// The dead entries: every claim reads past them.
			expect(await blocksRead()).toBeGreaterThan(5);
			await admin.query(`VACUUM ${table}`);
			expect(await blocksRead()).toBeLessThanOrEqual(3);
		} finally {
			await admin.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
		}
	}, 60_000);

	it('behind a pooler that loses names (a server connection without the prepared statement): runs unnamed, and names nothing more', async () => {
		const store = await openPostgresStore(postgresCredentials(schema), { max: 1 });
		const text = 'SELECT id FROM named_probe WHERE id = $1 AND id > 0';
		for (let i = 0; i < 3; i++) expect((await store.query(text, [1])).rows).toEqual([{ id: 1 }]);
		// What pgbouncer in transaction mode does: the next server connection has none of them.
		await store.query('DEALLOCATE ALL');
		expect((await store.query(text, [1])).rows).toEqual([{ id: 1 }]);
		const another = 'SELECT v FROM named_probe WHERE id = $1 AND id < 10';
		for (let i = 0; i < 3; i++) expect((await store.query(another, [1])).rows).toEqual([{ v: 'a' }]);
		const { rows } = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1', [another]);
		expect(rows[0].n).toBe(0);
	});
});
