import { randomUUID } from 'crypto';
import fc from 'fast-check';

import { decideDelivery } from '../../../nodes/WebhookTrigger/delivery';
import type { DeliveryPlan } from '../../../nodes/WebhookTrigger/delivery';
import { markStarted } from '../../../nodes/WebhookTrigger/duplicates';
import type { Handover, ResumeSettings } from '../../../nodes/WebhookTrigger/resume';
import type { TriggerStore } from '../../../nodes/WebhookTrigger/triggerStore';
import { scopeOf } from '../../../nodes/shared/correlation';
import { acceptHandover, registerWait } from '../../../nodes/shared/store/waits';
import type { Queryable, Store } from '../../../nodes/shared/store/types';
import { storeTargets } from '../store/targets';

/**
 * Model-based test of one delivery's life (nodes/WebhookTrigger/delivery.ts) on the real stores:
 * random sequences of copies of one delivery — with every combination of answer mode, duplicate
 * suppression, correlated resume and test / production URL — under faults: a store statement
 * failing, the hand-over failing or its answer lost, n8n never starting the execution, the clock
 * moving minutes on. After every step it checks the invariants written in delivery.ts:
 * 1. every 2xx answer stands for an execution started (or handed to n8n before a 2xx it wrote
 *    itself) or a wait resumed;
 * 2. a `duplicate` answer is given only once an execution or resume of the delivery started;
 * 3. with duplicates suppressed, at most one copy starts an execution or resumes the wait; and the
 *    wait is resumed at most once in any case.
 */

const START = Date.UTC(2026, 10, 24, 12);
const MINUTE = 60_000;
const PATH = 'payments';

interface Config {
	early: boolean;
	suppress: boolean;
	resume?: ResumeSettings;
	test: boolean;
	/** An execution waits for the delivery's correlation key (registered before the first copy). */
	waiting: boolean;
}

interface Step {
	/** Minutes the clock moves before this copy arrives. */
	advance: number;
	/** The index of the store statement (of this copy) that fails, or -1. */
	storeFault: number;
	handover: 'accepted' | 'failed' | 'acceptedAnswerLost';
	/** Whether n8n starts the execution it was handed (its first step runs). */
	executionStarts: boolean;
	/** Fails the store statement of the execution's first step (marking the delivery started). */
	markFails: boolean;
}

const config: fc.Arbitrary<Config> = fc.record({
	early: fc.boolean(),
	suppress: fc.boolean(),
	resume: fc.option(
		fc.record({
			keyPath: fc.constant('body.order.id'),
			alsoStart: fc.boolean(),
			whenNotWaiting: fc.constantFrom('startExecution' as const, 'reject404' as const, 'reject409' as const),
		}),
		{ nil: undefined },
	),
	test: fc.boolean(),
	waiting: fc.boolean(),
});

const step: fc.Arbitrary<Step> = fc.record({
	advance: fc.constantFrom(0, 0, 1, 6, 11),
	storeFault: fc.oneof(fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 5 })),
	handover: fc.constantFrom('accepted' as const, 'accepted' as const, 'failed' as const, 'acceptedAnswerLost' as const),
	executionStarts: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
	markFails: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
});

/** The store, with statement number `failAt` of the current copy throwing (transactions included). */
function faultyStore(store: Store, fault: { failAt: number; count: number }): Store {
	const check = () => {
		if (fault.count++ === fault.failAt) throw new Error('injected store fault');
	};
	const wrap = (db: Queryable): Queryable => ({
		query: async (sql, params) => {
			check();
			return await db.query(sql, params);
		},
	});
	return {
		kind: store.kind,
		schema: store.schema,
		query: wrap(store).query,
		transaction: async (fn) => await store.transaction(async (tx) => await fn(wrap(tx))),
		close: async () => await store.close(),
	};
}

