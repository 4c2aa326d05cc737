/**
 * Duplicate suppression: a provider's delivery key (its delivery id header, a payload id) is
 * claimed once per window, per workflow and node, with one atomic statement — INSERT … ON CONFLICT
 * DO UPDATE … WHERE expired — so concurrent copies of one delivery, in one process or several on
 * one PostgreSQL, see exactly one "first". Keys are stored as SHA-256: whatever path the user
 * chose, no payload value is kept.
 *
 * A claim holds for its window only once its execution has started (`started_at`, set by the
 * trigger's first step). Until then a copy is not a duplicate yet: if n8n never starts the first
 * copy's execution (a worker killed, n8n stopped in between), the provider's retry must run, or the
 * delivery is lost. An unstarted claim older than `pendingMs` is therefore taken over by the next
 * copy; a younger one makes the copy wait or retry later.
 */
import { createHash } from 'crypto';

import { dialectOf } from './dialect';
import type { Queryable } from './types';

export interface DeliveryKeyClaim {
	workflowId: string;
	nodeName: string;
	key: string;
	/** The delivery that claims the key (kept, so a duplicate can name the first one). */
	deliveryId: string;
	now: Date;
	windowMs: number;
	/** True when the caller is answered before the execution starts: nothing will confirm the claim. */
	started: boolean;
	/** How long an unstarted claim keeps other copies out. */
	pendingMs: number;
}

export type ClaimResult =
	| { first: true }
	| { first: false; started: boolean; firstDeliveryId: string; firstSeen: string };

export type DeliveryKeyRef = Pick<DeliveryKeyClaim, 'workflowId' | 'nodeName' | 'key'>;

export function keyHash(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex');
}

export async function claimDeliveryKey(db: Queryable, claim: DeliveryKeyClaim): Promise<ClaimResult> {
	// A row that expired and was pruned between the claim and the read: claim again, it is free.
	for (let attempt = 0; attempt < 3; attempt++) {
		const result = await tryClaim(db, claim);
		if (result !== undefined) return result;
	}
	throw new Error('the delivery key was claimed and pruned under this claim three times');
}

async function tryClaim(db: Queryable, claim: DeliveryKeyClaim): Promise<ClaimResult | undefined> {
	const hash = keyHash(claim.key);
	const now = claim.now.toISOString();
	const expires = new Date(claim.now.getTime() + claim.windowMs).toISOString();
	const abandonedBefore = new Date(claim.now.getTime() - claim.pendingMs).toISOString();
	const inserted = await db.query(
		`INSERT INTO delivery_keys (workflow_id, node_name, key_hash, delivery_id, first_seen, expires_at, started_at)
		VALUES ($1, $2, $3, $4::uuid, $5::timestamptz, $6::timestamptz, CASE WHEN $7::boolean THEN $5::timestamptz END)
		ON CONFLICT (workflow_id, node_name, key_hash) DO UPDATE
			SET delivery_id = EXCLUDED.delivery_id, first_seen = EXCLUDED.first_seen, expires_at = EXCLUDED.expires_at,
				started_at = EXCLUDED.started_at
			WHERE delivery_keys.expires_at <= EXCLUDED.first_seen
				OR (delivery_keys.started_at IS NULL AND delivery_keys.first_seen <= $8::timestamptz)
		RETURNING delivery_id`,
		[claim.workflowId, claim.nodeName, hash, claim.deliveryId, now, expires, claim.started, abandonedBefore],
	);
	if (inserted.rowCount > 0) return { first: true };
	return await readDeliveryKey(db, claim);
}

/** Where the claim of a key stands (another copy's), or undefined when there is none. */
export async function readDeliveryKey(db: Queryable, ref: DeliveryKeyRef): Promise<Extract<ClaimResult, { first: false }> | undefined> {
	const { rows } = await db.query<{ delivery_id: string; first_seen: Date | string; started: boolean | number }>(
		`SELECT delivery_id, first_seen, started_at IS NOT NULL AS started
		FROM delivery_keys WHERE workflow_id = $1 AND node_name = $2 AND key_hash = $3`,
		[ref.workflowId, ref.nodeName, keyHash(ref.key)],
	);
	const row = rows[0];
	if (!row) return undefined;
	return { first: false, started: Boolean(row.started), firstDeliveryId: row.delivery_id, firstSeen: new Date(row.first_seen).toISOString() };
}

/**
 * Marks the claims of these deliveries as started (their execution runs): from now on copies are
 * duplicates for the whole window. Returns how many claims it marked.
 */
export async function markDeliveriesStarted(db: Queryable, deliveryIds: readonly string[], now = new Date()): Promise<number> {
	if (deliveryIds.length === 0) return 0;
	const { rowCount } = await db.query(
		`UPDATE delivery_keys SET started_at = $2::timestamptz WHERE ${dialectOf(db).inArray('delivery_id', '$1', 'uuid')} AND started_at IS NULL`,
		[deliveryIds, now.toISOString()],
	);
	return rowCount;
}

/**
 * The delivery was answered with "retry later" before anything started: its claim goes, so the
 * provider's retry is a first copy again. A claim already started is kept (returns 0).
 */
export async function releaseDeliveryKey(db: Queryable, deliveryId: string): Promise<number> {
	const { rowCount } = await db.query('DELETE FROM delivery_keys WHERE delivery_id = $1::uuid AND started_at IS NULL', [deliveryId]);
	return rowCount;
}

/** Deletes keys whose window has passed; returns how many. */
export async function pruneDeliveryKeys(db: Queryable, now = new Date()): Promise<number> {
	const { rowCount } = await db.query('DELETE FROM delivery_keys WHERE expires_at <= $1::timestamptz', [now.toISOString()]);
	return rowCount;
}
