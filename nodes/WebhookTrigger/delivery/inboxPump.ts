/**
 * The inbox's pump: on the process where n8n runs the workflow's triggers (the leader), it takes
 * stored deliveries in arrival order and starts one execution each, at most `concurrency` at once.
 * An execution that ends in error is retried after the backoff; one that never reports (n8n
 * stopped) is taken over by the next pump once its lease ends (store/inbox.ts has the states).
 */
import type { InboxSettings } from './inbox';
import { registerPump } from './inbox';
import { claimDue, completeDelivery, failDelivery, pruneInbox, renewLeases, retryDelayMs } from '../../shared/store/inbox';
import type { ClaimedDelivery } from '../../shared/store/inbox';
import type { Store } from '../../shared/store/types';

/** A claim not renewed for this long is taken over (its process is gone). */
export const LEASE_MS = 60_000;

/** Renewal well inside the lease; the poll finds deliveries stored by other processes. */
const RENEW_MS = LEASE_MS / 3;
const POLL_MS = 1_000;

/** Done and failed rows are kept this long (for "did my webhook run?"), then pruned. */
const KEEP_FINISHED_MS = 7 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export type ExecutionOutcome = { ok: true; executionId?: string } | { ok: false; error: string; executionId?: string };

export interface PumpPorts {
	open: () => Promise<Store>;
	/** Starts the execution for one item and resolves when it has ended. */
	run: (item: Record<string, unknown>) => Promise<ExecutionOutcome>;
	now: () => number;
	/** A line for n8n's log (the store failed; the pump goes on). */
	problem: (message: string) => void;
}

export interface Pump {
	stop(): void;
	/** Resolves when every execution started so far has been reported (tests, shutdown). */
	settled(): Promise<void>;
}

export function startInboxPump(workflowId: string, nodeName: string, settings: InboxSettings, ports: PumpPorts): Pump {
	const inFlight = new Map<string, Promise<void>>();
	const attempts = new Map<string, number>();
	let stopped = false;
	let claiming = false;
	let again = false;
	let timer: NodeJS.Timeout | undefined;
	let lastRenewal = ports.now();
	let lastPrune = 0;

	const schedule = (ms: number) => {
		if (stopped) return;
		clearTimeout(timer);
		timer = setTimeout(() => void tick(), ms);
	};

	const report = async (delivery: ClaimedDelivery, outcome: ExecutionOutcome) => {
		const db = await ports.open();
		const now = new Date(ports.now());
		const attempt = { id: delivery.id, attempt: delivery.attempt, now, executionId: outcome.executionId };
		if (outcome.ok) await completeDelivery(db, attempt);
		else {
			const retryInMs = retryDelayMs(delivery.attempt, settings.retryBaseMs, settings.retryMaxMs);
			// Due again after the backoff: a later poll takes it.
			await failDelivery(db, { ...attempt, error: outcome.error, maxAttempts: settings.maxAttempts, retryInMs });
		}
	};

	const start = (delivery: ClaimedDelivery) => {
		attempts.set(delivery.id, delivery.attempt);
		const item = { ...(delivery.item as Record<string, unknown>), attempt: delivery.attempt };
		const done = ports
			.run(item)
			.catch((error: unknown): ExecutionOutcome => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
			.then(async (outcome) => await report(delivery, outcome))
			.catch((error: unknown) => ports.problem(`inbox: could not record how delivery ${delivery.id} ran: ${(error as Error).message}`))
			.finally(() => {
				inFlight.delete(delivery.id);
				attempts.delete(delivery.id);
				schedule(0);
			});
		inFlight.set(delivery.id, done);
	};

	const tick = async () => {
		if (stopped) return;
		if (claiming) {
			again = true;
			return;
		}
		claiming = true;
		try {
			const db = await ports.open();
			if (ports.now() - lastRenewal >= RENEW_MS && attempts.size > 0) {
				lastRenewal = ports.now();
				await renewLeases(db, [...attempts].map(([id, attempt]) => ({ id, attempt })), new Date(lastRenewal + LEASE_MS));
			}
			if (ports.now() - lastPrune >= PRUNE_EVERY_MS) {
				lastPrune = ports.now();
				await pruneInbox(db, new Date(lastPrune - KEEP_FINISHED_MS));
			}
			const free = settings.concurrency - inFlight.size;
			if (free > 0) {
				const claimed = await claimDue(db, { workflowId, nodeName, now: new Date(ports.now()), limit: free, leaseMs: LEASE_MS, maxAttempts: settings.maxAttempts });
				for (const delivery of claimed) if (!stopped) start(delivery);
				// A full batch: there may be more right away.
				if (claimed.length === free) again = true;
			}
		} catch (error) {
			ports.problem(`inbox: could not read the stored deliveries: ${(error as Error).message}`);
		} finally {
			claiming = false;
			if (again && !stopped) {
				again = false;
				schedule(0);
			} else schedule(POLL_MS);
		}
	};

	const unregister = registerPump(workflowId, nodeName, () => schedule(0));
	schedule(0);
	return {
		stop: () => {
			stopped = true;
			clearTimeout(timer);
			unregister();
		},
		settled: async () => {
			await Promise.all([...inFlight.values()]);
		},
	};
}
