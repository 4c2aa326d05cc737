/**
 * Turns an answered call into its delivery-log row: what was received (method, caller, size and
 * SHA-256 of the bytes, redacted headers) and how it was answered (outcome, status, reason, event).
 * Pure: the node passes the call, the answer and the names to redact (or that they are unknown yet).
 */
import { createHash } from 'crypto';

import type { Redactions } from '../auth';
import type { DeliveryOutcome, DeliveryRecord, SerializedDeliveryRecord } from '../../shared/store/deliveries';
import { timeOrderedId } from '../../shared/store/ids';
import { bodySize } from '../gate/gate';
import type { IncomingCall } from '../gate/gate';
import { CREDENTIAL_NAME, redactRequest, redactUnread } from '../gate/redact';
import { REASONS } from '../reasons';
import type { ReasonCode } from '../reasons';

export interface Answered {
	outcome: DeliveryOutcome;
	status: number;
	reason: string | null;
	/** The item the trigger emitted (accepted calls). */
	item?: Record<string, unknown>;
}

export interface RecordContext {
	workflowId: string;
	nodeName: string;
	/**
	 * Names the node's credential makes secret; the known ones and {@link CREDENTIAL_NAME} always apply.
	 * `'unknown'` before the credential was read (a call refused by the IP or Origin allowlist, a
	 * configuration error): any header or query value may then be the secret, so the record keeps
	 * header and query names only, with the values of `HARMLESS_HEADERS` (see redactUnread in redact.ts).
	 */
	redactions: Redactions | 'unknown';
	/**
	 * "Keep Bodies": store the emitted item (or, for a refused call, its body and redacted query).
	 * With redactions `'unknown'` no item can have been emitted: always the body and redacted query.
	 */
	keepBodies: boolean;
}

type RecordedCall = Pick<IncomingCall, 'method' | 'headers' | 'query' | 'body' | 'rawBody' | 'ip' | 'now'>;

const text = (value: unknown): string | null =>
	value === undefined || value === null || typeof value === 'object' ? null : String(value);

/**
 * Time-ordered (UUIDv7): the inbox, the delivery log and the duplicate keys index the delivery id,
 * and a random one dirtied a different page of each index per call, which every COMMIT wrote to
 * the WAL and every checkpoint rewrote and synced (SQLite: 140 µs per COMMIT of one inbox row,
 * 90–113 µs time-ordered).
 */
export function newDeliveryId(now: number = Date.now()): string {
	return timeOrderedId(now);
}

/** The item's headers and query when it has both (the gate's redacted copies), else undefined. */
function redactedPartsOf(item: Record<string, unknown> | undefined): { headers: IncomingCall['headers']; query: IncomingCall['query'] } | undefined {
	const headers = item?.headers;
	const query = item?.query;
	if (headers === null || typeof headers !== 'object' || query === null || typeof query !== 'object') return undefined;
	return { headers: headers as IncomingCall['headers'], query: query as IncomingCall['query'] };
}

export function deliveryRecord(id: string, call: RecordedCall, answered: Answered, context: RecordContext): DeliveryRecord {
	const parts = { headers: call.headers, query: call.query };
	// An admitted call's item already holds the headers and query redacted with these same names.
	const { headers, query } =
		context.redactions === 'unknown' ? redactUnread(parts) : (redactedPartsOf(answered.item) ?? redactRequest(parts, context.redactions, CREDENTIAL_NAME));
	const event = (answered.item?.event ?? null) as { value?: unknown; case?: unknown } | null;
	const origin = Array.isArray(call.headers.origin) ? call.headers.origin[0] : call.headers.origin;
	let item: Record<string, unknown> | null = null;
	if (context.keepBodies) item = (context.redactions === 'unknown' ? undefined : answered.item) ?? { body: call.body ?? null, query };
	return {
		id,
		workflowId: context.workflowId,
		nodeName: context.nodeName,
		receivedAt: new Date(call.now),
		method: String(call.method ?? '').toUpperCase(),
		outcome: answered.outcome,
		status: answered.status,
		reason: answered.reason,
		clientIp: call.ip ?? null,
		origin: origin ?? null,
		eventValue: text(event?.value),
		eventCase: text(event?.case),
		executionId: null,
		bodyBytes: bodySize(call),
		bodySha256: call.rawBody ? createHash('sha256').update(call.rawBody).digest('hex') : null,
		headers: headers as Record<string, unknown>,
		item,
		dropped: 0,
	};
}

