/**
 * Replay to the Test URL (issue 28): a stored delivery becomes the editor's test event. Webhook
 * Deliveries issues a one-time token for the delivery and posts it to the trigger's Test URL; the
 * trigger, listening in the editor, takes the token and emits the delivery's item as it was
 * verified at arrival. The token is bound to the delivery's workflow and trigger node, expires
 * after TEST_REPLAY_TTL_MS and works once; only its SHA-256 is stored.
 */
import { createHash, randomBytes } from 'crypto';

import { isDeliveryId } from './deliveries';
import { iso } from './dialect';
import { storedId } from './ids';
import type { Queryable, Store } from './types';

export const TEST_REPLAY_TTL_MS = 2 * 60_000;

/** The header that carries the token to the Test URL. */
export const TEST_REPLAY_HEADER = 'x-webhook-gateway-replay';

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export type IssuedTestReplay =
	| { kind: 'issued'; token: string; workflowId: string; nodeName: string }
	/** No stored delivery with an item: not in the inbox, or refused at arrival (never verified). */
	| { kind: 'missing' };

/**
 * A token for the delivery `id`: its item from the inbox (accepted deliveries), else from the
 * delivery log (Keep Bodies on). A refusal has no verified item: it is replayed to the inbox,
 * where it is verified again.
 */
export async function issueTestReplay(store: Store, id: string, now: Date): Promise<IssuedTestReplay> {
	if (!isDeliveryId(id)) return { kind: 'missing' };
	const deliveryId = storedId(id);
	const found = await findItem(store, deliveryId);
	if (found === undefined) return { kind: 'missing' };
	const token = randomBytes(32).toString('base64url');
	await store.transaction(async (tx) => {
		await tx.query('DELETE FROM test_replays WHERE expires_at <= $1::timestamptz', [iso(now)]);
		await tx.query(
			`INSERT INTO test_replays (token_hash, delivery_id, workflow_id, node_name, item, expires_at)
			VALUES ($1, $2::uuid, $3, $4, $5::jsonb, $6::timestamptz)`,
			[hashOf(token), deliveryId, found.workflowId, found.nodeName, JSON.stringify(found.item), iso(new Date(now.getTime() + TEST_REPLAY_TTL_MS))],
		);
	});
	return { kind: 'issued', token, workflowId: found.workflowId, nodeName: found.nodeName };
}

async function findItem(db: Queryable, id: string): Promise<{ workflowId: string; nodeName: string; item: unknown } | undefined> {
	type Row = { workflow_id: string; node_name: string; item: unknown };
	const inbox = await db.query<Row>('SELECT workflow_id, node_name, item FROM inbox WHERE id = $1::uuid AND item IS NOT NULL', [id]);
	const logged = inbox.rows.length
		? inbox
		: // Accepted only: the log keeps a refused call's body too, which never verified.
			await db.query<Row>("SELECT workflow_id, node_name, item FROM deliveries WHERE id = $1::uuid AND outcome = 'accepted' AND item IS NOT NULL", [id]);
	if (!logged.rows.length) return undefined;
	const row = logged.rows[0];
	const item = typeof row.item === 'string' ? (JSON.parse(row.item) as unknown) : row.item;
	// An inbox row of a refusal stores JSON null as its item; an item too large for the log is only
	// a preview of it (deliveryRecord.ts), not what ran.
	if (item === null || typeof item !== 'object' || (item as { truncated?: unknown }).truncated === true) return undefined;
	return { workflowId: row.workflow_id, nodeName: row.node_name, item };
}

/**
 * Takes the token (once) for this trigger: the delivery's id and item, or undefined when the token
 * is unknown, used, expired, or was issued for another workflow or node.
 */
export async function takeTestReplay(
	db: Queryable,
	token: string,
	trigger: { workflowId: string; nodeName: string },
	now: Date,
): Promise<{ deliveryId: string; item: Record<string, unknown> } | undefined> {
	const { rows } = await db.query<{ delivery_id: string; item: unknown }>(
		`DELETE FROM test_replays WHERE token_hash = $1 AND workflow_id = $2 AND node_name = $3 AND expires_at > $4::timestamptz
		RETURNING delivery_id, item`,
		[hashOf(token), trigger.workflowId, trigger.nodeName, iso(now)],
	);
	if (!rows.length) return undefined;
	const item = typeof rows[0].item === 'string' ? (JSON.parse(rows[0].item) as unknown) : rows[0].item;
	return { deliveryId: rows[0].delivery_id, item: item as Record<string, unknown> };
}
