/**
 * The `deliveries` table: one row per call the Webhook Trigger answered (accepted, rejected,
 * handshake, duplicate), written in batches by the trigger's delivery log, read by the Webhook
 * Deliveries node. Values arrive already redacted; this module only stores and queries them.
 */
import { dialectOf } from './dialect';
import { storedId } from './ids';
import type { Queryable } from './types';

export type DeliveryOutcome = 'accepted' | 'resumed' | 'rejected' | 'handshake' | 'duplicate' | 'error' | 'overflow';

export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['accepted', 'resumed', 'rejected', 'handshake', 'duplicate', 'error', 'overflow'];

export interface DeliveryRecord {
	id: string;
	workflowId: string;
	nodeName: string;
	receivedAt: Date;
	method: string;
	outcome: DeliveryOutcome;
	status: number;
	/** The stable code the call was answered with (`signature_mismatch`, …, `duplicate`, `handshake`). */
	reason: string | null;
	clientIp: string | null;
	origin: string | null;
	eventValue: string | null;
	eventCase: string | null;
	executionId: string | null;
	bodyBytes: number;
	bodySha256: string | null;
	/** Redacted headers. */
	headers: Record<string, unknown>;
	/** The item as the trigger emitted it (redacted), only when "Keep Bodies" is on. */
	item: Record<string, unknown> | null;
	/**
	 * For an `overflow` row: how many calls the full buffer could not record (their body bytes:
	 * `bodyBytes`); for a `rate_limited` row: how many more calls of its key and window were refused.
	 */
	dropped: number;
}

/**
 * A record whose headers and item are already JSON text, as the delivery log buffers it: a string
 * costs about its length in memory, a parsed body several times its JSON (small objects).
 */
export type SerializedDeliveryRecord = Omit<DeliveryRecord, 'headers' | 'item'> & { headersJson: string; itemJson: string | null };

/** One row as the Webhook Deliveries node outputs it: the record, its time as ISO text. */
/** A logged call; `inbox` when it was stored in the inbox (Answer After the Delivery Is Stored): where it stands there. */
export type DeliveryRow = Omit<DeliveryRecord, 'receivedAt'> & { receivedAt: string; inbox?: InboxStatus };

/** Where an inbox delivery stands: queued, running, retrying (attempt n failed), done or failed. */
export interface InboxStatus {
	state: 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'refused';
	/** Attempts started so far. */
	attempts: number;
	lastError: string | null;
	/** When the latest attempt started; when it ended done or failed; when a retry is due. */
	startedAt: string | null;
	finishedAt: string | null;
	nextAttemptAt: string | null;
}

/** The inbox row of each logged call, if any (same id: the delivery id). */
const WITH_INBOX = `SELECT d.*, i.state AS inbox_state, i.attempts AS inbox_attempts, i.last_error AS inbox_last_error,
	i.started_at AS inbox_started_at, i.finished_at AS inbox_finished_at, i.available_at AS inbox_available_at
	FROM deliveries d LEFT JOIN inbox i ON i.id = d.id`;

const COLUMNS = [
	'id',
	'workflow_id',
	'node_name',
	'received_at',
	'method',
	'outcome',
	'status',
	'reason',
	'client_ip',
	'origin',
	'event_value',
	'event_case',
	'execution_id',
	'body_bytes',
	'body_sha256',
	'headers',
	'item',
	'dropped',
] as const;

/** `body_bytes` is an integer column: a larger size (a declared Content-Length, an overflow's sum) is stored as this. */
const MAX_STORED_BODY_BYTES = 2_147_483_647;

function values(record: DeliveryRecord | SerializedDeliveryRecord): unknown[] {
	return [
		record.id,
		record.workflowId,
		record.nodeName,
		record.receivedAt.toISOString(),
		record.method,
		record.outcome,
		record.status,
		record.reason,
		record.clientIp,
		record.origin,
		record.eventValue,
		record.eventCase,
		record.executionId,
		Math.min(Math.max(0, Math.trunc(record.bodyBytes)), MAX_STORED_BODY_BYTES),
		record.bodySha256,
		'headersJson' in record ? record.headersJson : JSON.stringify(record.headers),
		'itemJson' in record ? record.itemJson : record.item === null ? null : JSON.stringify(record.item),
		record.dropped,
	];
}

