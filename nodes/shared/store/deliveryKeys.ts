/**
 * Duplicate suppression: a provider's delivery key (its delivery id header, a payload id) is
 * claimed once per window, per workflow and node, with one atomic statement — INSERT … ON CONFLICT
 * DO UPDATE … WHERE expired — so concurrent copies of one delivery, in one process or several on
 * one PostgreSQL, see exactly one "first". Keys are stored as SHA-256: whatever path the user
 * chose, no payload value is kept.
 */
import { createHash } from 'crypto';

import type { Queryable } from './types';

export interface DeliveryKeyClaim {
	workflowId: string;
	nodeName: string;
	key: string;
	/** The delivery that claims the key (kept, so a duplicate can name the first one). */
	deliveryId: string;
	now: Date;
	windowMs: number;
}

export type ClaimResult = { first: true } | { first: false; firstDeliveryId: string; firstSeen: string };

export function keyHash(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex');
}

export async function claimDeliveryKey(db: Queryable, claim: DeliveryKeyClaim): Promise<ClaimResult> {
	const hash = keyHash(claim.key);
	const now = claim.now.toISOString();
	const expires = new Date(claim.now.getTime() + claim.windowMs).toISOString();
	const inserted = await db.query(
		`INSERT INTO delivery_keys (workflow_id, node_name, key_hash, delivery_id, first_seen, expires_at)
		VALUES ($1, $2, $3, $4::uuid, $5::timestamptz, $6::timestamptz)
		ON CONFLICT (workflow_id, node_name, key_hash) DO UPDATE
			SET delivery_id = EXCLUDED.delivery_id, first_seen = EXCLUDED.first_seen, expires_at = EXCLUDED.expires_at
			WHERE delivery_keys.expires_at <= EXCLUDED.first_seen
		RETURNING delivery_id`,
		[claim.workflowId, claim.nodeName, hash, claim.deliveryId, now, expires],
	);
	if (inserted.rowCount > 0) return { first: true };
	const { rows } = await db.query<{ delivery_id: string; first_seen: Date | string }>(
		'SELECT delivery_id, first_seen FROM delivery_keys WHERE workflow_id = $1 AND node_name = $2 AND key_hash = $3',
		[claim.workflowId, claim.nodeName, hash],
	);
	const row = rows[0];
	return { first: false, firstDeliveryId: row?.delivery_id ?? '', firstSeen: row ? new Date(row.first_seen).toISOString() : now };
}

/** Deletes keys whose window has passed; returns how many. */
export async function pruneDeliveryKeys(db: Queryable, now = new Date()): Promise<number> {
	const { rowCount } = await db.query('DELETE FROM delivery_keys WHERE expires_at <= $1::timestamptz', [now.toISOString()]);
	return rowCount;
}
