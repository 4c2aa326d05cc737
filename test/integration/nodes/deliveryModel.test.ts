import { randomUUID } from 'crypto';
import fc from 'fast-check';

import { parseIpAllowlist, parseOriginAllowlist } from '../../../nodes/WebhookTrigger/gate/allowlist';
import type { DeliveryLog } from '../../../nodes/WebhookTrigger/delivery/deliveryLog';
import { markStarted } from '../../../nodes/WebhookTrigger/delivery/duplicates';
import { handleCall } from '../../../nodes/WebhookTrigger/handleCall';
import type { CallNode } from '../../../nodes/WebhookTrigger/handleCall';
import type { Handover } from '../../../nodes/WebhookTrigger/delivery/resume';
import type { TriggerOptions } from '../../../nodes/WebhookTrigger/triggerOptions';
import type { TriggerStore } from '../../../nodes/shared/storeResolver';
import type { DeliveryRecord } from '../../../nodes/shared/store/deliveries';
import { scopeOf } from '../../../nodes/shared/correlation';
import { acceptHandover, registerWait } from '../../../nodes/shared/store/waits';
import type { Queryable, Store } from '../../../nodes/shared/store/types';
import { eachStore, truncate } from '../store/targets';
import { requestConfig } from '../../support/gateConfig';

/**
 * Model-based test of one delivery's life through the whole call pipeline (handleCall.ts, with
 * delivery.ts deciding) on the real stores: random sequences of copies of one delivery — with every
 * combination of answer mode, duplicate suppression, correlated resume, test / production URL,
 * authentication by a custom header or a query token, Keep Bodies, and copies refused by the IP or
 * Origin allowlist or sent with a wrong or missing token — under faults: a store statement failing,
 * the hand-over failing or its answer lost, n8n never starting the execution, the clock moving
 * minutes on. After every step it checks the invariants written in delivery.ts:
 * 1. every 2xx answer stands for an execution started (or handed to n8n before a 2xx it wrote
 *    itself) or a wait resumed;
 * 2. a `duplicate` answer is given only once an execution or resume of the delivery started;
 * 3. with duplicates suppressed, at most one copy starts an execution or resumes the wait; and the
 *    wait is resumed at most once in any case;
 * and that no delivery-log record holds the credential's secret, however far its call got.
 */

const START = Date.UTC(2026, 10, 24, 12);
const MINUTE = 60_000;
const PATH = 'payments';

const SECRET = 'REAL-SECRET-123';

interface Config {
	early: boolean;
	/** Answer After the Delivery Is Stored (Inbox): wins over `early`; a test call runs at once (answered early). */
	inbox: boolean;
	suppress: boolean;
	resume?: { resumeKeyPath: string; resumeAlsoStart: boolean; resumeWhenNotWaiting: string };
	test: boolean;
	/** How the caller authenticates: a header whose name says nothing of secrets, or a query token. */
	auth: 'header' | 'query';
	keepBodies: boolean;
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
	/** Who sends this copy: an allowed caller, one the IP or Origin allowlist refuses. */
	caller: 'allowed' | 'ipRefused' | 'originRefused';
	token: 'valid' | 'wrong' | 'missing';
}

const config: fc.Arbitrary<Config> = fc.record({
	early: fc.boolean(),
	inbox: fc.boolean(),
	suppress: fc.boolean(),
	resume: fc.option(
		fc.record({
			resumeKeyPath: fc.constant('body.order.id'),
			resumeAlsoStart: fc.boolean(),
			resumeWhenNotWaiting: fc.constantFrom('startExecution', 'reject404', 'reject409'),
		}),
		{ nil: undefined },
	),
	test: fc.boolean(),
	auth: fc.constantFrom('header' as const, 'query' as const),
	keepBodies: fc.boolean(),
	waiting: fc.boolean(),
});

const step: fc.Arbitrary<Step> = fc.record({
	advance: fc.constantFrom(0, 0, 1, 6, 11),
	storeFault: fc.oneof(fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 5 })),
	handover: fc.constantFrom('accepted' as const, 'accepted' as const, 'failed' as const, 'acceptedAnswerLost' as const),
	executionStarts: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
	markFails: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
	caller: fc.constantFrom('allowed' as const, 'allowed' as const, 'allowed' as const, 'ipRefused' as const, 'originRefused' as const),
	token: fc.constantFrom('valid' as const, 'valid' as const, 'valid' as const, 'wrong' as const, 'missing' as const),
});

/** The copy as the caller sends it: the token where the credential names it, or a wrong one, or none. */
function callOf(cfg: Config, current: Step, orderId: string, now: number) {
	const token = current.token === 'valid' ? SECRET : current.token === 'wrong' ? 'not-the-secret' : undefined;
	const body = { event_id: 'evt_1', order: { id: orderId } };
	const headers: Record<string, string> = { 'content-type': 'application/json', origin: current.caller === 'originRefused' ? 'https://evil.example' : 'https://shop.example' };
	const query: Record<string, string> = { page: '1' };
	if (token !== undefined && cfg.auth === 'header') headers['x-partner-key'] = token;
	if (token !== undefined && cfg.auth === 'query') query.partner = token;
	return {
		webhookName: 'default',
		method: 'POST',
		headers,
		query,
		params: {},
		body,
		rawBody: undefined,
		ip: current.caller === 'ipRefused' ? '203.0.113.9' : '10.1.2.3',
		now,
	};
}