/**
 * Rows per INSERT: powers of two up to this (18 parameters each, far below PostgreSQL's 65,535).
 * A flush of any size is then at most 9 statement texts, each prepared once: SQLite keeps what it
 * prepared (store/sqlite.ts), and a text per batch size both re-prepared at almost every flush and
 * held ~1.7 KB of native memory per row (200 texts of 301–500 rows: 139 MB RSS, Node 24).
 */
const MAX_ROWS_PER_STATEMENT = 256;

/** `count` as powers of two, largest first, none above MAX_ROWS_PER_STATEMENT (300 → 256, 32, 8, 4). */
export function insertChunkSizes(count: number): number[] {
	const sizes: number[] = [];
	for (let left = count; left > 0; ) {
		let size = MAX_ROWS_PER_STATEMENT;
		while (size > left) size >>= 1;
		sizes.push(size);
		left -= size;
	}
	return sizes;
}

const insertStatements = new Map<number, string>();

/** The INSERT of `rows` records (built once per size). */
function insertStatement(rows: number): string {
	let sql = insertStatements.get(rows);
	if (sql === undefined) {
		const tuples = Array.from({ length: rows }, (_, row) => {
			const slots = COLUMNS.map((column, i) => {
				const slot = `$${row * COLUMNS.length + i + 1}`;
				if (column === 'headers' || column === 'item') return `${slot}::jsonb`;
				if (column === 'received_at') return `${slot}::timestamptz`;
				if (column === 'id') return `${slot}::uuid`;
				return slot;
			});
			return `(${slots.join(', ')})`;
		});
		sql = `INSERT INTO deliveries (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
			ON CONFLICT (id) DO UPDATE SET execution_id = COALESCE(EXCLUDED.execution_id, deliveries.execution_id)`;
		insertStatements.set(rows, sql);
	}
	return sql;
}

/**
 * Writes records in multi-row INSERTs. A record written twice (a retried batch) is kept once;
 * its execution id, when the second copy has one, wins.
 */
export async function insertDeliveries(db: Queryable, records: ReadonlyArray<DeliveryRecord | SerializedDeliveryRecord>): Promise<void> {
	let start = 0;
	for (const size of insertChunkSizes(records.length)) {
		const chunk = records.slice(start, start + size);
		start += size;
		await db.query(insertStatement(size), chunk.flatMap(values));
	}
}

/**
 * Sets the execution id of records already written; returns the ids of the records it found. In
 * n8n queue mode the record is written by a webhook processor and the link by a worker, so a link
 * can arrive before its record.
 */
export async function setDeliveryExecutions(db: Queryable, links: ReadonlyArray<{ id: string; executionId: string }>): Promise<Set<string>> {
	if (links.length === 0) return new Set();
	const linked = dialectOf(db).arrayRows('l', [
		{ name: 'link_id', slot: '$1', type: 'uuid' },
		{ name: 'execution_id', slot: '$2', type: 'text' },
	]);
	// RETURNING names the updated table's column only: SQLite allows nothing else there.
	const result = await db.query<{ id: string }>(
		`UPDATE deliveries AS d SET execution_id = l.execution_id FROM ${linked} WHERE d.id = l.link_id RETURNING id`,
		[links.map((link) => link.id), links.map((link) => link.executionId)],
	);
	return new Set(result.rows.map((row) => row.id));
}

/** Adds each count to its row's `dropped` (a rate-limited flood folded into one record per key and window). */
export async function addDropped(db: Queryable, counts: ReadonlyArray<{ id: string; count: number }>): Promise<void> {
	if (counts.length === 0) return;
	const added = dialectOf(db).arrayRows('c', [
		{ name: 'row_id', slot: '$1', type: 'uuid' },
		{ name: 'n', slot: '$2', type: 'int4' },
	]);
	await db.query(`UPDATE deliveries AS d SET dropped = d.dropped + c.n FROM ${added} WHERE d.id = c.row_id`, [
		counts.map((c) => c.id),
		counts.map((c) => c.count),
	]);
}

