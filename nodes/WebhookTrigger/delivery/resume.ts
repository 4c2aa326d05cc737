/**
 * Correlated resume on the Webhook Trigger: a call that passed every check and carries, at the
 * configured path, the key a Wait for Webhook node registered resumes THAT waiting execution with
 * the item the trigger would emit.
 *
 * Exactly once: the store's claim is one atomic statement, so of many calls with one key one
 * claims it. The winner hands the item to the execution's resume URL (an HTTP POST to n8n itself,
 * which n8n serves in every process, queue mode included) with a fresh token whose hash the claim
 * stored; the waiting node accepts nothing else. If the hand-over fails, the claim is released
 * and the caller gets a 503, so the provider's retry can resume it.
 *
 * A miss (no key, unknown key, expired, already resumed) runs the same single statement and gets
 * the same answer, so nothing tells which keys exist.
 */
import { randomBytes } from 'crypto';

import { HANDOVER_TOKEN_HEADER, keyText, scopeOf } from '../../shared/correlation';
import { keyHash } from '../../shared/store/deliveryKeys';
import { claimWait, pruneWaits, releaseClaims } from '../../shared/store/waits';
import type { ClaimedWait } from '../../shared/store/waits';
import type { Reply } from '../gate/gate';
import { resolvePath } from '../gate/paths';
import { replyFor } from '../replies';
import type { StatusOf } from '../replies';
import type { TriggerStore } from '../../shared/storeResolver';

export type WhenNotWaiting = 'startExecution' | 'reject404' | 'reject409';

/** The trigger's options that configure it (node parameter names). */
export interface ResumeOptions {
	resumeKeyPath?: string;
	resumeAlsoStart?: boolean;
	resumeWhenNotWaiting?: string;
}

export interface ResumeSettings {
	keyPath: string;
	alsoStart: boolean;
	whenNotWaiting: WhenNotWaiting;
}

/** Undefined when the trigger resumes nothing (no correlation path). */
export function resumeSettingsOf(options: ResumeOptions): ResumeSettings | undefined {
	const keyPath = (options.resumeKeyPath ?? '').trim();
	if (keyPath === '') return undefined;
	const when = options.resumeWhenNotWaiting;
	return {
		keyPath,
		alsoStart: options.resumeAlsoStart === true,
		whenNotWaiting: when === 'reject404' || when === 'reject409' ? when : 'startExecution',
	};
}

/** What the waiting executions of one trigger path look like to this module. */
export interface WaitRegistry {
	claim(key: string | undefined, tokenHash: string, now: Date): Promise<ClaimedWait | undefined>;
	/** False when the waiting node had already taken the hand-over. */
	release(id: string, tokenHash: string): Promise<boolean>;
}

/** n8n's answer to the hand-over: taken; the execution is still saving its wait; gone; or failed. */
export type HandoverResult = 'delivered' | 'busy' | 'gone' | 'failed';
export type Handover = (url: string, token: string, item: Record<string, unknown>) => Promise<HandoverResult>;

export type ResumeDecision =
	| { kind: 'answer'; reply: Reply }
	| { kind: 'resumed'; executionId: string }
	| { kind: 'start'; reason: 'resumed' | 'not_waiting' };

const PRUNE_INTERVAL_MS = 60_000;
const lastPrune = new Map<string, number>();

/**
 * The registry for one call to the trigger at `path`, in the trigger's store. A claim records the
 * call's delivery id: the waiting node's acceptance marks that delivery's duplicate key started,
 * and a release also drops the delivery's pending key (see waits.ts), each in one transaction.
 * Test-URL calls resume only executions started from the editor (see scopeOf).
 */
