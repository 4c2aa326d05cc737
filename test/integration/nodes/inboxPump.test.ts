import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';

import { inboxSettingsOf } from '../../../nodes/WebhookTrigger/delivery/inbox';
import { QUIET_MS, startInboxPump } from '../../../nodes/WebhookTrigger/delivery/inboxPump';
import { storeInInbox } from '../../../nodes/WebhookTrigger/delivery/inbox';
import type { ExecutionOutcome, PumpPorts } from '../../../nodes/WebhookTrigger/delivery/inboxPump';
import { enqueueDeliveries } from '../../../nodes/shared/store/inbox';
import type { Store } from '../../../nodes/shared/store/types';
import { eachStore, truncate } from '../store/targets';

/**
 * The inbox pump against a real store: arrival order, at most `concurrency` executions at once,
 * a failed execution retried with the next attempt number, failed for good after the last one,
 * and nothing run again after it succeeded.
 */
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const ONE_AT_A_TIME = { batchSize: 1, batchWindowMs: 0, perMinute: 0, holdMs: 0 };

/** The retry delay as the manual states it: "**Inbox Retry Delay (Seconds)** (default 30), doubling for each later attempt". */
function documentedRetrySeconds(): number {
	const manual = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'duplicates-and-answers.md'), 'utf8');
	const stated = /\*\*Inbox Retry Delay \(Seconds\)\*\* \(default (\d+)\), doubling for each later attempt/.exec(manual);
	if (!stated) throw new Error('docs/duplicates-and-answers.md no longer states the inbox retry delay');
	return Number(stated[1]);
}

/**
 * A clock and the pump's timers, moved by the test: the pump waits on one timer at a time, and
 * `fire` sets the clock to its time and runs it. No real time passes for the pump.
 */
function manualClock(start: number) {
	let now = start;
	let pending: { at: number; run: () => void; handle: number } | undefined;
	let handles = 0;
	let waiter: (() => void) | undefined;
	const timers: NonNullable<PumpPorts['timers']> = {
		set: (run, ms) => {
			pending = { at: now + ms, run, handle: ++handles };
			waiter?.();
			return pending.handle;
		},
		clear: (handle) => {
			if (pending?.handle === handle) pending = undefined;
		},
	};
	return {
		now: () => now,
		timers,
		/** Resolves once the pump waits on a timer (its poll ended). */
		waiting: async () => {
			if (pending === undefined) await new Promise<void>((resolve) => (waiter = resolve));
			waiter = undefined;
		},
		/** When the pending timer is due, if one is set. */
		pendingAt: () => pending?.at,
		/** Moves the clock without running the pending timer (a call arrives in between). */
		advanceTo: (at: number) => {
			now = Math.max(now, at);
		},
		fire: () => {
			const due = pending!;
			pending = undefined;
			now = Math.max(now, due.at);
			due.run();
		},
	};
}

