/**
 * Correlated resume: executions parked by the Wait for Webhook node, found again by a business key
 * (an order id) that a later webhook call carries. One row per waiting execution and node.
 *
 * - register: the node files its execution under (scope, SHA-256 of the key) until it expires.
 * - claim: ONE atomic statement takes the oldest unexpired, unclaimed row for the key and stamps
 *   it with the claim time and the hash of a fresh token, so concurrent calls with one key — in one
 *   process or several on one PostgreSQL — claim it exactly once.
 * - the node's resume webhook accepts the hand-over only with that token (see acceptHandover).
 * Keys and tokens are stored only as SHA-256 (keyHash, as duplicate suppression stores its keys).
 */
import { randomUUID, timingSafeEqual } from 'crypto';

import { dialectOf } from './dialect';
import { timeOrderedId } from './ids';
import { keyHash, markDeliveriesStarted, releaseDeliveryKey } from './deliveryKeys';
import type { Queryable, Store } from './types';

/**
 * A claim whose hand-over was neither accepted nor released within this time (the trigger's
 * process died in between) is claimable again: the hand-over retries for at most 15 s plus a
 * 30 s request timeout. A late hand-over of the old claim is refused: its token no longer matches.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;

export interface WaitRegistration {
	/** Which calls may resume it: the path of the Webhook Trigger named on the node. */
	scope: string;
	key: string;
	workflowId: string;
	executionId: string;
	nodeName: string;
	resumeUrl: string;
	now: Date;
	expiresAt: Date;
}

export interface ClaimedWait {
	id: string;
	workflowId: string;
	executionId: string;
	nodeName: string;
	resumeUrl: string;
}

/** Files the execution as waiting; a second wait of the same execution and node replaces the first. */
export async function registerWait(db: Queryable, wait: WaitRegistration): Promise<string> {
	const { rows } = await db.query<{ id: string }>(
		`INSERT INTO waiting_executions (id, scope, key_hash, workflow_id, execution_id, node_name, resume_url, created_at, expires_at)
		VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz)
		ON CONFLICT (execution_id, node_name) DO UPDATE SET
			id = EXCLUDED.id, scope = EXCLUDED.scope, key_hash = EXCLUDED.key_hash, workflow_id = EXCLUDED.workflow_id,
			resume_url = EXCLUDED.resume_url, token_hash = NULL, created_at = EXCLUDED.created_at,
			expires_at = EXCLUDED.expires_at, resumed_at = NULL, delivered_at = NULL
		RETURNING id`,
		[
			// Time-ordered like every other id the store makes: new rows land at the index's right edge.
			timeOrderedId(wait.now.getTime()),
			wait.scope,
			keyHash(wait.key),
			wait.workflowId,
			wait.executionId,
			wait.nodeName,
			wait.resumeUrl,
			wait.now.toISOString(),
			wait.expiresAt.toISOString(),
		],
	);
	return rows[0].id;
}

/**
 * Claims the oldest execution waiting for `key` in `scope`, or undefined. `tokenHash` is what the
 * waiting node's webhook will demand. A missing key is claimed as a random one, so every miss
 * costs the same single statement.
 */
export async function claimWait(
	db: Queryable,
	claim: { scope: string; key: string | undefined; tokenHash: string; now: Date; deliveryId?: string },
): Promise<ClaimedWait | undefined> {
	const hash = keyHash(claim.key ?? `absent:${randomUUID()}`);
	const now = claim.now.toISOString();
	const leaseEnded = new Date(claim.now.getTime() - CLAIM_LEASE_MS).toISOString();
	// Claimable: never claimed, or claimed and neither handed over nor released within the lease.
	const claimable = `(resumed_at IS NULL OR (delivered_at IS NULL AND resumed_at <= $5::timestamptz)) AND expires_at > $4::timestamptz`;
	const { rows } = await db.query<{ id: string; workflow_id: string; execution_id: string; node_name: string; resume_url: string }>(
		`UPDATE waiting_executions SET resumed_at = $4::timestamptz, token_hash = $3, delivery_id = $6::uuid
		WHERE id = (
			SELECT id FROM waiting_executions
			WHERE scope = $1 AND key_hash = $2 AND ${claimable}
			ORDER BY created_at, id LIMIT 1
			${dialectOf(db).skipLocked}
		) AND ${claimable}
		RETURNING id, workflow_id, execution_id, node_name, resume_url`,
		[claim.scope, hash, claim.tokenHash, now, leaseEnded, claim.deliveryId ?? null],
	);
	const row = rows[0];
	if (!row) return undefined;
	return { id: row.id, workflowId: row.workflow_id, executionId: row.execution_id, nodeName: row.node_name, resumeUrl: row.resume_url };
}