export function waitRegistryOf(store: TriggerStore, path: string, call: { deliveryId?: string; test?: boolean } = {}): WaitRegistry {
	const scope = scopeOf(path, call.test === true);
	return {
		claim: async (key, tokenHash, now) => {
			const db = await store.open();
			const claimed = await claimWait(db, { scope, key, tokenHash, now, deliveryId: call.deliveryId });
			// Expired and handed-over rows go in the background, at most once a minute per store.
			if (now.getTime() - (lastPrune.get(store.key) ?? 0) >= PRUNE_INTERVAL_MS) {
				lastPrune.set(store.key, now.getTime());
				void pruneWaits(db, now).catch(() => undefined);
			}
			return claimed;
		},
		release: async (id, tokenHash) => await releaseClaims(await store.open(), { waitId: id, tokenHash, deliveryId: call.deliveryId }),
	};
}

export interface ResumeCall {
	/** `{ body, headers, query, params }` of the verified call, as correlation paths read it. */
	root: Record<string, unknown>;
	/** The item the trigger would emit. */
	item: Record<string, unknown>;
	now: number;
}

/**
 * Claims and resumes the execution waiting for this call's key, and says what the trigger does
 * next: answer (a miss with 404/409, a failed hand-over), done (resumed), or start its own execution.
 */
export async function resumeWaiting(
	registry: WaitRegistry,
	settings: ResumeSettings,
	call: ResumeCall,
	handover: Handover = postHandover,
	busyRetryMs = 15_000,
): Promise<ResumeDecision> {
	const token = randomBytes(32).toString('base64url');
	const tokenHash = keyHash(token);
	const key = keyText(resolvePath(call.root, settings.keyPath));
	const claimed = await registry.claim(key, tokenHash, new Date(call.now));
	if (claimed) {
		const item = { ...call.item, correlation: { path: settings.keyPath, key } };
		const result = await deliver(handover, claimed.resumeUrl, token, item, busyRetryMs);
		// Not taken: claimable again, unless the node took it and only its answer was lost.
		if (result === 'failed' && (await registry.release(claimed.id, tokenHash))) return { kind: 'answer', reply: RESUME_FAILED_REPLY };
		// Gone (n8n no longer has it waiting): a miss like any other.
		if (result !== 'gone') return settings.alsoStart ? { kind: 'start', reason: 'resumed' } : { kind: 'resumed', executionId: claimed.executionId };
	}
	if (settings.whenNotWaiting === 'startExecution') return { kind: 'start', reason: 'not_waiting' };
	return { kind: 'answer', reply: notWaitingReply(settings.whenNotWaiting === 'reject409' ? 409 : 404) };
}

/** n8n answers 409 while the execution is still saving its waiting state: try again, briefly. */
async function deliver(handover: Handover, url: string, token: string, item: Record<string, unknown>, busyRetryMs: number): Promise<HandoverResult> {
	const deadline = Date.now() + busyRetryMs;
	for (let pause = 100; ; pause = Math.min(pause * 2, 1_000)) {
		const result = await handover(url, token, item);
		if (result !== 'busy') return result;
		if (Date.now() + pause > deadline) return 'failed';
		await new Promise((resolve) => setTimeout(resolve, pause));
	}
}

/** POSTs the item to the resume URL n8n gave the waiting execution, with the claim's token. */
export async function postHandover(url: string, token: string, item: Record<string, unknown>): Promise<HandoverResult> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [HANDOVER_TOKEN_HEADER]: token },
			body: JSON.stringify(item),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		if (response.ok) return 'delivered';
		if (response.status === 409) return /running/i.test(text) ? 'busy' : 'gone';
		return response.status === 404 ? 'gone' : 'failed';
	} catch {
		return 'failed';
	}
}

export function notWaitingReply(status: StatusOf<'not_waiting'>): Reply {
	return replyFor('not_waiting', { status });
}

/** The hand-over failed and the wait was released: 503 makes the provider retry later. */
export const RESUME_FAILED_REPLY: Reply = replyFor('resume_failed');

/** The store is unreachable: nothing was claimed; 503 makes the provider retry later. */
export const RESUME_STORE_UNAVAILABLE_REPLY: Reply = replyFor('store_unavailable', { message: 'Waiting executions could not be checked; retry later' });