describe.each(storeTargets())('one delivery under faults, on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());

	it('never loses, doubles or falsely calls a duplicate any delivery, in any combination', async () => {
		await fc.assert(
			fc.asyncProperty(config, fc.array(step, { minLength: 1, maxLength: 7 }), async (cfg, steps) => {
				await store.query('TRUNCATE delivery_keys');
				await store.query('TRUNCATE waiting_executions');
				// Each run its own workflow and key, so runs never meet in the store.
				const workflowId = `wf-${randomUUID()}`;
				const orderId = `order-${randomUUID()}`;
				let now = START;
				const executionId = '501';
				if (cfg.waiting) {
					await registerWait(store, {
						scope: scopeOf(PATH, cfg.test),
						key: orderId,
						workflowId,
						executionId,
						nodeName: 'Wait for Webhook',
						resumeUrl: `http://127.0.0.1:5678/webhook-waiting/${executionId}`,
						now: new Date(now),
						expiresAt: new Date(now + 24 * 60 * MINUTE),
					});
				}

				/** Copies that started an execution (or, answered early, were handed to n8n) or resumed the wait. */
				let effects = 0;
				let resumes = 0;
				const history: string[] = [];

				for (const [index, current] of steps.entries()) {
					now += current.advance * MINUTE;
					const fault = { failAt: current.storeFault, count: 0 };
					const faulty = faultyStore(store, fault);
					const trigger: TriggerStore = { key: `model:${workflowId}`, open: async () => faulty };
					let resumedHere = false;
					// The waiting node's side of the hand-over, on the same (faulty) store.
					const handover: Handover = async (_url, token) => {
						if (current.handover === 'failed') return 'failed';
						let accepted = false;
						try {
							accepted = await acceptHandover(faulty, { executionId, nodeName: 'Wait for Webhook', token, now: new Date(now) });
						} catch {
							return 'failed'; // n8n's resume URL answered 503
						}
						if (accepted) {
							resumes++;
							resumedHere = true;
						}
						if (!accepted) return 'failed'; // 403: not this claim's token
						return current.handover === 'acceptedAnswerLost' ? 'failed' : 'delivered';
					};
					const deliveryId = randomUUID();
					const plan: DeliveryPlan = {
						workflowId,
						nodeName: 'Webhook Trigger',
						path: PATH,
						deliveryId,
						key: cfg.suppress ? 'evt_1' : undefined,
						windowHours: 24,
						early: cfg.early,
						resume: cfg.resume,
						test: cfg.test,
						now,
					};
					const item = { body: { order: { id: orderId } }, deliveryId };
					const decision = await decideDelivery({ store: trigger, handover, inProgressWaitMs: 0, busyRetryMs: 0 }, plan, {
						root: { body: { order: { id: orderId } }, headers: {}, query: {}, params: {} },
						item,
					});

					let status: number;
					let effect = resumedHere;
					if (decision.kind === 'answer') {
						status = decision.reply.status;
						if (decision.reply.code === 'duplicate') {
							// Invariant 2 (and 1 for duplicates): something of this delivery started before.
							expect({ history, step: index, duplicateWithoutEffect: effects === 0 }).toEqual({ history, step: index, duplicateWithoutEffect: false });
						}
					} else if (decision.kind === 'resumed') {
						status = 200;
						expect({ history, step: index, resumedWithoutAcceptance: !resumedHere }).toEqual({ history, step: index, resumedWithoutAcceptance: false });
					} else if (cfg.early) {
						// Answered 2xx by webhook(), then handed to n8n: committed whether n8n starts it or not.
						status = 200;
						effect = true;
					} else if (!current.executionStarts) {
						status = 500; // n8n never ran the execution that would have answered: the caller retries
					} else {
						// The execution's first step (execute()): marks the delivery started, or stops the execution.
						let marked = true;
						if (plan.key !== undefined) {
							try {
								if (current.markFails) throw new Error('injected store fault');
								await markStarted(trigger, [deliveryId]);
							} catch {
								marked = false;
							}
						}
						status = marked ? 200 : 500;
						effect = effect || marked;
					}
					if (effect) effects++;
					history.push(`${index}: +${current.advance}min fault@${current.storeFault} ${current.handover} start=${current.executionStarts} markFails=${current.markFails} → ${decision.kind}${decision.kind === 'answer' ? ` ${decision.reply.status} ${decision.reply.code}` : ''} (${status})`);

					// Invariant 1: a 2xx stands for an effect of this copy, or a duplicate of an earlier one.
					if (status >= 200 && status < 300) expect({ history, acknowledgedWithoutEffect: effects === 0 }).toEqual({ history, acknowledgedWithoutEffect: false });
					// Invariant 3: suppressed duplicates never start the delivery twice; the wait resumes once.
					if (cfg.suppress) expect({ history, effects: Math.min(effects, 2) }).toEqual({ history, effects: Math.min(effects, 1) });
					expect({ history, resumes: Math.min(resumes, 2) }).toEqual({ history, resumes: Math.min(resumes, 1) });
				}
			}),
			{ numRuns: Number(process.env.MODEL_RUNS ?? 150), seed: process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined },
		);
	}, 300_000);
});
