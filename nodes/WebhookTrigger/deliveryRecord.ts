/**
 * Turns an answered call into its delivery-log row: what was received (method, caller, size and
 * SHA-256 of the bytes, redacted headers) and how it was answered (outcome, status, reason, event).
 * Pure: the node passes the call, the answer and the names to redact (or that they are unknown yet).
 */
import { createHash, randomUUID } from 'crypto';

import type { Redactions } from './auth';
import type { DeliveryOutcome, DeliveryRecord } from '../shared/store/deliveries';
import { bodySize } from './gate';
import type { IncomingCall } from './gate';
import { CREDENTIAL_NAME, redactRequest, redactUnread } from './redact';

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

export function newDeliveryId(): string {
	return randomUUID();
}

export function deliveryRecord(id: string, call: RecordedCall, answered: Answered, context: RecordContext): DeliveryRecord {
	const parts = { headers: call.headers, query: call.query };
	const { headers, query } = context.redactions === 'unknown' ? redactUnread(parts) : redactRequest(parts, context.redactions, CREDENTIAL_NAME);
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
