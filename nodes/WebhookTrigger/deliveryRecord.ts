/**
 * Turns an answered call into its delivery-log row: what was received (method, caller, size and
 * SHA-256 of the bytes, redacted headers) and how it was answered (outcome, status, reason, event).
 * Pure: the node passes the call, the answer and the names to redact.
 */
import { createHash, randomUUID } from 'crypto';

import type { Redactions } from './auth';
import type { DeliveryOutcome, DeliveryRecord } from '../shared/store/deliveries';
import { bodySize } from './gate';
import type { IncomingCall } from './gate';
import { CREDENTIAL_NAME, redactRequest } from './redact';

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
	/** Names the node's credential makes secret; the known ones and {@link CREDENTIAL_NAME} always apply. */
	redactions: Redactions;
	/** "Keep Bodies": store the emitted item (or, for a refused call, its body and redacted query). */
	keepBodies: boolean;
}

type RecordedCall = Pick<IncomingCall, 'method' | 'headers' | 'query' | 'body' | 'rawBody' | 'ip' | 'now'>;

const text = (value: unknown): string | null =>
	value === undefined || value === null || typeof value === 'object' ? null : String(value);

export function newDeliveryId(): string {
	return randomUUID();
}

export function deliveryRecord(id: string, call: RecordedCall, answered: Answered, context: RecordContext): DeliveryRecord {
	const { headers, query } = redactRequest({ headers: call.headers, query: call.query }, context.redactions, CREDENTIAL_NAME);
	const event = (answered.item?.event ?? null) as { value?: unknown; case?: unknown } | null;
	const origin = Array.isArray(call.headers.origin) ? call.headers.origin[0] : call.headers.origin;
	let item: Record<string, unknown> | null = null;
	if (context.keepBodies) item = answered.item ?? { body: call.body ?? null, query };
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