export interface DeliveryFilter {
	workflowId?: string;
	nodeName?: string;
	outcome?: string;
	reason?: string;
	/** Inclusive lower bound of `receivedAt`. */
	since?: Date;
	/** Exclusive upper bound of `receivedAt`. */
	until?: Date;
	/** Newest first; at most this many (1 - 1000). */
	limit?: number;
}

export const MAX_LIST_LIMIT = 1000;

interface RawRow {
	id: string;
	workflow_id: string;
	node_name: string;
	received_at: Date | string;
	method: string;
	outcome: DeliveryOutcome;
	status: number;
	reason: string | null;
	client_ip: string | null;
	origin: string | null;
	event_value: string | null;
	event_case: string | null;
	execution_id: string | null;
	body_bytes: number;
	body_sha256: string | null;
	headers: Record<string, unknown> | string;
	item: Record<string, unknown> | string | null;
	dropped: number;
	inbox_state: InboxStatus['state'] | null;
	inbox_attempts: number | null;
	inbox_last_error: string | null;
	inbox_started_at: Date | string | null;
	inbox_finished_at: Date | string | null;
	inbox_available_at: Date | string | null;
}

const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function inboxOf(raw: RawRow): InboxStatus | undefined {
	if (raw.inbox_state === null || raw.inbox_state === undefined) return undefined;
	return {
		state: raw.inbox_state,
		attempts: Number(raw.inbox_attempts),
		lastError: raw.inbox_last_error,
		startedAt: isoOrNull(raw.inbox_started_at),
		finishedAt: isoOrNull(raw.inbox_finished_at),
		nextAttemptAt: raw.inbox_state === 'retrying' ? isoOrNull(raw.inbox_available_at) : null,
	};
}

const json = (value: Record<string, unknown> | string | null): Record<string, unknown> | null =>
	typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;

function toRow(raw: RawRow): DeliveryRow {
	const inbox = inboxOf(raw);
	return {
		id: raw.id,
		workflowId: raw.workflow_id,
		nodeName: raw.node_name,
		receivedAt: new Date(raw.received_at).toISOString(),
		method: raw.method,
		outcome: raw.outcome,
		status: Number(raw.status),
		reason: raw.reason,
		clientIp: raw.client_ip,
		origin: raw.origin,
		eventValue: raw.event_value,
		eventCase: raw.event_case,
		executionId: raw.execution_id,
		bodyBytes: Number(raw.body_bytes),
		bodySha256: raw.body_sha256,
		headers: json(raw.headers) ?? {},
		item: json(raw.item),
		dropped: Number(raw.dropped),
		...(inbox ? { inbox } : {}),
	};
}

export async function listDeliveries(db: Queryable, filter: DeliveryFilter = {}): Promise<DeliveryRow[]> {
	const where: string[] = [];
	const params: unknown[] = [];
	const add = (sql: string, value: unknown) => {
		params.push(value);
		where.push(sql.replace('?', `$${params.length}`));
	};
	if (filter.workflowId) add('d.workflow_id = ?', filter.workflowId);
	if (filter.nodeName) add('d.node_name = ?', filter.nodeName);
	if (filter.outcome) add('d.outcome = ?', filter.outcome);
	if (filter.reason) add('d.reason = ?', filter.reason);
	if (filter.since) add('d.received_at >= ?::timestamptz', filter.since.toISOString());
	if (filter.until) add('d.received_at < ?::timestamptz', filter.until.toISOString());
	const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), MAX_LIST_LIMIT);
	params.push(limit);
	const { rows } = await db.query<RawRow>(
		`${WITH_INBOX} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
		ORDER BY d.received_at DESC, d.id DESC LIMIT $${params.length}`,
		params,
	);
	return rows.map(toRow);
}

/** A delivery id is a UUID (anything else cannot be one: no query needed). */
export function isDeliveryId(id: string): boolean {
	return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export async function getDelivery(db: Queryable, id: string): Promise<DeliveryRow | undefined> {
	if (!isDeliveryId(id)) return undefined;
	const { rows } = await db.query<RawRow>(`${WITH_INBOX} WHERE d.id = $1::uuid`, [storedId(id)]);
	return rows.length ? toRow(rows[0]) : undefined;
}
