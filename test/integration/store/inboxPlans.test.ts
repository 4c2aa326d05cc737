import { randomUUID } from 'crypto';
import { join } from 'path';

import { toSqlite, toSqliteParams } from '../../../nodes/shared/store/dialect';
import { claimDue, enqueueDeliveries } from '../../../nodes/shared/store/inbox';
import type { Queryable, Store } from '../../../nodes/shared/store/types';
import { eachStore, storeTargets } from './targets';

interface PlanRow {
	detail: string;
}

interface ExplainingDatabase {
	prepare(sql: string): { all(...params: unknown[]): PlanRow[] };
	close(): void;
}

/**
 * The pump claims on every tick, so a claim must read the rows it takes, not the inbox: SQLite's
 * own plan for every statement claimDue runs, read through a second connection to the same file
 * (PostgreSQL's counterpart counts tuples read: postgresStatements.test.ts).
 */
eachStore(storeTargets().filter(([kind]) => kind === 'sqlite'))('inbox claims on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());

	it('read queued rows by due time and running rows by lease, never by scanning the inbox', async () => {
		const now = new Date(Date.UTC(2026, 11, 7, 12));
		const row = (state: string) => ({ id: randomUUID(), workflowId: 'wf-plans', nodeName: 'Webhook Trigger', receivedAt: now, item: { state } });
		const finished = Array.from({ length: 2000 }, () => row('done'));
		await store.transaction(async (tx) => await enqueueDeliveries(tx, finished));
		await store.query(`UPDATE inbox SET state = 'done', finished_at = received_at`);
		await store.transaction(async (tx) => await enqueueDeliveries(tx, Array.from({ length: 200 }, () => row('queued'))));
		await store.query('ANALYZE');

		const statements: Array<{ sql: string; params: readonly unknown[] }> = [];
		// The same store, with every statement of its transactions written down on the way.
		const recording = Object.assign(Object.create(store) as Store, {
			transaction: async <T>(fn: (tx: Queryable) => Promise<T>) =>
				await store.transaction(async (tx) =>
					await fn({
						dialect: tx.dialect,
						query: async (sql: string, params: readonly unknown[] = []) => {
							statements.push({ sql, params });
							return await tx.query(sql, params);
						},
					} as Queryable),
				),
		});
		const claimed = await claimDue(recording, { workflowId: 'wf-plans', nodeName: 'Webhook Trigger', now, limit: 5, leaseMs: 30_000, maxAttempts: 3 });
		expect(claimed.map((delivery) => (delivery.item as { state: string }).state)).toEqual(Array(5).fill('queued'));
		expect(statements).toHaveLength(2);

		const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as { DatabaseSync: new (path: string) => ExplainingDatabase };
		const db = new DatabaseSync(join(target.dataDir!, 'store.sqlite'));
		try {
			const plans = statements.map(({ sql, params }) =>
				db.prepare(`EXPLAIN QUERY PLAN ${toSqlite(sql)}`).all(...toSqliteParams(params)).map((step) => step.detail),
			);
			for (const plan of plans) expect(plan.filter((step) => /^SCAN inbox\b/.test(step))).toEqual([]);
			// The sweep of expired leases, then the claim: each part reads its own partial index.
			expect(plans[0].join('\n')).toMatch(/USING INDEX inbox_running_idx/);
			expect(plans[1].join('\n')).toMatch(/USING INDEX inbox_waiting_idx/);
			expect(plans[1].join('\n')).toMatch(/USING INDEX inbox_running_idx/);
		} finally {
			db.close();
		}
	});
});
