/**
 * Duplicate suppression on the trigger: providers retry, so the same delivery can arrive two or
 * twenty times. A call that passed every other check claims its delivery key in the store; a key
 * already claimed within the window is answered 200 `{"duplicate": true}` and starts nothing.
 */
import { keyText } from '../shared/correlation';
import type { ClaimResult } from '../shared/store/deliveryKeys';
import { claimDeliveryKey, pruneDeliveryKeys } from '../shared/store/deliveryKeys';
import type { Reply } from './gate';
import { resolvePath } from './paths';
import type { TriggerStore } from './triggerStore';

export const DEFAULT_DUPLICATE_WINDOW_HOURS = 24;
const PRUNE_INTERVAL_MS = 60_000;

/** The key at `path` in the call (`headers.x-github-delivery`, `body.id`), or undefined when absent. */
export function duplicateKeyOf(root: Record<string, unknown>, path: string): string | undefined {
	return keyText(resolvePath(root, path));
}

const lastPrune = new Map<string, number>();

export async function claimDelivery(
	store: TriggerStore,
	claim: { workflowId: string; nodeName: string; key: string; deliveryId: string; now: number; windowHours: number },
): Promise<ClaimResult> {
	const db = await store.open();
	const result = await claimDeliveryKey(db, {
		workflowId: claim.workflowId,
		nodeName: claim.nodeName,
		key: claim.key,
		deliveryId: claim.deliveryId,
		now: new Date(claim.now),
		windowMs: claim.windowHours * 60 * 60 * 1000,
	});
	// Expired keys go in the background, at most once a minute per store.
	if (claim.now - (lastPrune.get(store.key) ?? 0) >= PRUNE_INTERVAL_MS) {
		lastPrune.set(store.key, claim.now);
		void pruneDeliveryKeys(db).catch(() => undefined);
	}
	return result;
}

export function duplicateReply(result: Extract<ClaimResult, { first: false }>): Reply {
	return {
		kind: 'reply',
		status: 200,
		headers: {},
		contentType: 'application/json',
		body: JSON.stringify({ duplicate: true, deliveryId: result.firstDeliveryId, firstSeen: result.firstSeen }),
		code: 'duplicate',
	};
}

/** The store is unreachable: 503 makes the provider retry later, so nothing is lost or run twice. */
export const STORE_UNAVAILABLE_REPLY: Reply = {
	kind: 'reply',
	status: 503,
	headers: { 'Retry-After': '30' },
	contentType: 'application/json',
	body: JSON.stringify({ error: 'store_unavailable', message: 'The delivery could not be checked for duplicates; retry later' }),
	code: 'store_unavailable',
};
