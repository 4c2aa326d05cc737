/**
 * "Answer After the Delivery Is Stored (Inbox)": webhook() stores the admitted delivery and answers;
 * the trigger's pump (on n8n's leader, see inboxPump.ts) runs it later at the workflow's pace.
 * The inbox row is the delivery's commit point: the duplicate key, claimed pending, is marked
 * started in the same transaction that stores the row, so a copy is a duplicate exactly when the
 * delivery will run, and a failed write leaves the key to be released with the 503.
 */
import type { TriggerStore } from '../../shared/storeResolver';
import { markDeliveriesStarted } from '../../shared/store/deliveryKeys';
import { enqueueDeliveries } from '../../shared/store/inbox';
import type { TriggerOptions } from '../triggerOptions';

export interface InboxSettings {
	/** Executions of this trigger running at once. */
	concurrency: number;
	/** Attempts per delivery, the first included. */
	maxAttempts: number;
	/** Wait before the 2nd attempt; doubles for each later one, up to retryMaxMs. */
	retryBaseMs: number;
	retryMaxMs: number;
	/** Deliveries per execution, and how long a partial batch waits for more. */
	batchSize: number;
	batchWindowMs: number;
	/** Executions started in any minute; 0: no limit. */
	perMinute: number;
	/** How long stored deliveries may wait while calls keep arriving (answers first); 0: run at once. */
	holdMs: number;
}

export const INBOX_DEFAULTS = { concurrency: 5, maxAttempts: 3, retrySeconds: 30, batchSize: 1, batchWindowMs: 0, perMinute: 0, holdSeconds: 10 } as const;

/** Backoff stops doubling at one hour. */
const RETRY_MAX_MS = 60 * 60_000;

/** The inbox settings when the node answers after storing the delivery, else undefined. */
export function inboxSettingsOf(responseMode: string, options: TriggerOptions): InboxSettings | undefined {
	if (responseMode !== 'onReceived' || options.inbox !== true) return undefined;
	const whole = (value: number | undefined, fallback: number) => Math.max(1, Math.floor(value ?? fallback));
	return {
		concurrency: whole(options.inboxConcurrency, INBOX_DEFAULTS.concurrency),
		maxAttempts: whole(options.inboxAttempts, INBOX_DEFAULTS.maxAttempts),
		retryBaseMs: Math.max(0, options.inboxRetrySeconds ?? INBOX_DEFAULTS.retrySeconds) * 1000,
		retryMaxMs: RETRY_MAX_MS,
		batchSize: whole(options.inboxBatchSize, INBOX_DEFAULTS.batchSize),
		batchWindowMs: Math.max(0, options.inboxBatchWindowMs ?? INBOX_DEFAULTS.batchWindowMs),
		perMinute: Math.max(0, Math.floor(options.inboxPerMinute ?? INBOX_DEFAULTS.perMinute)),
		holdMs: Math.max(0, options.inboxHoldSeconds ?? INBOX_DEFAULTS.holdSeconds) * 1000,
	};
}

export interface StoredDelivery {
	workflowId: string;
	nodeName: string;
	deliveryId: string;
	item: Record<string, unknown>;
	receivedAt: number;
	/** Whether this delivery holds a (pending) duplicate key to mark started. */
	keyed: boolean;
}

/** Stores the delivery durably (throws when it could not); then its caller may be answered. */
export async function storeInInbox(store: TriggerStore, delivery: StoredDelivery): Promise<void> {
	const db = await store.open();
	const row = { id: delivery.deliveryId, workflowId: delivery.workflowId, nodeName: delivery.nodeName, receivedAt: new Date(delivery.receivedAt), item: delivery.item };
	// A keyed delivery marks its key started in the same transaction; an unkeyed one is one statement.
	if (delivery.keyed) {
		await db.transaction(async (tx) => {
			await enqueueDeliveries(tx, [row]);
			await markDeliveriesStarted(tx, [delivery.deliveryId], row.receivedAt);
		});
	} else await enqueueDeliveries(db.autocommit, [row]);
	wakeInbox(delivery.workflowId, delivery.nodeName);
}

/** Pumps of this process by trigger, so a delivery stored here starts without waiting for the next poll. */
const pumps = new Map<string, () => void>();

const pumpKey = (workflowId: string, nodeName: string) => `${workflowId}\n${nodeName}`;

export function registerPump(workflowId: string, nodeName: string, wake: () => void): () => void {
	const key = pumpKey(workflowId, nodeName);
	pumps.set(key, wake);
	return () => {
		if (pumps.get(key) === wake) pumps.delete(key);
	};
}

function wakeInbox(workflowId: string, nodeName: string): void {
	pumps.get(pumpKey(workflowId, nodeName))?.();
}
