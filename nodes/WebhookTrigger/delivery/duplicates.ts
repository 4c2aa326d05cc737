/**
 * Duplicate suppression on the trigger: providers retry, so the same delivery can arrive two or
 * twenty times. A call that passed every other check claims its delivery key in the store; a key
 * already claimed within the window is answered 200 `{"duplicate": true}` and starts nothing.
 *
 * The claim counts once the first copy's execution has started (the trigger's execute() marks
 * it): a copy that arrives while the first is still being started waits for that, briefly, and is
 * answered 409 `delivery_in_progress` (retry later) if it does not happen; a claim whose execution
 * never started within PENDING_CLAIM_MS is taken over by the next copy, so no delivery is lost.
 */
import { keyText } from '../../shared/correlation';
import type { ClaimResult } from '../../shared/store/deliveryKeys';
import { claimDeliveryKey, markDeliveriesStarted, pruneDeliveryKeys, readDeliveryKey } from '../../shared/store/deliveryKeys';
import type { Reply } from '../gate/gate';
import { resolvePath } from '../gate/paths';
import { answerFor, replyFor } from '../replies';
import type { TriggerStore } from '../../shared/storeResolver';

export const DEFAULT_DUPLICATE_WINDOW_HOURS = 24;
const PRUNE_INTERVAL_MS = 60_000;
/**
 * An unstarted claim older than this is abandoned (n8n never started its execution) and the next
 * copy runs. Long enough for a queued execution to start on a busy worker; a provider's retry
 * usually comes later than that anyway.
 */
export const PENDING_CLAIM_MS = 10 * 60_000;
/** How long a copy waits for the first copy's execution to start before answering 409. */
export const IN_PROGRESS_WAIT_MS = 5_000;
const IN_PROGRESS_POLL_MS = 100;

/** The key at `path` in the call (`headers.x-github-delivery`, `body.id`), or undefined when absent. */
export function duplicateKeyOf(root: Record<string, unknown>, path: string): string | undefined {
	return keyText(resolvePath(root, path));
}

const lastPrune = new Map<string, number>();

export async function claimDelivery(
	store: TriggerStore,
	claim: { workflowId: string; nodeName: string; key: string; deliveryId: string; now: number; windowHours: number; started: boolean },
	waitMs = IN_PROGRESS_WAIT_MS,
): Promise<ClaimResult> {
	const db = await store.open();
	let result = await claimDeliveryKey(db, {
		workflowId: claim.workflowId,
		nodeName: claim.nodeName,
		key: claim.key,
		deliveryId: claim.deliveryId,
		now: new Date(claim.now),
		windowMs: claim.windowHours * 60 * 60 * 1000,
		started: claim.started,
		pendingMs: PENDING_CLAIM_MS,
	});
	// Expired keys go in the background, at most once a minute per store.
	if (claim.now - (lastPrune.get(store.key) ?? 0) >= PRUNE_INTERVAL_MS) {
		lastPrune.set(store.key, claim.now);
		void pruneDeliveryKeys(db, new Date(claim.now)).catch(() => undefined);
	}
	// Copies sent at once: the first one's execution usually starts within a second.
	const deadline = Date.now() + waitMs;
	while (!result.first && !result.started && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_POLL_MS));
		result = (await readDeliveryKey(db, claim)) ?? result;
	}
	return result;
}

/** execute(): these deliveries' executions run, so their keys are now duplicates for the window. */
export async function markStarted(store: TriggerStore, deliveryIds: readonly string[]): Promise<void> {
	if (deliveryIds.length === 0) return;
	await markDeliveriesStarted(await store.open(), deliveryIds);
}

export function duplicateReply(result: Extract<ClaimResult, { first: false }>): Reply {
	if (!result.started) return IN_PROGRESS_REPLY;
	return answerFor('duplicate', JSON.stringify({ duplicate: true, deliveryId: result.firstDeliveryId, firstSeen: result.firstSeen }));
}

/** The store is unreachable: 503 makes the provider retry later, so nothing is lost or run twice. */
export const STORE_UNAVAILABLE_REPLY: Reply = replyFor('store_unavailable', { message: 'The delivery could not be checked for duplicates; retry later' });

/** The first copy was claimed but its execution has not started yet: retry later (not a duplicate yet). */
export const IN_PROGRESS_REPLY: Reply = replyFor('delivery_in_progress');