/** A kept body too large to store: its size, its SHA-256 and the start of its JSON text. */
export interface TruncatedItem {
	truncated: true;
	/** UTF-8 bytes of the item's JSON (what would have been stored). */
	itemBytes: number;
	/** SHA-256 (hex) of that JSON. */
	itemSha256: string;
	/** The JSON text's beginning, cut so the whole marker stays within the cap. */
	preview: string;
}

/** What a buffered record costs beyond its item and headers: the other columns and the object itself. */
const RECORD_OVERHEAD_BYTES = 512;

/**
 * A text's cost: its UTF-8 bytes (what is written), or its size in memory when more — two bytes a
 * character once one is beyond Latin-1.
 */
function textBytes(text: string): number {
	return Math.max(Buffer.byteLength(text), /[\u0100-\uffff]/.test(text) ? 2 * text.length : 0);
}

/**
 * A record as the delivery log buffers it — headers and item as the JSON text that will be
 * written, not as objects — and its estimated size: that text's bytes ({@link textBytes}) plus
 * {@link RECORD_OVERHEAD_BYTES}, computed once. An item whose JSON exceeds `maxItemBytes` is
 * replaced by a {@link TruncatedItem} no larger than that, so neither the buffer nor the store
 * ever holds the full hostile body.
 */
export function keptRecord(record: DeliveryRecord, maxItemBytes: number): { record: SerializedDeliveryRecord; bytes: number } {
	const { headers, item, ...rest } = record;
	let itemJson: string | null = null;
	try {
		itemJson = item === null ? null : JSON.stringify(item);
	} catch {
		// Not JSON (a cycle, a BigInt): it could not be written either; keep the row without it.
	}
	if (itemJson !== null) {
		const itemBytes = Buffer.byteLength(itemJson);
		if (itemBytes > maxItemBytes) itemJson = JSON.stringify(truncatedItem(itemJson, itemBytes, maxItemBytes));
	}
	const headersJson = JSON.stringify(headers);
	const bytes = RECORD_OVERHEAD_BYTES + textBytes(headersJson) + (itemJson === null ? 0 : textBytes(itemJson));
	return { record: { ...rest, headersJson, itemJson }, bytes };
}

function truncatedItem(json: string, itemBytes: number, maxItemBytes: number): TruncatedItem {
	const marker: TruncatedItem = { truncated: true, itemBytes, itemSha256: createHash('sha256').update(json).digest('hex'), preview: '' };
	const room = maxItemBytes - Buffer.byteLength(JSON.stringify(marker));
	// Escaped, a character takes 1 to 6 bytes: shrink in proportion to what the last cut took.
	let chars = Math.min(json.length, Math.max(0, room));
	while (chars > 0) {
		let preview = json.slice(0, chars);
		// Never end on half a surrogate pair: PostgreSQL refuses a lone surrogate in jsonb.
		const last = preview.charCodeAt(preview.length - 1);
		if (last >= 0xd800 && last <= 0xdbff) preview = preview.slice(0, -1);
		// The marker is serialized at once: this slice of the whole JSON text does not outlive it.
		marker.preview = preview;
		const used = Buffer.byteLength(JSON.stringify(preview)) - 2;
		if (used <= room) return marker;
		chars = Math.min(Math.floor((preview.length * room) / used), preview.length - 1);
	}
	marker.preview = '';
	return marker;
}

/** Calls of one workflow + node the bounds refused: how many, their bodies' bytes, since when. */
export interface Overflow {
	workflowId: string;
	nodeName: string;
	count: number;
	bodyBytes: number;
	since: Date;
}

export function overflowRecord(entry: Overflow): DeliveryRecord {
	return {
		id: timeOrderedId(),
		workflowId: entry.workflowId,
		nodeName: entry.nodeName,
		receivedAt: entry.since,
		method: '',
		outcome: REASONS.log_buffer_full.outcome,
		status: 0,
		reason: 'log_buffer_full' satisfies ReasonCode,
		clientIp: null,
		origin: null,
		eventValue: null,
		eventCase: null,
		executionId: null,
		bodyBytes: entry.bodyBytes,
		bodySha256: null,
		headers: {},
		item: null,
		dropped: entry.count,
	};
}
