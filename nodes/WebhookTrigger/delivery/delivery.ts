/**
 * What becomes of a call the gate admitted: duplicate suppression, correlated resume and the answer
 * mode decided together, with every state change of the delivery's key and wait explicit.
 *
 * The delivery key (when duplicates are suppressed) is claimed *pending*. It counts as started
 * only at the delivery's commit point:
 * - an execution: its first step marks it (execute(), default mode), or the claim itself when the
 *   2xx is written before the execution starts and nothing can fail in between (no resume);
 * - with a resume configured and Answer Before the Execution Starts: just before the 2xx is written;
 * - a resume: the waiting node's acceptance of the hand-over, in the same transaction (waits.ts).
 * Every other end releases it: a caller told to retry later (503, or 404/409 `not_waiting`) finds
 * the key free, and its retry is a first copy.
 *
 * Invariants (checked after every step of random call sequences with store and hand-over faults by
 * test/integration/nodes/deliveryModel.test.ts):
 * 1. an acknowledged delivery (any 2xx, a duplicate included) has started one execution or resumed
 *    one wait (or has been handed to n8n to start one);
 * 2. a caller told to retry (409, 503, 404/409 not_waiting) is told `duplicate` later only if an
 *    execution or resume of that delivery actually started;
 * 3. no execution or resume starts twice for one delivery key within its window.
 */
import { DefaultStoreUnavailable } from '../../shared/storeResolver';
import type { TriggerStore } from '../../shared/storeResolver';
import { claimDelivery, duplicateReply, IN_PROGRESS_WAIT_MS, markStarted, STORE_UNAVAILABLE_REPLY } from './duplicates';
import type { Reply } from '../gate/gate';
import { RESUME_STORE_UNAVAILABLE_REPLY, resumeWaiting, waitRegistryOf } from './resume';
import type { Handover, ResumeSettings } from './resume';
import { releaseDeliveryKey } from '../../shared/store/deliveryKeys';

export interface DeliveryPlan {
	workflowId: string;
	nodeName: string;
	/** The trigger's path: the scope of the executions it resumes. */
	path: string;
	deliveryId: string;
	/** The duplicate key of this call; undefined when suppression is off or the call has none. */
	key?: string;
	windowHours: number;
	/** webhook() writes the 2xx before n8n starts the execution (Answer Before the Execution Starts). */
	early: boolean;
	resume?: ResumeSettings;
	/** A call on the test URL: its keys and waits are apart from production's. */
	test: boolean;
	now: number;
}

export type DeliveryDecision =
	/** Nothing starts; `problem` is a line for n8n's log. */
	| { kind: 'answer'; reply: Reply; problem?: string }
	/** A waiting execution took the item: acknowledge. */
	| { kind: 'resumed'; executionId: string }
	/** Start this workflow with the item. */
	| { kind: 'run'; reason: string | null }
	/** The node's store cannot serve this n8n (the embedded store in queue mode): a configuration error. */
	| { kind: 'misconfigured'; error: DefaultStoreUnavailable };

export interface DeliveryPorts {
	store: TriggerStore;
	/** The hand-over to a waiting execution (default: POST to its resume URL). */
	handover?: Handover;
	inProgressWaitMs?: number;
	busyRetryMs?: number;
}

export interface AdmittedCall {
	/** `{ body, headers, query, params }` of the verified call, as payload paths read it. */
	root: Record<string, unknown>;
	/** The item the trigger emits. */
	item: Record<string, unknown>;
}

export async function decideDelivery(ports: DeliveryPorts, plan: DeliveryPlan, call: AdmittedCall): Promise<DeliveryDecision> {
	const key = plan.key === undefined ? undefined : plan.test ? `test\n${plan.key}` : plan.key;
	// The key releases with the caller's "retry later"; the wait's release takes it along (waits.ts).
	const release = async () => {
		if (key === undefined) return;
		try {
			await releaseDeliveryKey(await ports.store.open(), plan.deliveryId);
		} catch {
			// Still pending: copies are told to retry until PENDING_CLAIM_MS, then run (duplicates.ts).
		}
	};
	const unavailable = async (error: unknown, reply: Reply, what: string): Promise<DeliveryDecision> => {
		if (error instanceof DefaultStoreUnavailable) return { kind: 'misconfigured', error };
		await release();
		return { kind: 'answer', reply, problem: `${what}, answered 503: ${(error as Error).message}` };
	};

	if (key !== undefined) {
		try {
			const claim = await claimDelivery(
				ports.store,
				{
					workflowId: plan.workflowId,
					nodeName: plan.nodeName,
					key,
					deliveryId: plan.deliveryId,
					now: plan.now,
					windowHours: plan.windowHours,
					started: plan.early && plan.resume === undefined,
				},
				ports.inProgressWaitMs ?? IN_PROGRESS_WAIT_MS,
			);
			if (!claim.first) return { kind: 'answer', reply: duplicateReply(claim) };
		} catch (error) {
			if (error instanceof DefaultStoreUnavailable) return { kind: 'misconfigured', error };
			return { kind: 'answer', reply: STORE_UNAVAILABLE_REPLY, problem: `duplicate check failed, answered 503: ${(error as Error).message}` };
		}
	}

	let reason: string | null = null;
	if (plan.resume) {
		let next;
		try {
			const registry = waitRegistryOf(ports.store, plan.path, { deliveryId: key === undefined ? undefined : plan.deliveryId, test: plan.test });
			next = await resumeWaiting(registry, plan.resume, { root: call.root, item: call.item, now: plan.now }, ports.handover, ports.busyRetryMs);
		} catch (error) {
			return await unavailable(error, RESUME_STORE_UNAVAILABLE_REPLY, 'resuming a waiting execution failed');
		}
		if (next.kind === 'answer') {
			await release();
			return { kind: 'answer', reply: next.reply };
		}
		if (next.kind === 'resumed') return { kind: 'resumed', executionId: next.executionId };
		reason = next.reason;
		// Answered before the execution starts: the 2xx about to be written is the commit point.
		if (key !== undefined && plan.early) {
			try {
				await markStarted(ports.store, [plan.deliveryId]);
			} catch (error) {
				return await unavailable(error, STORE_UNAVAILABLE_REPLY, 'duplicate check failed');
			}
		}
	}
	return { kind: 'run', reason };
}
