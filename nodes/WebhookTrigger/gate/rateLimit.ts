/**
 * Caller rate limits: at most N calls per fixed window per key (the caller's address, a header or
 * body path, or the whole node), answered 429 `rate_limited` with Retry-After before n8n does any
 * work.
 *
 * Shared by every process on one store without a store round trip for most calls: a process
 * leases a block of the window's slots from the store's counter (`leaseSlots`, which never lets
 * the count pass N) and spends them locally; once the store says the window is full, the process
 * refuses that key locally until the window ends, so a flood costs one lease per window.
 * - Overshoot: none within a window, whatever the number of processes: every admitted call spent
 *   a slot the store counted. Windows are fixed, so any interval of one window's length that
 *   spans an edge admits at most 2N (N at the end of one window, N at the start of the next).
 * - Undershoot: a process may hold up to one block of unspent slots (N/10, at least 1) that the
 *   others cannot use until the window ends.
 * - Store unreachable: each process falls back to counting alone (N per window per process), so
 *   the callers are limited rather than refused; the problem goes to n8n's log.
 */
import type { SlotLease } from '../../shared/store/rateLimits';
import { LruCache } from './lru';

export type RateLimitKeyKind = 'ip' | 'path' | 'node';

export interface RateLimitSettings {
	limit: number;
	windowMs: number;
	key: RateLimitKeyKind;
	/** For `path`: where the key is read (`headers.x-tenant-id`, `body.account.id`). */
	path: string;
}

/** The options the node reads (Options > Rate Limit …). */
export interface RateLimitOptions {
	rateLimit?: number;
	rateLimitWindowSeconds?: number;
	rateLimitKey?: string;
	rateLimitKeyPath?: string;
}

export const DEFAULT_RATE_LIMIT_WINDOW_SECONDS = 60;
const MAX_WINDOW_SECONDS = 24 * 60 * 60;

/** The node's limit, or undefined when it has none (0 or unset). A bad setting is a configuration error. */
export function rateLimitOf(options: RateLimitOptions): RateLimitSettings | undefined {
	const limit = options.rateLimit ?? 0;
	if (limit === 0) return undefined;
	const seconds = options.rateLimitWindowSeconds ?? DEFAULT_RATE_LIMIT_WINDOW_SECONDS;
	if (!Number.isInteger(limit) || limit < 0) throw new Error(`Rate Limit must be a whole number of calls, not ${limit}`);
	if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WINDOW_SECONDS) {
		throw new Error(`Rate Limit Window must be 1 to ${MAX_WINDOW_SECONDS} seconds, not ${seconds}`);
	}
	const key = options.rateLimitKey ?? 'ip';
	if (key !== 'ip' && key !== 'path' && key !== 'node') throw new Error(`Unknown Rate Limit Key "${key}"`);
	const path = (options.rateLimitKeyPath ?? '').trim();
	if (key === 'path' && path === '') throw new Error('Rate Limit Key Path is empty: say where the key is, e.g. headers.x-tenant-id');
	return { limit, windowMs: seconds * 1000, key, path };
}

/**
 * Whether the limit is checked before verification. Only the caller's address: a key read from the
 * call's content (a tenant id) is checked after it, or a forger could spend a real caller's quota by
 * sending its id. The whole-node key is checked after it too, so forged calls never spend it.
 */
export function limitsBeforeVerification(settings: RateLimitSettings): boolean {
	return settings.key === 'ip';
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number; windowStart: number };

/** What a lease asks the shared counter for (the store's `leaseSlots` takes it as it is). */
export type LeaseRequest = SlotLease;

/** Takes up to `want` free slots of the window from the shared counter; resolves how many it got. */
export type LeaseSlots = (request: LeaseRequest) => Promise<number>;

/** The slots one key has in this process for the current window. */
interface Window {
	start: number;
	/** Leased and not spent yet. */
	left: number;
	/** Admitted by this process in this window (the fallback counts against it). */
	admitted: number;
	/** The store said the window is full: refuse locally until it ends. */
	full: boolean;
	refilling?: Promise<void>;
}

/** Keys tracked per process; beyond, the least recently used is forgotten (its unspent slots with it). */
const MAX_KEYS = 10_000;

export function leaseBlock(limit: number): number {
	return Math.max(1, Math.floor(limit / 10));
}

export class RateLimiter {
	private readonly windows = new LruCache<string, Window>(MAX_KEYS);

	constructor(private readonly lease: LeaseSlots) {}

	/**
	 * Admits the call (spending one slot) or refuses it with the seconds until the window ends.
	 * `onProblem` hears that the shared counter failed (and this process counts alone).
	 */
	async admit(
		scope: { workflowId: string; nodeName: string },
		settings: RateLimitSettings,
		key: string,
		now: number,
		onProblem: (message: string) => void = () => undefined,
	): Promise<Admission> {
		const start = now - (now % settings.windowMs);
		const id = `${scope.workflowId}\n${scope.nodeName}\n${settings.limit}/${settings.windowMs}\n${key}`;
		let window = this.windows.get(id);
		if (window === undefined || window.start !== start) {
			window = { start, left: 0, admitted: 0, full: false };
			this.windows.set(id, window);
		}
		// Concurrent calls of one key wait for one lease rather than each asking the store.
		while (window.left === 0 && !window.full) {
			window.refilling ??= this.refill(window, { ...scope, key, windowStart: start, limit: settings.limit, want: leaseBlock(settings.limit) }, onProblem).finally(() => {
				(window as Window).refilling = undefined;
			});
			await window.refilling;
		}
		if (window.left === 0) return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((start + settings.windowMs - now) / 1000)), windowStart: start };
		window.left--;
		window.admitted++;
		return { admitted: true };
	}

	private async refill(window: Window, request: LeaseRequest, onProblem: (message: string) => void): Promise<void> {
		try {
			const granted = await this.lease(request);
			if (granted > 0) window.left += granted;
			else window.full = true;
		} catch (error) {
			// Counting alone beats refusing every caller (or admitting all of them) while the store is down.
			window.left = Math.max(0, request.limit - window.admitted);
			window.full = window.left === 0;
			onProblem(`the rate limit's shared counter could not be reached, this process counts alone: ${(error as Error).message}`);
		}
	}
}