/** The store, with statement number `failAt` of the current copy throwing (transactions included). */
function faultyStore(store: Store, fault: { failAt: number; count: number }): Store {
	const check = () => {
		if (fault.count++ === fault.failAt) throw new Error('injected store fault');
	};
	const wrap = (db: Queryable): Queryable => ({
		dialect: db.dialect,
		query: async (sql, params) => {
			check();
			return await db.query(sql, params);
		},
	});
	return {
		kind: store.kind,
		schema: store.schema,
		dialect: store.dialect,
		query: wrap(store).query,
		transaction: async (fn) => await store.transaction(async (tx) => await fn(wrap(tx))),
		autocommit: wrap(store.autocommit),
		close: async () => await store.close(),
	};
}

eachStore()('one delivery under faults, on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());

	it('never loses, doubles or falsely calls a duplicate any delivery, in any combination', async () => {
		await fc.assert(
			fc.asyncProperty(config, fc.array(step, { minLength: 1, maxLength: 7 }), async (cfg, steps) => {
				await truncate(store, ['delivery_keys', 'waiting_executions', 'inbox']);
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
					const rows: DeliveryRecord[] = [];
					const log = { record: (row: DeliveryRecord) => rows.push(row), linkExecution: () => undefined } as unknown as DeliveryLog;
					const options: TriggerOptions = {
						answerBeforeStart: cfg.early,
						inbox: cfg.inbox,
						suppressDuplicates: cfg.suppress,
						duplicateKeyPath: 'body.event_id',
						keepBodies: cfg.keepBodies,
						...cfg.resume,
					};
					const call = callOf(cfg, current, orderId, now);
					const node: CallNode = {
						workflowId,
						nodeName: 'Webhook Trigger',
						path: PATH,
						test: cfg.test,
						responseMode: 'onReceived',
						options,
						log,
						callerRules: () => ({ ipAllowlist: parseIpAllowlist('10.0.0.0/8'), originAllowlist: parseOriginAllowlist('https://shop.example') }),
						gateConfig: async () =>
							requestConfig({
								scheme: cfg.auth,
								credentials: cfg.auth === 'header' ? { headerName: 'x-partner-key', token: SECRET } : { parameterName: 'partner', token: SECRET },
							}),
						rawBody: async () => Buffer.from(JSON.stringify(call.body)),
						delivery: { store: trigger, handover, inProgressWaitMs: 0, busyRetryMs: 0 },
					};
					const reported = () => undefined;
					const result = await handleCall(node, call, randomUUID(), { rejected: reported, misconfigured: reported, problem: reported });
					// Every answered call leaves one record, and none holds the secret, however far the call got.
					expect({ history, records: rows.length }).toEqual({ history, records: 1 });
					expect({ history, secretInRecord: JSON.stringify(rows).includes(SECRET) }).toEqual({ history, secretInRecord: false });
					const row = rows[0];
					const deliveryId = row.id;
					const run = result.workflowData !== undefined && (result.answer === undefined || result.answer.status < 300);
					type Decision = { kind: 'run' } | { kind: 'resumed' } | { kind: 'answer'; reply: { status: number; code: string | null } };
					const decision: Decision = run ? { kind: 'run' } : row.outcome === 'resumed' ? { kind: 'resumed' } : { kind: 'answer', reply: { status: row.status, code: row.reason } };
					const plan = { key: cfg.suppress ? 'evt_1' : undefined };

					let status: number;
					let effect = resumedHere;
					// The inbox answered 2xx: the delivery must be stored to run (its effect).
					const stored = decision.kind === 'answer' && row.outcome === 'accepted' && decision.reply.status < 300;
					if (stored) {
						status = decision.reply.status;
						const { rows: inInbox } = await store.query<{ n: number }>('SELECT count(*) AS n FROM inbox WHERE id = $1', [deliveryId]);
						expect({ history, step: index, storedWithoutRow: Number(inInbox[0].n) !== 1 }).toEqual({ history, step: index, storedWithoutRow: false });
						expect({ history, inboxOutsideInboxMode: !cfg.inbox || cfg.test }).toEqual({ history, inboxOutsideInboxMode: false });
						effect = true;
					} else if (decision.kind === 'answer') {
						status = decision.reply.status;
						if (decision.reply.code === 'duplicate') {
							// Invariant 2 (and 1 for duplicates): something of this delivery started before.
							expect({ history, step: index, duplicateWithoutEffect: effects === 0 }).toEqual({ history, step: index, duplicateWithoutEffect: false });
						}
					} else if (decision.kind === 'resumed') {
						status = 200;
						expect({ history, step: index, resumedWithoutAcceptance: !resumedHere }).toEqual({ history, step: index, resumedWithoutAcceptance: false });
					} else if (cfg.early || cfg.inbox) {
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
					history.push(`${index}: +${current.advance}min ${current.caller} token=${current.token} fault@${current.storeFault} ${current.handover} start=${current.executionStarts} markFails=${current.markFails} → ${decision.kind}${decision.kind === 'answer' ? ` ${decision.reply.status} ${decision.reply.code}` : ''} (${status})`);

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
