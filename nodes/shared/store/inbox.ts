/**
 * The durable inbox (issue 28): in "After the Delivery Is Stored" mode a delivery is a row here
 * before its caller gets a 2xx, and the workflow's trigger takes rows in arrival order and starts
 * executions at its own pace. A row's life:
 *
 *   queued ──claim──▶ running (attempt n, leased until lease_until)
 *   running ──complete──▶ done
 *   running ──fail──▶ retrying (due again at available_at)  ──claim──▶ running (attempt n+1)
 *                   └▶ failed (attempts used up)
 *   running, lease expired (the process that claimed it stopped) ──claim──▶ running (attempt n+1),
 *                                                                  or failed when attempts are used up
 *
 * A signed call refused at arrival (inbox mode) is kept as `refused`, with the call as received in
 * `call` and no item: never run, only replayed (inboxReplay.ts). Its replay is queued with that call,
 * and the pump verifies it again with the trigger's credential before it builds the item.
 *
 * Every report (complete, fail) names the attempt it is about and changes the row only while that
 * attempt is the current one: a late report from an attempt whose lease expired and was taken over
 * changes nothing. So a delivery is done at most once, never retried after it succeeded, and every
 * stored row ends done or failed. What cannot be promised: an attempt cut off by a crash may have
 * run part of its workflow before the next attempt runs it again (at-least-once execution).
 *
 * Times come from the caller (`now`); stored as timestamptz (PostgreSQL) or ISO-8601 text (SQLite).
 */
import { dialectOf, iso } from './dialect';
import type { Queryable, Store } from './types';

export interface InboxDelivery {
	/** The delivery id (the one the delivery log and the item carry). */
	id: string;
	workflowId: string;
	nodeName: string;
	receivedAt: Date;
	/** The item the execution gets, as the trigger built it (already redacted); its first step routes it. */
	item: unknown;
	replayOf?: string | null;
	/** A replayed refusal: the call to verify again before it runs (its item is built then). */
	call?: StoredCall | null;
}

/**
 * A call as received, in JSON: what verifying it again needs. `rawBody` is base64; `now` is the
 * arrival time, against which signed timestamps are judged again.
 */
export interface StoredCall {
	webhookName: string;
	method: string;
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
	params: Record<string, unknown>;
	body: unknown;
	rawBody: string | null;
	ip: string | null;
	now: number;
	/** The URL the caller signed (Twilio), as n8n published it at arrival. */
	webhookUrl?: string;
}

/** Refused calls kept per trigger: a flood of forged calls cannot fill the store. */
export const MAX_REFUSED_KEPT = 1000;

export interface ClaimedDelivery {
	id: string;
	seq: number;
	/** 1 for the first attempt. */
	attempt: number;
	item: unknown;
	receivedAt: string;
	replayOf: string | null;
	call: StoredCall | null;
}

export interface ClaimOptions {
	workflowId: string;
	nodeName: string;
	now: Date;
	/** At most this many rows. */
	limit: number;
	/** How long a claim holds without renewal before another process may take it over. */
	leaseMs: number;
	/** Attempts a delivery gets in all (the first included). */
	maxAttempts: number;
}

interface Attempt {
	id: string;
	attempt: number;
	now: Date;
	executionId?: string | null;
}

/** Stores deliveries as queued (call it in a transaction to store several at once); returns the ids new to the inbox. */
export async function enqueueDeliveries(db: Queryable, deliveries: readonly InboxDelivery[]): Promise<string[]> {
	const stored: string[] = [];
	for (const delivery of deliveries) {
		const { rowCount } = await db.query(
			`INSERT INTO inbox (id, workflow_id, node_name, received_at, item, replay_of, state, available_at, call)
			VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::jsonb, $6::uuid, 'queued', $4::timestamptz, $7::jsonb)
			ON CONFLICT (id) DO NOTHING`,
			[
				delivery.id,
				delivery.workflowId,
				delivery.nodeName,
				iso(delivery.receivedAt),
				JSON.stringify(delivery.item ?? null),
				delivery.replayOf ?? null,
				delivery.call ? JSON.stringify(delivery.call) : null,
			],
		);
		if (rowCount > 0) stored.push(delivery.id);
	}
	return stored;
}

/**
 * Keeps a refused call for replay, finished at once (pruned with done and failed rows). Not kept
 * when the trigger already keeps {@link MAX_REFUSED_KEPT}; returns whether it was kept.
 */
