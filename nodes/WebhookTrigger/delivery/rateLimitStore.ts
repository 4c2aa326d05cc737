/**
 * One rate limiter per store per process (gate/rateLimit.ts), leasing its slots from the store's
 * `rate_limits` counter; ended windows are pruned in the background, at most once a minute.
 */
import { leaseSlots, pruneRateLimits } from '../../shared/store/rateLimits';
import type { TriggerStore } from '../../shared/storeResolver';
import { RateLimiter } from '../gate/rateLimit';

const PRUNE_INTERVAL_MS = 60_000;
/** Rows of windows that ended more than this long ago go (windows last a day at most). */
const KEEP_MS = 2 * 24 * 60 * 60 * 1000;

interface Entry {
	limiter: RateLimiter;
	store: TriggerStore;
	lastPrune: number;
}

const limiters = new Map<string, Entry>();

/** The process's limiter for `store`. */
export function rateLimiterFor(store: TriggerStore): RateLimiter {
	const known = limiters.get(store.key);
	if (known) {
		// The newest way to open it: a credential may have been edited while n8n runs.
		known.store = store;
		return known.limiter;
	}
	const entry: Entry = {
		store,
		lastPrune: 0,
		limiter: new RateLimiter(async (request) => {
			const db = await entry.store.open();
			const granted = await leaseSlots(db, request);
			if (request.windowStart - entry.lastPrune >= PRUNE_INTERVAL_MS) {
				entry.lastPrune = request.windowStart;
				void pruneRateLimits(db, request.windowStart - KEEP_MS).catch(() => undefined);
			}
			return granted;
		}),
	};
	limiters.set(store.key, entry);
	return entry.limiter;
}