/**
 * The hand-over failed before the waiting execution took it: the wait is claimable again (so the
 * provider's retry can resume it). Returns false when the node had already accepted it.
 */
export async function releaseWait(db: Queryable, id: string, tokenHash: string): Promise<boolean> {
	const { rowCount } = await db.query(
		`UPDATE waiting_executions SET resumed_at = NULL, token_hash = NULL, delivery_id = NULL
		WHERE id = $1::uuid AND token_hash = $2 AND delivered_at IS NULL`,
		[id, tokenHash],
	);
	return rowCount > 0;
}

/**
 * The trigger's side of a failed hand-over, in one transaction: the wait is claimable again and
 * the delivery's pending duplicate key is gone, so the retry the caller was told to make finds
 * both as they were. False when the node had already accepted the hand-over (nothing released).
 */
export async function releaseClaims(store: Store, release: { waitId: string; tokenHash: string; deliveryId?: string }): Promise<boolean> {
	return await store.transaction(async (tx) => {
		if (!(await releaseWait(tx, release.waitId, release.tokenHash))) return false;
		if (release.deliveryId) await releaseDeliveryKey(tx, release.deliveryId);
		return true;
	});
}

/**
 * The waiting node's side: accepts the hand-over for its execution only with the token of the
 * claim (hashes compared in constant time), once. Anyone calling the bare resume URL gets false.
 */
export async function acceptHandover(
	store: Store,
	handover: { executionId: string; nodeName: string; token: string | undefined; now: Date },
): Promise<boolean> {
	if (!handover.token) return false;
	const { rows } = await store.query<{ id: string; token_hash: string | null }>(
		`SELECT id, token_hash FROM waiting_executions
		WHERE execution_id = $1 AND node_name = $2 AND resumed_at IS NOT NULL AND delivered_at IS NULL`,
		[handover.executionId, handover.nodeName],
	);
	const row = rows[0];
	if (!row?.token_hash) return false;
	const expected = Buffer.from(row.token_hash, 'hex');
	const given = Buffer.from(keyHash(handover.token), 'hex');
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
	// Taken, and the delivery that carried it counts as started (its copies are duplicates from
	// now on), in one transaction: no crash between the two can make a copy run it again.
	return await store.transaction(async (tx) => {
		const taken = await tx.query<{ delivery_id: string | null }>(
			'UPDATE waiting_executions SET delivered_at = $2::timestamptz WHERE id = $1::uuid AND token_hash = $3 AND delivered_at IS NULL RETURNING delivery_id',
			[row.id, handover.now.toISOString(), row.token_hash],
		);
		const deliveryId = taken.rows[0]?.delivery_id;
		if (deliveryId) await markDeliveriesStarted(tx, [deliveryId], handover.now);
		return taken.rowCount > 0;
	});
}

/** Deletes rows that can no longer resume anything: expired, or handed over; returns how many. */
export async function pruneWaits(db: Queryable, now = new Date()): Promise<number> {
	const { rowCount } = await db.query(
		'DELETE FROM waiting_executions WHERE expires_at <= $1::timestamptz OR delivered_at IS NOT NULL',
		[now.toISOString()],
	);
	return rowCount;
}