export async function keepRefusedCall(
	db: Queryable,
	refused: { id: string; workflowId: string; nodeName: string; receivedAt: Date; call: StoredCall },
): Promise<boolean> {
	const { rowCount } = await db.query(
		`INSERT INTO inbox (id, workflow_id, node_name, received_at, item, state, available_at, finished_at, call)
		SELECT $1::uuid, $2, $3, $4::timestamptz, 'null'::jsonb, 'refused', $4::timestamptz, $4::timestamptz, $5::jsonb
		WHERE (SELECT count(*) FROM (SELECT 1 FROM inbox WHERE workflow_id = $2 AND node_name = $3 AND state = 'refused' LIMIT $6) kept) < $6
		ON CONFLICT (id) DO NOTHING`,
		[refused.id, refused.workflowId, refused.nodeName, iso(refused.receivedAt), JSON.stringify(refused.call), MAX_REFUSED_KEPT],
	);
	return rowCount > 0;
}

/**
 * Takes up to `limit` due rows of one trigger in the order they became due (a new delivery on
 * arrival, a retry when its backoff ended, a running one when its lease expired because its process
 * stopped), then in arrival order (seq). Rows whose attempts are used up and whose last lease
 * expired become failed instead. Concurrent claimers never take one row twice (PostgreSQL: SKIP
 * LOCKED; SQLite: the write lock).
 */
export async function claimDue(store: Store, options: ClaimOptions): Promise<ClaimedDelivery[]> {
	const params = [
		options.workflowId,
		options.nodeName,
		iso(options.now),
		iso(new Date(options.now.getTime() + options.leaseMs)),
		options.limit,
		options.maxAttempts,
	];
	const { skipLocked, updateInWith } = dialectOf(store);
	// Each part reads its own partial index in order (migration 13): a claim reads the rows it
	// takes and the running ones it skips, never the finished ones. An expired attempt with none
	// left is failed, not taken (the two never touch one row).
	const failExhausted = `UPDATE inbox SET state = 'failed', finished_at = $3::timestamptz, lease_until = NULL,
			last_error = 'the process running attempt ' || attempts || ' stopped, and no attempts are left'
		WHERE workflow_id = $1 AND node_name = $2 AND state = 'running' AND lease_until <= $3::timestamptz AND attempts >= $6`;
	const claim = `UPDATE inbox SET state = 'running', attempts = attempts + 1, started_at = $3::timestamptz, lease_until = $4::timestamptz
		WHERE seq IN (
			SELECT seq FROM (
				SELECT available_at, seq FROM (
					SELECT available_at, seq FROM inbox
					WHERE workflow_id = $1 AND node_name = $2 AND state IN ('queued', 'retrying') AND available_at <= $3::timestamptz
					ORDER BY available_at, seq LIMIT $5 ${skipLocked}
				) waiting
				UNION ALL
				SELECT available_at, seq FROM (
					SELECT available_at, seq FROM inbox
					WHERE workflow_id = $1 AND node_name = $2 AND state = 'running' AND lease_until <= $3::timestamptz AND attempts < $6
					ORDER BY available_at, seq LIMIT $5 ${skipLocked}
				) expired
			) due
			ORDER BY available_at, seq LIMIT $5
		)
		RETURNING id, seq, attempts, item, received_at, replay_of, call`;
	// PostgreSQL: one statement, committed on its own (one round trip, not BEGIN, two UPDATEs and
	// COMMIT). SQLite has no UPDATE in WITH: both in one transaction.
	const { rows } = updateInWith
		? await store.query<ClaimedRow>(`WITH exhausted AS (${failExhausted}) ${claim}`, params)
		: await store.transaction(async (tx) => {
				await tx.query(failExhausted, params);
				return await tx.query<ClaimedRow>(claim, params);
			});
	return rows
		.map((row) => ({
			id: row.id,
			seq: Number(row.seq),
			attempt: row.attempts,
			item: typeof row.item === 'string' ? (JSON.parse(row.item) as unknown) : row.item,
			receivedAt: row.received_at instanceof Date ? iso(row.received_at) : row.received_at,
			replayOf: row.replay_of,
			call: (typeof row.call === 'string' ? JSON.parse(row.call) : row.call ?? null) as StoredCall | null,
		}))
		.sort((a, b) => a.seq - b.seq);
}

interface ClaimedRow {
	id: string;
	seq: number | string;
	attempts: number;
	item: unknown;
	received_at: Date | string;
	replay_of: string | null;
	call: unknown;
}

