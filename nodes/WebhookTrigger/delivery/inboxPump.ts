/**
 * The inbox's pump: on the process where n8n runs the workflow's triggers (the leader), it takes
 * stored deliveries in arrival order and starts executions of up to `batchSize` deliveries each
 * (a partial batch waits up to `batchWindowMs` for more), at most `concurrency` executions at once
 * and at most `perMinute` started in any minute. An execution that ends in error is retried after
 * the backoff with all its deliveries; one that never reports (n8n stopped) is taken over by the
 * next pump once its lease ends (store/inbox.ts has the states). A replayed refusal is verified
 * again first (refusedReplay.ts); one refused again fails at once, without retries.
 *
 * Answers come first: while calls keep arriving at this process, no execution starts (they would
 * share the CPU with the answers) until calls pause for QUIET_MS or the oldest held delivery has
 * waited `holdMs`. A hold that ran out means the process cannot both answer and run: the pump then
 * runs at full pace until it has caught up, and holds again only after that (no starvation).
 */
import type { InboxSettings } from './inbox';
import { registerPump } from './inbox';
import { claimDue, completeDeliveries, failDelivery, pruneInbox, recentStarts, renewLeases, retryDelayMs } from '../../shared/store/inbox';
import type { ClaimedDelivery, StoredCall } from '../../shared/store/inbox';
import type { VerifiedReplay } from './refusedReplay';
import type { Store } from '../../shared/store/types';

/** A claim not renewed for this long is taken over (its process is gone). */
export const LEASE_MS = 30_000;

/** Renewal well inside the lease; the poll finds deliveries stored by other processes. */
const RENEW_MS = LEASE_MS / 3;
const POLL_MS = 1_000;

/** Done and failed rows are kept this long (for "did my webhook run?"), then pruned. */
const KEEP_FINISHED_MS = 7 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;
const MINUTE_MS = 60_000;

/** A pause in arrivals this long ends a hold: the burst is over (or was one call). */
export const QUIET_MS = 200;

export type ExecutionOutcome = { ok: true; executionId?: string } | { ok: false; error: string; executionId?: string };

