/**
 * A SQLite file shared by several processes: a write that meets another's lock (SQLITE_BUSY) is
 * retried here, asynchronously, never waited for inside SQLite.
 */
import { setTimeout as sleep } from 'timers/promises';

/** SQLITE_BUSY / SQLITE_LOCKED: another connection (process) holds the lock right now. */
function isBusy(error: unknown): boolean {
	const code = (error as { errcode?: unknown } | null)?.errcode;
	if (typeof code === 'number') return (code & 0xff) === 5 || (code & 0xff) === 6;
	return /database is (locked|busy)/i.test(error instanceof Error ? error.message : String(error));
}

/** How long a busy write is retried before the call fails; each wait yields the event loop. */
const BUSY_GIVE_UP_MS = 30_000;

/**
 * Runs `work` until it does not meet a busy database. No busy_timeout: SQLite would wait for the
 * lock inside the call and block n8n's event loop; here each retry waits asynchronously instead
 * (1 ms doubling to 50 ms, jittered so two processes do not retry in step).
 */
export async function retryBusy<T>(work: () => T, clock: () => number = Date.now): Promise<T> {
	const started = clock();
	for (let attempt = 0; ; attempt++) {
		const outcome = attemptSync(work);
		if (outcome.ok) return outcome.value;
		if (!isBusy(outcome.error) || clock() - started > BUSY_GIVE_UP_MS) throw outcome.error;
		await sleep(Math.min(50, 2 ** attempt) * (0.5 + Math.random()));
	}
}

export function attemptSync<T>(work: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
	try {
		return { ok: true, value: work() };
	} catch (error) {
		return { ok: false, error };
	}
}