/**
 * The rows that are one of these attempts, with `$1` and `$2` as its parameters: one attempt by
 * primary key (cheaper, and Batch Size 1 reports one at a time), several as two arrays.
 */
function attemptsIn(db: Queryable, attempts: ReadonlyArray<Pick<Attempt, 'id' | 'attempt'>>): { sql: string; params: unknown[] } {
	if (attempts.length === 1) return { sql: 'id = $1::uuid AND attempts = $2', params: [attempts[0].id, attempts[0].attempt] };
	const pairs = dialectOf(db).arrayRows('a', [
		{ name: 'id', slot: '$1', type: 'uuid' },
		{ name: 'attempt', slot: '$2', type: 'int4' },
	]);
	return { sql: `(id, attempts) IN (SELECT a.id, a.attempt FROM ${pairs})`, params: [attempts.map((a) => a.id), attempts.map((a) => a.attempt)] };
}

/**
 * The execution that ran these attempts (a batch) succeeded: all done in one statement, so a batch
 * of 50 is one write (one COMMIT, on PostgreSQL one fsync), not 50. An attempt no longer current is
 * left as it is; returns the ids marked done.
 */
export async function completeDeliveries(
	db: Queryable,
	attempts: ReadonlyArray<Pick<Attempt, 'id' | 'attempt'>>,
	now: Date,
	executionId?: string | null,
): Promise<string[]> {
	if (attempts.length === 0) return [];
	const which = attemptsIn(db, attempts);
	const { rows } = await db.query<{ id: string }>(
		`UPDATE inbox SET state = 'done', finished_at = $3::timestamptz, lease_until = NULL, execution_id = $4, last_error = NULL
		WHERE state = 'running' AND ${which.sql}
		RETURNING id`,
		[...which.params, iso(now), executionId ?? null],
	);
	return rows.map((row) => row.id);
}

/**
 * The attempt failed: retried after `retryInMs`, or failed for good when it was the last attempt.
 * Returns the new state, or undefined when that attempt is no longer current.
 */
export async function failDelivery(
	db: Queryable,
	report: Attempt & { error: string; maxAttempts: number; retryInMs: number },
): Promise<'retrying' | 'failed' | undefined> {
	const { rows } = await db.query<{ state: 'retrying' | 'failed' }>(
		`UPDATE inbox SET
			state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'retrying' END,
			finished_at = CASE WHEN attempts >= $3 THEN $4::timestamptz END,
			available_at = $5::timestamptz, lease_until = NULL, execution_id = $6, last_error = $7
		WHERE id = $1::uuid AND attempts = $2 AND state = 'running'
		RETURNING state`,
		[
			report.id,
			report.attempt,
			report.maxAttempts,
			iso(report.now),
			iso(new Date(report.now.getTime() + report.retryInMs)),
			report.executionId ?? null,
			report.error.slice(0, 2000),
		],
	);
	return rows[0]?.state;
}

/** Extends the leases of attempts still running here (a long execution must not be taken over). */
export async function renewLeases(db: Queryable, attempts: ReadonlyArray<Pick<Attempt, 'id' | 'attempt'>>, until: Date): Promise<number> {
	if (attempts.length === 0) return 0;
	const which = attemptsIn(db, attempts);
	const { rowCount } = await db.query(`UPDATE inbox SET lease_until = $3::timestamptz WHERE state = 'running' AND ${which.sql}`, [...which.params, iso(until)]);
	return rowCount;
}

/** Exponential backoff: `baseMs` before the 2nd attempt, doubling for each one after, at most `maxMs`. */
export function retryDelayMs(failedAttempt: number, baseMs: number, maxMs: number): number {
	return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempt - 1));
}

/**
 * When the latest attempts of one trigger's deliveries started since `since`, oldest first. One per
 * delivery: for batches that counts each delivery as an execution (errs on the slow side).
 */
export async function recentStarts(db: Queryable, workflowId: string, nodeName: string, since: Date): Promise<number[]> {
	const { rows } = await db.query<{ started_at: Date | string }>(
		'SELECT started_at FROM inbox WHERE workflow_id = $1 AND node_name = $2 AND started_at >= $3::timestamptz ORDER BY started_at',
		[workflowId, nodeName, iso(since)],
	);
	return rows.map((row) => new Date(row.started_at).getTime());
}

/** Deletes done and failed rows finished before `before`; returns how many. */
export async function pruneInbox(db: Queryable, before: Date): Promise<number> {
	const { rowCount } = await db.query('DELETE FROM inbox WHERE finished_at < $1::timestamptz', [iso(before)]);
	return rowCount;
}
