import { randomUUID } from 'crypto';
import fc from 'fast-check';

import {
	claimDue,
	completeDeliveries,
	enqueueDeliveries,
	failDelivery,
	pruneInbox,
	renewLeases,
	retryDelayMs,
} from '../../../nodes/shared/store/inbox';
import type { ClaimedDelivery } from '../../../nodes/shared/store/inbox';
import type { Store } from '../../../nodes/shared/store/types';
import { eachStore, truncate } from './targets';

/**
 * The durable inbox's bookkeeping (issue 28), on each engine: arrival order, leases, attempts,
 * backoff, late reports from attempts that were taken over; and a model-based run (fast-check) of
 * random enqueues, claims, completions, failures, stale reports, crashes and clock moves, checked
 * against a model after every step and drained at the end: every stored delivery ends done or
 * failed, none is done twice, none runs again after it succeeded.
 */
const T0 = new Date(Date.UTC(2026, 11, 5, 12));
const at = (ms: number) => new Date(T0.getTime() + ms);
const WF = 'wf-inbox';
const NODE = 'Webhook Trigger';
const LEASE = 60_000;

eachStore()('the inbox on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['inbox']));

	const enqueue = async (ids: string[], now = T0, workflowId = WF) =>
		await store.transaction(async (tx) => await enqueueDeliveries(tx, ids.map((id, i) => ({ id, workflowId, nodeName: NODE, receivedAt: now, item: { n: i, id } }))));
	const states = async () => {
		const { rows } = await store.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM inbox WHERE workflow_id = $1 GROUP BY state', [WF]);
		return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
	};
	const claim = async (now: Date, limit = 10, maxAttempts = 3) => await claimDue(store, { workflowId: WF, nodeName: NODE, now, limit, leaseMs: LEASE, maxAttempts });
	const fail = async (d: ClaimedDelivery, now: Date, maxAttempts = 3, retryInMs = 1_000) =>
		await failDelivery(store, { id: d.id, attempt: d.attempt, now, error: 'boom', maxAttempts, retryInMs });

	it('stores a delivery once and hands deliveries out in arrival order, each to one claimer', async () => {
		const ids = Array.from({ length: 7 }, () => randomUUID());
		expect(await enqueue(ids)).toEqual(ids);
		// A copy of a stored delivery (same id) is not stored again.
		expect(await enqueue([ids[2]])).toEqual([]);
		await enqueue([randomUUID()], T0, 'other-workflow');
		const first = await claim(T0, 3);
		expect(first.map((d) => d.id)).toEqual(ids.slice(0, 3));
		expect(first.map((d) => d.attempt)).toEqual([1, 1, 1]);
		expect(first[0].item).toEqual({ n: 0, id: ids[0] });
		expect(first[0].receivedAt).toBe(T0.toISOString());
		// Concurrent claimers split the rest between them.
		const [a, b] = await Promise.all([claim(T0, 3), claim(T0, 3)]);
		expect([...a, ...b].map((d) => d.id).sort()).toEqual(ids.slice(3).sort());
		expect(await states()).toEqual({ running: 7 });
	});

	it('retries a failed attempt after its backoff, fails it after the last, and ignores late reports', async () => {
		const [id] = [randomUUID()];
		await enqueue([id]);
		const [one] = await claim(T0);
		expect(await fail(one, at(10))).toBe('retrying');
		// A second report on the same attempt changes nothing.
		expect(await completeDeliveries(store, [{ id, attempt: 1 }], at(11))).toEqual([]);
		expect(await claim(at(999))).toEqual([]);
		const [two] = await claim(at(1_010));
		expect(two.attempt).toBe(2);
		expect(await fail(two, at(1_020))).toBe('retrying');
		const [three] = await claim(at(2_020));
		expect(await fail(three, at(2_030))).toBe('failed');
		expect(await claim(at(10_000_000))).toEqual([]);
		expect(await states()).toEqual({ failed: 1 });
	});

	it('takes over an attempt whose lease expired; the old attempt can no longer report', async () => {
		const id = randomUUID();
		await enqueue([id]);
		const [one] = await claim(T0);
		expect(await claim(at(LEASE - 1))).toEqual([]);
		// Renewed: not taken over at its first expiry.
		expect(await renewLeases(store, [{ id, attempt: 1 }], at(2 * LEASE))).toBe(1);
		expect(await claim(at(LEASE))).toEqual([]);
		const [two] = await claim(at(2 * LEASE));
		expect(two.attempt).toBe(2);
		expect(await completeDeliveries(store, [one], at(2 * LEASE + 1))).toEqual([]);
		expect(await fail(one, at(2 * LEASE + 1))).toBeUndefined();
		expect(await completeDeliveries(store, [two], at(2 * LEASE + 2), '42')).toEqual([id]);
		expect(await claim(at(100 * LEASE))).toEqual([]);
		// An expired lease on the last attempt: failed, with the reason.
		const last = randomUUID();
		await enqueue([last]);
		await claim(T0, 10, 1);
		expect(await claim(at(LEASE), 10, 1)).toEqual([]);
		const { rows } = await store.query<{ state: string; last_error: string }>('SELECT state, last_error FROM inbox WHERE id = $1', [last]);
		expect(rows[0]).toEqual({ state: 'failed', last_error: 'the process running attempt 1 stopped, and no attempts are left' });
		expect(await pruneInbox(store, at(LEASE + 1))).toBe(1);
		expect(await pruneInbox(store, at(3 * LEASE))).toBe(1);
	});

	it('marks a batch done in one statement, leaving an attempt that is no longer current as it is', async () => {
		const ids = Array.from({ length: 4 }, () => randomUUID());
		await enqueue(ids);
		const first = await claim(T0, 4);
		// The last delivery's attempt 1 lost its lease and was taken over by attempt 2.
		await renewLeases(store, first.slice(0, 3), at(3 * LEASE));
		const [taken] = await claim(at(LEASE));
		expect(taken).toMatchObject({ id: ids[3], attempt: 2 });
		expect((await completeDeliveries(store, first, at(LEASE + 1), '7')).sort()).toEqual(ids.slice(0, 3).sort());
		expect(await completeDeliveries(store, first, at(LEASE + 2))).toEqual([]);
		expect(await completeDeliveries(store, [], at(LEASE + 2))).toEqual([]);
		expect(await states()).toEqual({ done: 3, running: 1 });
		const { rows } = await store.query<{ execution_id: string }>("SELECT execution_id FROM inbox WHERE state = 'done'");
		expect(rows.map((row) => row.execution_id)).toEqual(['7', '7', '7']);
		expect(await completeDeliveries(store, [taken], at(LEASE + 3))).toEqual([ids[3]]);
	});

	it('doubles the backoff per attempt up to its maximum', () => {
		expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 30_000, 100_000))).toEqual([30_000, 60_000, 100_000, 100_000, 100_000]);
	});

	it('keeps its invariants under random enqueues, claims, reports, crashes and clock moves', async () => {
		type Op =
			| { op: 'enqueue'; n: number }
			| { op: 'claim'; limit: number }
			| { op: 'complete' | 'fail' | 'stale'; pick: number }
			| { op: 'completeBatch'; pick: number; size: number }
			| { op: 'crash' }
			| { op: 'advance'; ms: number };
		const ops = fc.oneof(
			fc.record({ op: fc.constant('enqueue' as const), n: fc.integer({ min: 1, max: 3 }) }),
			fc.record({ op: fc.constant('claim' as const), limit: fc.integer({ min: 1, max: 4 }) }),
			fc.record({ op: fc.constantFrom('complete' as const, 'fail' as const, 'stale' as const), pick: fc.nat() }),
			fc.record({ op: fc.constant('completeBatch' as const), pick: fc.nat(), size: fc.integer({ min: 1, max: 4 }) }),
			fc.record({ op: fc.constant('crash' as const) }),
			fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(100, 1_000, 5_000, LEASE) }),
		);
		const MAX = 3;
		await fc.assert(
			fc.asyncProperty(fc.array(ops, { minLength: 1, maxLength: 25 }), async (steps: Op[]) => {
				await truncate(store, ['inbox']);
				let clock = 0;
				const order: string[] = [];
				// What this "process" runs now, and every attempt ever handed out (for stale reports).
				let running: ClaimedDelivery[] = [];
				const handedOut: ClaimedDelivery[] = [];
				const succeeded = new Map<string, number>();
				const claimedAfterSuccess: string[] = [];
				const check = async (claimed: ClaimedDelivery[]) => {
					// Oldest first, and never a delivery that already succeeded.
					const seqs = claimed.map((d) => order.indexOf(d.id));
					expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
					for (const d of claimed) if (succeeded.has(d.id)) claimedAfterSuccess.push(d.id);
					for (const d of claimed) expect(d.attempt).toBeLessThanOrEqual(MAX);
				};
				// The attempt of each delivery that may still report: the last one handed out, until it reports.
				const current = new Map<string, number>();
				const report = async (d: ClaimedDelivery, ok: boolean) => {
					const mayReport = current.get(d.id) === d.attempt;
					let changed: boolean;
					if (ok) {
						changed = (await completeDeliveries(store, [d], at(clock))).length > 0;
						if (changed) succeeded.set(d.id, (succeeded.get(d.id) ?? 0) + 1);
					} else {
						changed = (await failDelivery(store, { id: d.id, attempt: d.attempt, now: at(clock), error: 'boom', maxAttempts: MAX, retryInMs: retryDelayMs(d.attempt, 1_000, 10_000) })) !== undefined;
					}
					// Only the current attempt's first report counts (unless its lease was taken over meanwhile).
					if (!mayReport) expect(changed).toBe(false);
					if (changed) current.delete(d.id);
				};
				// One execution of a batch succeeded (inboxPump's report), with a stale attempt mixed in at times.
				const reportBatch = async (batch: ClaimedDelivery[]) => {
					const done = await completeDeliveries(store, batch, at(clock));
					expect(new Set(done).size).toBe(done.length);
					for (const id of done) {
						expect(batch.some((d) => d.id === id && current.get(id) === d.attempt)).toBe(true);
						succeeded.set(id, (succeeded.get(id) ?? 0) + 1);
						current.delete(id);
					}
				};
				for (const step of steps) {
					if (step.op === 'enqueue') {
						const ids = Array.from({ length: step.n }, () => randomUUID());
						order.push(...ids);
						await store.transaction(async (tx) => await enqueueDeliveries(tx, ids.map((id) => ({ id, workflowId: WF, nodeName: NODE, receivedAt: at(clock), item: { id } }))));
					} else if (step.op === 'claim') {
						const claimed = await claimDue(store, { workflowId: WF, nodeName: NODE, now: at(clock), limit: step.limit, leaseMs: LEASE, maxAttempts: MAX });
						await check(claimed);
						for (const d of claimed) current.set(d.id, d.attempt);
						running.push(...claimed);
						handedOut.push(...claimed);
					} else if (step.op === 'stale') {
						// A late report from any attempt ever handed out (most are no longer current).
						if (handedOut.length > 0) await report(handedOut[step.pick % handedOut.length], step.pick % 2 === 0);
					} else if (step.op === 'complete' || step.op === 'fail') {
						if (running.length === 0) continue;
						const [d] = running.splice(step.pick % running.length, 1);
						await report(d, step.op === 'complete');
					} else if (step.op === 'completeBatch') {
						const batch = running.splice(step.pick % Math.max(1, running.length), step.size);
						if (step.pick % 2 === 1 && handedOut.length > 0) batch.push(handedOut[step.pick % handedOut.length]);
						if (batch.length > 0) await reportBatch(batch);
					} else if (step.op === 'crash') {
						running = []; // this process stops: its attempts are never reported
					} else if (step.op === 'advance') {
						clock += step.ms;
					}
				}
				// Drain: a new process, time moving on, every attempt succeeding.
				for (let round = 0; round < 20; round++) {
					clock += LEASE;
					const claimed = await claimDue(store, { workflowId: WF, nodeName: NODE, now: at(clock), limit: 100, leaseMs: LEASE, maxAttempts: MAX });
					await check(claimed);
					for (const d of claimed) current.set(d.id, d.attempt);
					for (const d of claimed) await report(d, true);
				}
				const { rows } = await store.query<{ id: string; state: string; attempts: number }>('SELECT id, state, attempts FROM inbox');
				expect(rows.map((r) => r.id).sort()).toEqual([...order].sort());
				for (const row of rows) {
					expect(['done', 'failed']).toContain(row.state);
					expect(row.attempts).toBeLessThanOrEqual(MAX);
					// Done exactly when one completion was accepted; never two.
					expect(succeeded.get(row.id) ?? 0).toBe(row.state === 'done' ? 1 : 0);
				}
				expect(claimedAfterSuccess).toEqual([]);
			}),
			{ numRuns: 150 },
		);
	}, 240_000);
});
