import { randomUUID } from 'crypto';
import fc from 'fast-check';
import { NodeOperationError } from 'n8n-workflow';
import { join } from 'path';

import { WebhookDeliveries } from '../../../nodes/WebhookDeliveries/WebhookDeliveries.node';
import { storeForItem } from '../../../nodes/shared/storeResolver';
import { closeAllStores } from '../../../nodes/shared/store/open';

import { claimDue, enqueueDeliveries, failDelivery } from '../../../nodes/shared/store/inbox';
import { replayDelivery, replayMatching } from '../../../nodes/shared/store/inboxReplay';
import type { ReplayFilter } from '../../../nodes/shared/store/inboxReplay';
import { getDelivery } from '../../../nodes/shared/store/deliveries';
import type { Store } from '../../../nodes/shared/store/types';
import { fakeExecuteContext, n8nFileHelpers } from '../../support/executeContext';
import { eachStore, truncate } from './targets';
import type { StoreTarget } from './targets';

/**
 * Replay (issue 28) on each engine: one stored delivery by id, and all finished deliveries matching
 * a filter — checked against a model (fast-check) of random inbox rows and filters, twice per case:
 * the second run of the same filter replays only what the first one left (its limit), never a
 * delivery again.
 */
const T0 = new Date(Date.UTC(2026, 11, 5, 12));
const at = (ms: number) => new Date(T0.getTime() + ms);
const WF = 'wf-inbox';

/** Webhook Deliveries as n8n runs it, on the target's database (PostgreSQL) or folder (SQLite). */
function deliveriesNode(target: StoreTarget, parameters: Record<string, unknown>) {
	const context = fakeExecuteContext({
		parameters: target.kind === 'postgres' ? { store: 'postgres', ...parameters } : { store: 'embedded', options: { embeddedFolder: target.dataDir }, ...parameters },
		credentials: target.credentials as unknown as Record<string, unknown>,
		helpers: n8nFileHelpers({ n8nFolder: join(target.dataDir ?? '/nowhere', '.n8n') }),
	});
	return { context, execute: async () => await new WebhookDeliveries().execute.call(context) };
}
const NODE = 'Webhook Trigger';

type State = 'queued' | 'retrying' | 'done' | 'failed' | 'refused';

interface Row {
	id: string;
	workflowId: string;
	state: State;
	/** Its delivery log record's reason; undefined: no record. */
	reason?: string | null;
	receivedMs: number;
}

