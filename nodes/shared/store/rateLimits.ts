/**
 * The `rate_limits` table: for each caller key of a Webhook Trigger, how many calls of a fixed
 * window every process together has admitted. A process leases slots in blocks (one statement,
 * atomic on both engines) and spends them locally, so most calls never reach the store; the
 * table's count never passes the limit, so all processes together admit at most the limit per
 * window (gate/rateLimit.ts documents the overshoot across window edges).
 */
import { keyHash } from './deliveryKeys';
import type { Queryable } from './types';

export interface SlotLease {
	workflowId: string;
	nodeName: string;
	/** The caller key (an address, a tenant id); stored as SHA-256. */
	key: string;
	/** Milliseconds since the epoch where the window starts (a multiple of its length). */
	windowStart: number;
	/** Calls per window. */
	limit: number;
	/** Slots wanted. */
	want: number;
}

/**
 * Takes up to `want` of the window's free slots and returns how many it got (0: the window is
 * full). In one statement: both engines evaluate a row's SET from its values before the update,
 * so `granted` is what this lease added, whatever other processes leased before it.
 */
export async function leaseSlots(db: Queryable, lease: SlotLease): Promise<number> {
	const want = Math.max(1, Math.min(lease.want, lease.limit));
	const { rows } = await db.query<{ granted: number | string }>(
		`INSERT INTO rate_limits (workflow_id, node_name, key_hash, window_start, used, granted)
		VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (workflow_id, node_name, key_hash, window_start) DO UPDATE
			SET granted = CASE WHEN rate_limits.used + $5 <= $6 THEN $5 ELSE $6 - rate_limits.used END,
				used = CASE WHEN rate_limits.used + $5 <= $6 THEN rate_limits.used + $5 ELSE $6 END
			WHERE rate_limits.used < $6
		RETURNING granted`,
		[lease.workflowId, lease.nodeName, keyHash(lease.key), lease.windowStart, want, lease.limit],
	);
	return rows.length === 0 ? 0 : Number(rows[0].granted);
}

/** Removes windows that ended before `before` (milliseconds since the epoch). */
export async function pruneRateLimits(db: Queryable, before: number): Promise<number> {
	const { rowCount } = await db.query('DELETE FROM rate_limits WHERE window_start < $1', [before]);
	return rowCount;
}