export interface PumpPorts {
	open: () => Promise<Store>;
	/** Starts one execution with these items (in order) and resolves when it has ended. */
	run: (items: Array<Record<string, unknown>>) => Promise<ExecutionOutcome>;
	/** Verifies a replayed refusal again with the trigger's credential as it is now; none: refused. */
	verify?: (call: StoredCall, delivery: ClaimedDelivery) => Promise<VerifiedReplay>;
	now: () => number;
	/** How it waits between polls; setTimeout by default. Tests move these with the clock of `now`. */
	timers?: { set: (run: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
	/** A line for n8n's log (the store failed; the pump goes on). */
	problem: (message: string) => void;
}

export interface Pump {
	stop(): void;
	/** Resolves when every execution started so far has been reported (tests, shutdown). */
	settled(): Promise<void>;
}

export function startInboxPump(workflowId: string, nodeName: string, settings: InboxSettings, ports: PumpPorts): Pump {
	const inFlight = new Set<Promise<void>>();
	/** Claimed deliveries (running or held for a batch) by id: their leases are renewed. */
	const attempts = new Map<string, number>();
	/** A partial batch waiting for its window to fill or end. */
	let held: ClaimedDelivery[] = [];
	/** When the executions of the last minute started (the per-minute pace). */
	let starts: number[] | undefined;
	let stopped = false;
	let claiming = false;
	let again = false;
	const timers = ports.timers ?? { set: (run: () => void, ms: number) => setTimeout(run, ms), clear: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout) };
	let timer: unknown;
	let lastRenewal = ports.now();
	let lastPrune = 0;
	/** The hold: when the first delivery stored here since the last claim arrived, and the latest. */
	let holdFrom: number | undefined;
	let lastArrival = 0;
	/** A hold ran out: run at full pace until the due deliveries are all claimed. */
	let catchingUp = false;

	const schedule = (ms: number) => {
		if (stopped) return;
		timers.clear(timer);
		timer = timers.set(() => void tick(), Math.max(0, ms));
	};

	const report = async (batch: ClaimedDelivery[], outcome: ExecutionOutcome) => {
		const db = await ports.open();
		const now = new Date(ports.now());
		if (outcome.ok) {
			await completeDeliveries(db, batch, now, outcome.executionId);
			return;
		}
		// Each delivery is due again after its own backoff (a batch may mix attempts); one transaction for all.
		await db.transaction(async (tx) => {
			for (const delivery of batch) {
				const retryInMs = retryDelayMs(delivery.attempt, settings.retryBaseMs, settings.retryMaxMs);
				const attempt = { id: delivery.id, attempt: delivery.attempt, now, executionId: outcome.executionId };
				await failDelivery(tx, { ...attempt, error: outcome.error, maxAttempts: settings.maxAttempts, retryInMs });
			}
		});
	};

	/** The batch as it runs: replayed refusals that verify get their item, the rest fail for good now. */
	const verified = async (batch: ClaimedDelivery[]): Promise<ClaimedDelivery[]> => {
		if (batch.every((delivery) => delivery.call === null)) return batch;
		const ready: ClaimedDelivery[] = [];
		for (const delivery of batch) {
			if (delivery.call === null) {
				ready.push(delivery);
				continue;
			}
			const result = ports.verify ? await ports.verify(delivery.call, delivery) : { ok: false as const, error: 'this inbox cannot verify a call' };
			if (result.ok) ready.push({ ...delivery, item: result.item });
			else {
				const db = await ports.open();
				const refused = { id: delivery.id, attempt: delivery.attempt, now: new Date(ports.now()), error: result.error };
				await failDelivery(db, { ...refused, maxAttempts: delivery.attempt, retryInMs: 0 });
			}
		}
		return ready;
	};

	const runBatch = async (claimed: ClaimedDelivery[]): Promise<void> => {
		let batch = claimed;
		let outcome: ExecutionOutcome;
		try {
			batch = await verified(claimed);
			if (batch.length === 0) return;
			outcome = await ports.run(batch.map((delivery) => ({ ...(delivery.item as Record<string, unknown>), attempt: delivery.attempt })));
		} catch (error) {
			outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
		}
		await report(batch, outcome);
	};

	const start = (batch: ClaimedDelivery[]) => {
		starts?.push(ports.now());
		const done: Promise<void> = runBatch(batch)
			.catch((error: unknown) => ports.problem(`inbox: could not record how deliveries ${batch.map((d) => d.id).join(', ')} ran: ${(error as Error).message}`))
			.finally(() => {
				inFlight.delete(done);
				for (const delivery of batch) attempts.delete(delivery.id);
				schedule(0);
			});
		inFlight.add(done);
	};

	/** Executions that may start now: free slots, and what is left of this minute's pace. */
	const startable = (now: number): { count: number; nextAt?: number } => {
		let count = settings.concurrency - inFlight.size;
		if (settings.perMinute > 0 && starts !== undefined) {
			starts = starts.filter((at) => at > now - MINUTE_MS);
			const left = settings.perMinute - starts.length;
			if (left <= 0) return { count: 0, nextAt: starts[0] + MINUTE_MS };
			count = Math.min(count, left);
		}
		return { count };
	};

	/**
	 * The hold at `now`: the time to look again while calls arrive and it has time left; 'run' when
	 * calls paused (or nothing is held); 'ranOut' when it lasted its whole length.
	 */
	const holdAt = (now: number): number | 'run' | 'ranOut' => {
		if (settings.holdMs <= 0 || catchingUp || holdFrom === undefined) return 'run';
		const quietAt = lastArrival + QUIET_MS;
		const holdEnds = holdFrom + settings.holdMs;
		if (now >= quietAt) return 'run';
		if (now >= holdEnds) return 'ranOut';
		return Math.min(quietAt, holdEnds);
	};

	const tick = async () => {
		if (stopped) return;
		if (claiming) {
			again = true;
			return;
		}
		claiming = true;
		let wakeAt: number | undefined;
		try {
			const db = await ports.open();
			const now = ports.now();
			// After a restart the pace counts what the previous process started this minute.
			if (settings.perMinute > 0 && starts === undefined) starts = await recentStarts(db, workflowId, nodeName, new Date(now - MINUTE_MS));
			if (now - lastRenewal >= RENEW_MS && attempts.size > 0) {
				lastRenewal = now;
				await renewLeases(db, [...attempts].map(([id, attempt]) => ({ id, attempt })), new Date(now + LEASE_MS));
			}
			if (now - lastPrune >= PRUNE_EVERY_MS) {
				lastPrune = now;
				await pruneInbox(db, new Date(now - KEEP_FINISHED_MS));
			}
			const room = startable(now);
			wakeAt = room.nextAt;
			const hold = room.count > 0 ? holdAt(now) : 'run';
			if (hold === 'ranOut') catchingUp = true;
			if (typeof hold === 'number') wakeAt = Math.min(wakeAt ?? hold, hold);
			else if (room.count > 0) {
				// Deliveries arriving from now on open a new hold.
				holdFrom = undefined;
				const wanted = room.count * settings.batchSize - held.length;
				const claimed = await claimDue(db, { workflowId, nodeName, now: new Date(now), limit: wanted, leaseMs: LEASE_MS, maxAttempts: settings.maxAttempts });
				for (const delivery of claimed) attempts.set(delivery.id, delivery.attempt);
				const ready = [...held, ...claimed];
				held = [];
				// There may be more due right away; a short claim means the pump has caught up.
				if (claimed.length === wanted) again = true;
				else catchingUp = false;
				for (let i = 0; i < ready.length && !stopped; i += settings.batchSize) {
					const batch = ready.slice(i, i + settings.batchSize);
					const windowEnds = Date.parse(batch[0].receivedAt) + settings.batchWindowMs;
					// A partial batch waits for more until the window of its oldest delivery ends.
					if (batch.length < settings.batchSize && windowEnds > now) {
						held = batch;
						wakeAt = Math.min(wakeAt ?? windowEnds, windowEnds);
						break;
					}
					start(batch);
				}
			}
		} catch (error) {
			ports.problem(`inbox: could not read the stored deliveries: ${(error as Error).message}`);
		} finally {
			claiming = false;
			if (again && !stopped) {
				again = false;
				schedule(0);
			} else schedule(Math.min(POLL_MS, (wakeAt ?? Infinity) - ports.now()));
		}
	};

	const unregister = registerPump(workflowId, nodeName, () => {
		lastArrival = ports.now();
		const holding = holdFrom !== undefined && settings.holdMs > 0 && !catchingUp;
		holdFrom ??= lastArrival;
		// Within a hold, the timer the last look set comes back by the time the hold may end (it
		// looks again then, with this arrival): no look per arrival while a burst comes in.
		if (!holding) schedule(0);
	});
	schedule(0);
	return {
		stop: () => {
			stopped = true;
			timers.clear(timer);
			unregister();
		},
		settled: async () => {
			await Promise.all([...inFlight]);
		},
	};
}
