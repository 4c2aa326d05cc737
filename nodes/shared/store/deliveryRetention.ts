/**
 * The delivery log's retention: rows by age and by count per workflow, and kept bodies by bytes
 * per workflow (the rows stay, without their item).
 */
import { dialectOf } from './dialect';
import type { Queryable } from './types';

export interface Retention {
	/** Rows older than this are deleted. */
	maxAgeMs: number;
	/** Per workflow, only the newest this many are kept. */
	maxRows: number;
	/**
	 * Per workflow, the kept bodies (items) of the newest rows up to this many bytes as stored;
	 * older rows stay, without their item. Unset: no bound.
	 */
	maxKeptBodyBytes?: number;
}

/** Deletes what the retention no longer keeps for one workflow (rows; kept bodies, see below); returns the rows deleted. */
export async function pruneDeliveries(db: Queryable, workflowId: string, retention: Retention, now = new Date()): Promise<number> {
	const cutoff = new Date(now.getTime() - retention.maxAgeMs).toISOString();
	const byAge = await db.query('DELETE FROM deliveries WHERE workflow_id = $1 AND received_at < $2::timestamptz', [workflowId, cutoff]);
	const byCount = await db.query(
		`DELETE FROM deliveries WHERE workflow_id = $1 AND id IN (
			SELECT id FROM deliveries WHERE workflow_id = $1 ORDER BY received_at DESC, id DESC ${dialectOf(db).offset('$2')}
		)`,
		[workflowId, Math.max(0, Math.trunc(retention.maxRows))],
	);
	if (retention.maxKeptBodyBytes !== undefined) await pruneKeptBodies(db, workflowId, retention.maxKeptBodyBytes);
	return byAge.rowCount + byCount.rowCount;
}

/**
 * Removes the kept bodies (items) of one workflow's older rows beyond `maxBytes`, newest kept
 * first; the rows stay. Returns the number of rows whose item it removed. Sizes are as stored
 * (`pg_column_size`: jsonb, after the database's compression), which the database reads without
 * decompressing: 1,000 bodies of 64 KiB take milliseconds, where measuring their JSON text
 * (`octet_length(item::text)`) took 300 ms of the database's time each prune.
 */
async function pruneKeptBodies(db: Queryable, workflowId: string, maxBytes: number): Promise<number> {
	const result = await db.query(
		`UPDATE deliveries SET item = NULL WHERE workflow_id = $1 AND id IN (
			SELECT id FROM (
				SELECT id, sum(${dialectOf(db).storedSize('item')}) OVER (ORDER BY received_at DESC, id DESC) AS kept
				FROM deliveries WHERE workflow_id = $1 AND item IS NOT NULL
			) newest WHERE kept > $2
		)`,
		[workflowId, Math.max(0, Math.trunc(maxBytes))],
	);
	return result.rowCount;
}