eachStore()('replay on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => {
		await target.cleanup();
		// The node's own store (its pool, or its file in the folder).
		await closeAllStores();
	});
	beforeEach(async () => await truncate(store, ['inbox', 'deliveries']));

	const log = async (id: string, workflowId: string, reason: string | null, receivedAt: Date) =>
		await store.query(
			`INSERT INTO deliveries (id, workflow_id, node_name, received_at, method, outcome, status, reason, headers, item) VALUES ($1::uuid, $2, $3, $4::timestamptz, 'POST', 'accepted', 202, $5, '{}'::jsonb, '{"n":0}'::jsonb)`,
			[id, workflowId, NODE, receivedAt.toISOString(), reason],
		);

	/** Stores rows in order (their seq), each in its state, with a log record when it has a reason. */
	const storeRows = async (rows: readonly Row[]) => {
		for (const row of rows) {
			await enqueueDeliveries(store, [{ id: row.id, workflowId: row.workflowId, nodeName: NODE, receivedAt: at(row.receivedMs), item: { id: row.id } }]);
			if (row.state !== 'queued') {
				await store.query('UPDATE inbox SET state = $2, attempts = 1, finished_at = $3::timestamptz WHERE id = $1::uuid', [
					row.id,
					row.state,
					row.state === 'retrying' ? null : at(row.receivedMs + 1).toISOString(),
				]);
			}
			if (row.reason !== undefined) await log(row.id, row.workflowId, row.reason, at(row.receivedMs));
		}
	};

	it('replays one stored delivery by id as a new one carrying replayOf, queued again, with a copy of its log record', async () => {
		const id = randomUUID();
		await enqueueDeliveries(store, [{ id, workflowId: WF, nodeName: NODE, receivedAt: T0, item: { n: 0, id } }]);
		await log(id, WF, null, T0);
		const [one] = await claimDue(store, { workflowId: WF, nodeName: NODE, now: T0, limit: 10, leaseMs: 60_000, maxAttempts: 1 });
		await failDelivery(store, { id, attempt: one.attempt, now: at(1), error: 'boom', maxAttempts: 1, retryInMs: 1_000 });
		const newId = randomUUID();
		expect(await replayDelivery(store, id, newId, at(5_000))).toEqual({ kind: 'replayed', replay: { id: newId, replayOf: id, workflowId: WF, nodeName: NODE } });
		const [again] = await claimDue(store, { workflowId: WF, nodeName: NODE, now: at(5_000), limit: 10, leaseMs: 60_000, maxAttempts: 1 });
		expect(again).toMatchObject({ id: newId, attempt: 1, replayOf: id, receivedAt: at(5_000).toISOString() });
		expect(again.item).toEqual({ n: 0, id, deliveryId: newId, replayOf: id });
		// An id in upper case finds the same delivery (ids are stored lower-case).
		const logged = await getDelivery(store, newId.toUpperCase());
		expect(logged).toMatchObject({ id: newId, outcome: 'accepted', reason: 'replay', receivedAt: at(5_000).toISOString(), item: again.item });
		expect(logged?.inbox?.state).toBe('running');
		// Still running: replaying it by id, in any case, is refused.
		expect(await replayDelivery(store, newId.toUpperCase(), randomUUID(), at(5_500))).toEqual({ kind: 'unfinished', state: 'running' });
		// Not in the inbox (never stored there, or pruned): nothing to replay.
		expect(await replayDelivery(store, randomUUID(), randomUUID(), at(6_000))).toEqual({ kind: 'missing' });
	});

	it('does not replay by id a delivery that has yet to run (queued, running, retrying): it would run twice', async () => {
		const [queued, running, retrying] = Array.from({ length: 3 }, () => randomUUID());
		await storeRows([
			{ id: running, workflowId: WF, state: 'queued', receivedMs: 0 },
			{ id: queued, workflowId: WF, state: 'queued', receivedMs: 1 },
			{ id: retrying, workflowId: WF, state: 'retrying', receivedMs: 2 },
		]);
		await claimDue(store, { workflowId: WF, nodeName: NODE, now: T0, limit: 1, leaseMs: 60_000, maxAttempts: 3 });
		for (const [id, state] of [[queued, 'queued'], [running, 'running'], [retrying, 'retrying']]) {
			expect(await replayDelivery(store, id, randomUUID(), at(10))).toEqual({ kind: 'unfinished', state });
		}
		const { rows } = await store.query<{ n: number }>('SELECT count(*) AS n FROM inbox');
		expect(Number(rows[0].n)).toBe(3);
		// The node, on the store it opens (SQLite: its own file in the target's folder).
		const node = deliveriesNode(target, { operation: 'replay', replayBy: 'id', deliveryId: queued });
		const nodeStore = await storeForItem(node.context, 0);
		await truncate(nodeStore, ['inbox', 'deliveries']);
		await enqueueDeliveries(nodeStore, [{ id: queued, workflowId: WF, nodeName: NODE, receivedAt: T0, item: {} }]);
		await expect(node.execute()).rejects.toThrow(`Delivery "${queued}" is still queued: it will run, so replaying it now would run it twice`);
	});

	it('replays the finished deliveries matching a filter, oldest first, each carrying replayOf, its log record copied', async () => {
		const [a, b, c, d, e] = Array.from({ length: 5 }, () => randomUUID());
		await storeRows([
			{ id: a, workflowId: WF, state: 'failed', reason: null, receivedMs: 3_000 },
			{ id: b, workflowId: WF, state: 'done', receivedMs: 1_000 },
			{ id: c, workflowId: WF, state: 'retrying', receivedMs: 1_000 },
			{ id: d, workflowId: 'other', state: 'failed', receivedMs: 1_000 },
			{ id: e, workflowId: WF, state: 'failed', receivedMs: 2_000 },
		]);
		const [n1, n2] = [randomUUID(), randomUUID()];
		const fresh = [n1, n2];
		const next = () => fresh.shift() ?? randomUUID();
		const replays = await replayMatching(store, { workflowId: WF, outcome: 'failed', limit: 100 }, at(9_000), next);
		// Arrival order (a before e), not receipt time; the retrying, done and other workflow's stay.
		expect(replays).toEqual([
			{ id: n1, replayOf: a, workflowId: WF, nodeName: NODE },
			{ id: n2, replayOf: e, workflowId: WF, nodeName: NODE },
		]);
		const queued = await claimDue(store, { workflowId: WF, nodeName: NODE, now: at(9_000), limit: 10, leaseMs: 60_000, maxAttempts: 3 });
		// c is due too (retrying): it is the pump's, not replayed.
		expect(queued.map((q) => [q.id, q.replayOf])).toEqual([[c, null], [n1, a], [n2, e]]);
		expect(queued[1].item).toEqual({ id: a, deliveryId: n1, replayOf: a });
		expect(queued[1].receivedAt).toBe(at(9_000).toISOString());
		expect(await getDelivery(store, n1)).toMatchObject({ reason: 'replay', receivedAt: at(9_000).toISOString(), item: { id: a, deliveryId: n1, replayOf: a } });
		// e had no log record: its replay has none either.
		expect(await getDelivery(store, n2)).toBeUndefined();
		// Replayed already: the same replay again finds nothing.
		expect(await replayMatching(store, { workflowId: WF, outcome: 'failed', limit: 100 }, at(9_500), randomUUID)).toEqual([]);
	});

	it('replays exactly what a model of the filter picks, and nothing twice when run again', async () => {
		const rowArb = fc.record({
			workflowId: fc.constantFrom('wf-a', 'wf-b'),
			state: fc.constantFrom<State>('queued', 'retrying', 'done', 'failed', 'refused'),
			reason: fc.constantFrom(undefined, null, 'replay', 'not_waiting'),
			receivedMs: fc.integer({ min: 0, max: 5 }).map((s) => s * 1_000),
		});
		const filterArb = fc.record(
			{
				workflowId: fc.constantFrom('wf-a', 'wf-b'),
				outcome: fc.constantFrom('done' as const, 'failed' as const, 'refused' as const),
				reason: fc.constantFrom('replay', 'not_waiting'),
				since: fc.integer({ min: 0, max: 5 }).map((s) => at(s * 1_000)),
				until: fc.integer({ min: 0, max: 6 }).map((s) => at(s * 1_000)),
				limit: fc.integer({ min: 1, max: 4 }),
			},
			{ requiredKeys: ['limit'] },
		);
		const matches = (row: Row, filter: ReplayFilter) =>
			// Refusals only when asked for: the default is what ran (done or failed).
			(filter.outcome ? row.state === filter.outcome : row.state === 'done' || row.state === 'failed') &&
			(!filter.workflowId || row.workflowId === filter.workflowId) &&
			(!filter.reason || row.reason === filter.reason) &&
			(!filter.since || at(row.receivedMs) >= filter.since) &&
			(!filter.until || at(row.receivedMs) < filter.until);
		await fc.assert(
			fc.asyncProperty(fc.array(rowArb, { maxLength: 10 }), filterArb, async (specs, filter) => {
				await truncate(store, ['inbox', 'deliveries']);
				const rows: Row[] = specs.map((spec) => ({ ...spec, id: randomUUID() }));
				await storeRows(rows);
				const expected = rows.filter((row) => matches(row, filter)).map((row) => row.id);
				const first = await replayMatching(store, filter, at(10_000), randomUUID);
				expect(first.map((r) => r.replayOf)).toEqual(expected.slice(0, filter.limit));
				const second = await replayMatching(store, filter, at(11_000), randomUUID);
				expect(second.map((r) => r.replayOf)).toEqual(expected.slice(filter.limit, 2 * filter.limit));
				// Every replay is a queued row carrying replayOf, its item too.
				const { rows: queued } = await store.query<{ replay_of: string; item: unknown; state: string }>(
					'SELECT replay_of, item, state FROM inbox WHERE replay_of IS NOT NULL ORDER BY seq',
				);
				expect(queued.map((q) => q.replay_of)).toEqual([...first, ...second].map((r) => r.replayOf));
				for (const q of queued) {
					expect(q.state).toBe('queued');
					const item = (typeof q.item === 'string' ? JSON.parse(q.item) : q.item) as { replayOf: string };
					expect(item.replayOf).toBe(q.replay_of);
				}
			}),
			{ numRuns: 60 },
		);
	}, 120_000);

	it('lets two replays of the same filter at once replay each delivery once', async () => {
		const rows: Row[] = Array.from({ length: 6 }, (_, n) => ({ id: randomUUID(), workflowId: WF, state: 'failed', receivedMs: n }));
		await storeRows(rows);
		const [one, two] = await Promise.all([
			replayMatching(store, { workflowId: WF, limit: 100 }, at(10_000), randomUUID),
			replayMatching(store, { workflowId: WF, limit: 100 }, at(10_000), randomUUID),
		]);
		expect([...one, ...two].map((r) => r.replayOf).sort()).toEqual(rows.map((row) => row.id).sort());
	});

	it('Webhook Deliveries replays all matching a filter, one item each, and one by id when Replay is not set', async () => {
		const node = deliveriesNode(target, { operation: 'replay', replayBy: 'filter', replayFilters: { workflowId: WF, since: at(0).toISOString() } });
		// The store the node opens (SQLite: its own file in the target's folder).
		const nodeStore = await storeForItem(node.context, 0);
		await truncate(nodeStore, ['inbox', 'deliveries']);
		const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
		for (const [id, state] of [[a, 'failed'], [b, 'done'], [c, 'failed']] as const) {
			await enqueueDeliveries(nodeStore, [{ id, workflowId: WF, nodeName: NODE, receivedAt: at(1_000), item: { id } }]);
			await nodeStore.query('UPDATE inbox SET state = $2, finished_at = $3::timestamptz WHERE id = $1::uuid', [id, state, at(2_000).toISOString()]);
		}
		const [out] = await node.execute();
		// The default outcome: failed ones only, oldest first.
		expect(out.map((item) => item.json.replayOf)).toEqual([a, c]);
		expect(out[0].json).toMatchObject({ workflowId: WF, nodeName: NODE, deliveryId: expect.any(String) });
		expect(await node.execute()).toEqual([[]]);
		// A node saved before the choice existed replays by id.
		const [byId] = await deliveriesNode(target, { operation: 'replay', deliveryId: b }).execute();
		expect(byId.map((item) => item.json.replayOf)).toEqual([b]);
		await expect(deliveriesNode(target, { operation: 'replay', replayBy: 'filter', replayLimit: 0 }).execute()).rejects.toThrow(NodeOperationError);
	});
});
