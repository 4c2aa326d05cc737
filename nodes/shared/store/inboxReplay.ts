/**
 * Replay (issue 28): a delivery the inbox still holds goes back into its trigger's inbox as a new
 * delivery whose item carries `replayOf`, and its log record, when there is one, is copied for the
 * new delivery with reason `replay`, so the log shows the replay. Only the inbox holds the item to
 * run again: a call older than the inbox keeps cannot be replayed. A signed call refused at arrival
 * is kept as received (`refused`, see inbox.ts): its replay carries that call, and the trigger's pump
 * verifies it again with the credential as it is then before anything runs.
 */
import { storedId } from './ids';
import { enqueueDeliveries } from './inbox';
import type { StoredCall } from './inbox';
import { lockKeys } from './locks';
import type { Queryable, Store } from './types';

export interface Replay {
	/** The new delivery's id. */
	id: string;
	replayOf: string;
	workflowId: string;
	nodeName: string;
}

/** How a finished inbox delivery ended; `refused`: a signed call refused at arrival. */
export type ReplayOutcome = 'failed' | 'done' | 'refused';

export interface ReplayFilter {
	workflowId?: string;
	nodeName?: string;
	/** Done, failed or refused; undefined: done or failed. */
	outcome?: ReplayOutcome;
	/** The delivery log's reason code (deliveries without a log record never match one). */
	reason?: string;
	/** Inclusive lower bound of the time the delivery was received. */
	since?: Date;
	/** Exclusive upper bound of the time the delivery was received. */
	until?: Date;
	/** Oldest first; at most this many (1 - 1000). */
	limit: number;
}

export const MAX_REPLAY_LIMIT = 1000;

interface StoredRow {
	id: string;
	workflow_id: string;
	node_name: string;
	item: unknown;
	call: unknown;
}

const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

async function replayRow(tx: Queryable, row: StoredRow, newId: string, now: Date): Promise<Replay> {
	const call = (parsed(row.call) ?? null) as StoredCall | null;
	// A refused call has no item yet: the pump builds it once the call verifies again.
	const item = call ? null : { ...(parsed(row.item) as Record<string, unknown>), deliveryId: newId, replayOf: row.id };
	await enqueueDeliveries(tx, [{ id: newId, workflowId: row.workflow_id, nodeName: row.node_name, receivedAt: now, item, replayOf: row.id, call }]);
	await tx.query(
		`INSERT INTO deliveries (id, workflow_id, node_name, received_at, method, outcome, status, reason, client_ip, origin, event_value, event_case, body_bytes, body_sha256, headers, item, dropped)
		SELECT $2::uuid, workflow_id, node_name, $3::timestamptz, method, outcome, status, 'replay', client_ip, origin, event_value, event_case, body_bytes, body_sha256, headers,
			CASE WHEN item IS NULL OR $4::jsonb IS NULL THEN NULL ELSE $4::jsonb END, 0
		FROM deliveries WHERE id = $1::uuid`,
		[row.id, newId, now.toISOString(), item === null ? null : JSON.stringify(item)],
	);
	return { id: newId, replayOf: row.id, workflowId: row.workflow_id, nodeName: row.node_name };
}

/** A replay by id: done, or why not. */
export type ReplayByIdResult =
	| { kind: 'replayed'; replay: Replay }
	/** The inbox no longer holds it (pruned), or never did. */
	| { kind: 'missing' }
	/** Still queued, running or retrying: it will run, so a replay now would run it twice. */
	| { kind: 'unfinished'; state: string };

/** Replays one finished (done, failed or refused) stored delivery, `newId` for the copy. */
export async function replayDelivery(store: Store, id: string, newId: string, now: Date): Promise<ReplayByIdResult> {
	return await store.transaction(async (tx) => {
		const { rows } = await tx.query<StoredRow & { state: string }>('SELECT id, workflow_id, node_name, item, call, state FROM inbox WHERE id = $1::uuid', [storedId(id)]);
		const row = rows[0];
		if (row === undefined) return { kind: 'missing' };
		if (row.state !== 'done' && row.state !== 'failed' && row.state !== 'refused') return { kind: 'unfinished', state: row.state };
		return { kind: 'replayed', replay: await replayRow(tx, row, newId, now) };
	});
}

/**
 * Replays the finished deliveries matching `filter` (done or failed, or refused when asked), oldest first, in one
 * transaction. A delivery that already has a replay in the inbox is skipped (its replay can match
 * instead): running the same replay twice, or in pages of `limit`, runs nothing twice. Deliveries
 * still queued, running or retrying are left to the pump.
 */
export async function replayMatching(store: Store, filter: ReplayFilter, now: Date, newId: () => string): Promise<Replay[]> {
	const where = [filter.outcome ? '' : `i.state IN ('done', 'failed')`, 'i.id NOT IN (SELECT replay_of FROM inbox WHERE replay_of IS NOT NULL)'].filter(Boolean);
	const params: unknown[] = [];
	const add = (sql: string, value: unknown) => {
		params.push(value);
		where.push(sql.replace('?', `$${params.length}`));
	};
	if (filter.workflowId) add('i.workflow_id = ?', filter.workflowId);
	if (filter.nodeName) add('i.node_name = ?', filter.nodeName);
	if (filter.outcome) add('i.state = ?', filter.outcome);
	if (filter.reason) add('d.reason = ?', filter.reason);
	if (filter.since) add('i.received_at >= ?::timestamptz', filter.since.toISOString());
	if (filter.until) add('i.received_at < ?::timestamptz', filter.until.toISOString());
	params.push(Math.min(Math.max(Math.trunc(filter.limit), 1), MAX_REPLAY_LIMIT));
	const join = filter.reason ? 'JOIN deliveries d ON d.id = i.id' : '';
	return await store.transaction(async (tx) => {
		// Two replays at once (PostgreSQL) take turns, so the second sees the first's replays and skips them.
		await lockKeys(tx, store, ['inbox:replay']);
		const { rows } = await tx.query<StoredRow>(
			`SELECT i.id, i.workflow_id, i.node_name, i.item, i.call FROM inbox i ${join}
			WHERE ${where.join(' AND ')} ORDER BY i.seq LIMIT $${params.length}`,
			params,
		);
		const replays: Replay[] = [];
		for (const row of rows) replays.push(await replayRow(tx, row, newId(), now));
		return replays;
	});
}

/**
 * A replayed refusal verified again: its log record (copied from the refusal, outcome `rejected`)
 * now says accepted. A replay answers no one, so its status is 0.
 */
export async function acceptReplayRecord(db: Queryable, id: string): Promise<void> {
	await db.query(`UPDATE deliveries SET outcome = 'accepted', status = 0 WHERE id = $1::uuid AND outcome = 'rejected'`, [id]);
}