eachStore()('the inbox pump on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['inbox']));

	async function enqueue(workflowId: string, count: number): Promise<string[]> {
		const ids = Array.from({ length: count }, () => randomUUID());
		await store.transaction(async (tx) => await enqueueDeliveries(tx, ids.map((id, n) => ({ id, workflowId, nodeName: 'Trigger', receivedAt: new Date(), item: { n } }))));
		return ids;
	}

	async function states(workflowId: string): Promise<Record<string, number>> {
		const { rows } = await store.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM inbox WHERE workflow_id = $1 GROUP BY state', [workflowId]);
		return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
	}

	async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!(await check())) {
			if (Date.now() > deadline) throw new Error('timed out');
			await sleep(20);
		}
	}

	it('runs every delivery in arrival order, never more than `concurrency` at once, retrying failures', async () => {
		await enqueue('wf-pump', 30);
		const started: Array<{ n: number; attempt: number }> = [];
		let running = 0;
		let most = 0;
		const run = async ([item]: Array<Record<string, unknown>>): Promise<ExecutionOutcome> => {
			started.push({ n: item.n as number, attempt: item.attempt as number });
			most = Math.max(most, ++running);
			await sleep(5);
			running--;
			// Every fifth delivery fails its first attempt.
			return (item.n as number) % 5 === 0 && item.attempt === 1 ? { ok: false, error: 'first attempt fails' } : { ok: true };
		};
		const pump = startInboxPump('wf-pump', 'Trigger', { ...ONE_AT_A_TIME, concurrency: 3, maxAttempts: 3, retryBaseMs: 0, retryMaxMs: 0 }, { open: async () => store, run, now: Date.now, problem: (m) => { throw new Error(m); } });
		try {
			await until(async () => (await states('wf-pump')).done === 30);
		} finally {
			pump.stop();
			await pump.settled();
		}
		expect(most).toBeLessThanOrEqual(3);
		expect(most).toBeGreaterThan(1);
		const firsts = started.filter((s) => s.attempt === 1).map((s) => s.n);
		expect(firsts).toEqual(Array.from({ length: 30 }, (_, n) => n));
		expect(started.filter((s) => s.attempt === 2).map((s) => s.n).sort((a, b) => a - b)).toEqual([0, 5, 10, 15, 20, 25]);
		expect(started).toHaveLength(36);
	});

	it('marks a delivery failed once its attempts are used up, and runs nothing after', async () => {
		const [id] = await enqueue('wf-failing', 1);
		const attempts: number[] = [];
		const pump = startInboxPump('wf-failing', 'Trigger', { ...ONE_AT_A_TIME, concurrency: 2, maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 20 }, {
			open: async () => store,
			run: async ([item]) => {
				attempts.push(item.attempt as number);
				throw new Error(`attempt ${item.attempt as number} broke`);
			},
			now: Date.now,
			problem: (m) => { throw new Error(m); },
		});
		try {
			await until(async () => (await states('wf-failing')).failed === 1);
			await sleep(1_200);
		} finally {
			pump.stop();
			await pump.settled();
		}
		expect(attempts).toEqual([1, 2, 3]);
		const { rows } = await store.query<{ last_error: string; attempts: number }>('SELECT last_error, attempts FROM inbox WHERE id = $1', [id]);
		expect(rows[0]).toEqual({ last_error: 'attempt 3 broke', attempts: 3 });
	});

	it('puts up to Batch Size deliveries in one execution, in order, and waits for a partial batch only as long as its window', async () => {
		const enqueuedAt = Date.now();
		await enqueue('wf-batch', 23);
		const batches: number[][] = [];
		const startedAfter: number[] = [];
		const pump = startInboxPump('wf-batch', 'Trigger', { ...ONE_AT_A_TIME, concurrency: 2, maxAttempts: 1, retryBaseMs: 0, retryMaxMs: 0, batchSize: 10, batchWindowMs: 400 }, {
			open: async () => store,
			run: async (items) => {
				batches.push(items.map((item) => item.n as number));
				startedAfter.push(Date.now() - enqueuedAt);
				return { ok: true };
			},
			now: Date.now,
			problem: (m) => { throw new Error(m); },
		});
		try {
			await until(async () => (await states('wf-batch')).done === 23);
		} finally {
			pump.stop();
			await pump.settled();
		}
		expect(batches).toEqual([
			Array.from({ length: 10 }, (_, n) => n),
			Array.from({ length: 10 }, (_, n) => n + 10),
			[20, 21, 22],
		]);
		// The partial batch waited for its window.
		expect(startedAfter[2]).toBeGreaterThanOrEqual(390);
	});

	it('starts at most Executions per Minute in any minute, counting what started before a restart', async () => {
		await enqueue('wf-paced', 14);
		// A clock 60× faster than real time: a minute passes in a second (the pump polls every second).
		const origin = Date.now();
		const now = () => origin + (Date.now() - origin) * 60;
		const startedAt: number[] = [];
		const settings = { ...ONE_AT_A_TIME, concurrency: 10, maxAttempts: 1, retryBaseMs: 0, retryMaxMs: 0, perMinute: 4 };
		const ports = {
			open: async () => store,
			run: async () => {
				startedAt.push(now());
				return { ok: true } as const;
			},
			now,
			problem: (m: string) => { throw new Error(m); },
		};
		let pump = startInboxPump('wf-paced', 'Trigger', settings, ports);
		await until(async () => (await states('wf-paced')).done === 4);
		// A restart within the minute: the new pump counts the 4 already started.
		pump.stop();
		await pump.settled();
		pump = startInboxPump('wf-paced', 'Trigger', settings, ports);
		try {
			await until(async () => (await states('wf-paced')).done === 14, 30_000);
		} finally {
			pump.stop();
			await pump.settled();
		}
		expect(startedAt).toHaveLength(14);
		for (const at of startedAt) expect(startedAt.filter((other) => other >= at && other < at + 60_000).length).toBeLessThanOrEqual(4);
	}, 60_000);

	it('retries after the documented delay, doubled for the next attempt, within 20%, on its injected clock', async () => {
		const baseMs = documentedRetrySeconds() * 1000;
		const T0 = Date.UTC(2026, 11, 5, 12);
		const clock = manualClock(T0);
		const id = randomUUID();
		await enqueueDeliveries(store, [{ id, workflowId: 'wf-backoff', nodeName: 'Trigger', receivedAt: new Date(T0), item: {} }]);
		const starts: Array<{ attempt: number; at: number; nextAttemptAt?: number }> = [];
		const failedAt: number[] = [];
		const run = async ([item]: Array<Record<string, unknown>>): Promise<ExecutionOutcome> => {
			const attempt = item.attempt as number;
			// A retry's row still holds when it was due (the claim leaves available_at as it was).
			const { rows } = await store.query<{ available_at: Date | string }>('SELECT available_at FROM inbox WHERE id = $1::uuid', [id]);
			starts.push({ attempt, at: clock.now(), nextAttemptAt: attempt > 1 ? new Date(rows[0].available_at).getTime() : undefined });
			if (attempt === 3) return { ok: true };
			failedAt.push(clock.now());
			return { ok: false, error: `attempt ${attempt} failed` };
		};
		// The shipped settings: 3 attempts, the retry delay's default.
		const settings = inboxSettingsOf('onReceived', { inbox: true })!;
		const pump = startInboxPump('wf-backoff', 'Trigger', settings, {
			open: async () => store,
			run,
			now: clock.now,
			timers: clock.timers,
			problem: (m) => { throw new Error(m); },
		});
		try {
			// Poll by poll: each ends waiting on a timer, with every execution it started reported.
			while (starts.length < 3 && clock.now() < T0 + 10 * baseMs) {
				await clock.waiting();
				await pump.settled();
				await clock.waiting();
				clock.fire();
			}
			await clock.waiting();
			await pump.settled();
		} finally {
			pump.stop();
		}
		expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
		expect((await states('wf-backoff')).done).toBe(1);
		// Retry n is due baseMs · 2^(n-1) after attempt n failed: scheduled and started within ±20%.
		const within20 = (ms: number, documented: number) => expect(Math.abs(ms - documented)).toBeLessThanOrEqual(0.2 * documented);
		for (const n of [1, 2]) {
			const documented = baseMs * 2 ** (n - 1);
			within20(starts[n].nextAttemptAt! - failedAt[n - 1], documented);
			within20(starts[n].at - failedAt[n - 1], documented);
		}
		process.stdout.write(`inbox backoff (documented ${baseMs} ms, doubling): retry 1 scheduled ${starts[1].nextAttemptAt! - failedAt[0]} ms, started ${starts[1].at - failedAt[0]} ms after the failure; retry 2 scheduled ${starts[2].nextAttemptAt! - failedAt[1]} ms, started ${starts[2].at - failedAt[1]} ms\n`);
	});

	/**
	 * Calls arrive every `gapMs` on the pump's clock through storeInInbox (which wakes the pump, as
	 * webhook() does); runs succeed at once. Returns when each delivery arrived and started.
	 */
	async function arrivals(workflowId: string, holdMs: number, count: number, gapMs: number, callsDuringRuns = 0) {
		const T0 = Date.UTC(2026, 11, 6, 12);
		const clock = manualClock(T0);
		const arrivedAt = new Map<number, number>();
		const startedAt = new Map<number, number>();
		const trigger = { key: 'test', open: async () => store };
		let next = 0;
		const arrive = async (at: number) => {
			const n = next++;
			arrivedAt.set(n, at);
			await storeInInbox(trigger, { workflowId, nodeName: 'Trigger', deliveryId: randomUUID(), item: { n }, receivedAt: at, keyed: false });
		};
		let extra = callsDuringRuns;
		const pump = startInboxPump(workflowId, 'Trigger', { ...ONE_AT_A_TIME, concurrency: 2, maxAttempts: 1, retryBaseMs: 0, retryMaxMs: 0, holdMs }, {
			open: async () => store,
			run: async (items) => {
				for (const item of items) startedAt.set(item.n as number, clock.now());
				// A run takes 10 ms, and a call may come in meanwhile.
				clock.advanceTo(clock.now() + 10);
				if (extra-- > 0) await arrive(clock.now());
				return { ok: true };
			},
			now: clock.now,
			timers: clock.timers,
			problem: (m) => { throw new Error(m); },
		});
		/** Runs the pump's timers due by `until`, each poll to its end with what it started reported. */
		const runUntil = async (until: number) => {
			for (;;) {
				await clock.waiting();
				await pump.settled();
				await clock.waiting();
				if (clock.pendingAt()! > until) return;
				clock.fire();
			}
		};
		try {
			for (let n = 0; n < count; n++) {
				const at = T0 + n * gapMs;
				await runUntil(at);
				clock.advanceTo(at);
				await arrive(at);
			}
			while (startedAt.size < count + callsDuringRuns) await runUntil(clock.now() + 1_000);
		} finally {
			pump.stop();
			await pump.settled();
		}
		return { T0, arrivedAt, startedAt };
	}

	it('holds runs while calls keep arriving and runs them all, in order, once calls pause', async () => {
		const { arrivedAt, startedAt } = await arrivals('wf-hold', 10_000, 30, 50);
		const lastArrival = Math.max(...arrivedAt.values());
		// Nothing started while the calls came in (1.45 s, inside the 10 s hold) ...
		expect(Math.min(...startedAt.values())).toBe(lastArrival + QUIET_MS);
		// ... then all of them, in arrival order.
		expect([...startedAt.keys()]).toEqual(Array.from({ length: 30 }, (_, n) => n));
		expect((await states('wf-hold')).done).toBe(30);
	});

	it('starts every delivery within the hold while calls never pause: a hold that runs out catches up first', async () => {
		const holdMs = 2_000;
		const { T0, arrivedAt, startedAt } = await arrivals('wf-hold-long', holdMs, 200, 50);
		expect(startedAt.size).toBe(200);
		const waited = [...arrivedAt].map(([n, at]) => startedAt.get(n)! - at);
		// The first hold runs its full length (no pause in 10 s of calls) ...
		expect(startedAt.get(0)).toBe(T0 + holdMs);
		// ... and no delivery waits longer than one hold, plus the poll that starts it.
		expect(Math.max(...waited)).toBeLessThanOrEqual(holdMs + 50);
		// Runs went on while the calls did: not all at the end.
		expect([...startedAt.values()].filter((at) => at < T0 + 199 * 50).length).toBeGreaterThan(150);
	});

	it('once a hold ran out, keeps running while calls come in until it has caught up', async () => {
		const holdMs = 2_000;
		// 50 calls in 2.5 s (the hold runs out at the 41st), then one more during each of 100 runs.
		const { T0, startedAt } = await arrivals('wf-hold-catch-up', holdMs, 50, 50, 100);
		expect(startedAt.size).toBe(150);
		const starts = [...startedAt.values()].sort((a, b) => a - b);
		expect(starts[0]).toBe(T0 + holdMs);
		// No second hold while behind: each run starts as the one before it ends (10 ms).
		const gaps = starts.slice(1).map((at, i) => at - starts[i]);
		expect(Math.max(...gaps)).toBeLessThan(QUIET_MS);
	});

	it('runs each delivery at once with the hold off', async () => {
		const { arrivedAt, startedAt } = await arrivals('wf-no-hold', 0, 10, 50);
		for (const [n, at] of arrivedAt) expect(startedAt.get(n)).toBe(at);
	});
});
