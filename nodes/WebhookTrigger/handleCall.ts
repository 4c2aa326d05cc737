/**
 * One call, one decision: the whole path of a call to the Webhook Trigger, from the caller's address
 * to the answer and the delivery-log row, with n8n's context behind ports (webhookContext.ts).
 * The order is the cost order: allowlists (no credential, no body), then method, size,
 * authentication, handshakes and schema (gate.ts), then — only for an admitted call — duplicate
 * suppression, correlated resume and the answer mode together (delivery.ts). Every answer goes
 * through `answer()`, so every answered call is recorded once, with the redactions known by then.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { acknowledgement, answersAfterStart } from './acknowledge';
import type { Redactions } from './auth';
import { redactionsFor, signsPublicUrl } from './auth';
import { keepRefusal, keepsRefusal, storedCallOf } from './delivery/refusedReplay';
import { decideDelivery } from './delivery/delivery';
import type { DeliveryPorts } from './delivery/delivery';
import type { DeliveryLog } from './delivery/deliveryLog';
import type { Answered } from './delivery/deliveryRecord';
import { deliveryRecord } from './delivery/deliveryRecord';
import { DEFAULT_DUPLICATE_WINDOW_HOURS } from './delivery/duplicates';
import { explainRejection, testRejectionItem } from './gate/explain';
import { admitCaller, admitRequest } from './gate/gate';
import type { CallerRules, GateConfig, IncomingCall, Reply } from './gate/gate';
import { outcomeOf, replyFor } from './replies';
import { resumeSettingsOf } from './delivery/resume';
import { deliveryKeyOf } from './triggerOptions';
import type { TriggerOptions } from './triggerOptions';
import { DefaultStoreUnavailable } from '../shared/storeResolver';
import { releaseDeliveryKey } from '../shared/store/deliveryKeys';
import { inboxSettingsOf, storeInInbox } from './delivery/inbox';
import { replayedTestItem, testReplayTokenOf } from './delivery/testReplay';
import { rateLimiterFor } from './delivery/rateLimitStore';
import { limitsBeforeVerification, rateLimitOf } from './gate/rateLimit';
import type { RateLimitSettings } from './gate/rateLimit';
import { resolvePath } from './gate/paths';
import { keyText } from '../shared/correlation';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the call's node is and how it is set up; read lazily where reading costs (credential). */
export interface CallNode {
	workflowId: string;
	nodeName: string;
	/** The trigger's path: the scope of the executions it resumes. */
	path: string;
	/** A call on the test URL (the editor listens for a test event). */
	test: boolean;
	responseMode: string;
	options: TriggerOptions;
	/** The delivery log; DefaultStoreUnavailable when the node's store cannot serve this n8n. */
	log: DeliveryLog | DefaultStoreUnavailable | undefined;
	/** Throws on a bad allowlist entry (a configuration error). */
	callerRules: () => CallerRules;
	/** Decrypts the credential; throws on a configuration error. */
	gateConfig: () => Promise<Omit<GateConfig, keyof CallerRules>>;
	/** The URL the caller signs (Twilio): n8n's published one, with the call's query. */
	webhookUrl?: () => string;
	/** The bytes sent, read where n8n has not read them yet; undefined for multipart/form-data. */
	rawBody: () => Promise<Buffer | undefined>;
	delivery: DeliveryPorts;
}

/** Where the pipeline reports what an operator should see (rate-limited by the node). */
export interface CallReports {
	rejected: (code: string, ip: string | undefined) => void;
	misconfigured: (error: unknown) => void;
	problem: (message: string) => void;
}

export interface Answer {
	status: number;
	headers: Record<string, string>;
	body: string;
	contentType?: string;
}

/**
 * What the node does with the call: write `answer` (if any) and hand `workflowData` (if any) to
 * n8n. No answer: the execution answers (Immediately, When Last Node Finishes, Respond to Webhook).
 */
export interface CallResult {
	answer?: Answer;
	workflowData?: INodeExecutionData[][];
}

const CONFIGURATION_ERROR_REPLY = replyFor('configuration_error');
const INBOX_UNAVAILABLE_REPLY = replyFor('store_unavailable', { message: 'The delivery could not be stored; retry later' });

/** A reply as answered, with no log record (handleCall's `answer` writes one). */
const toAnswer = (reply: Reply): Answer => ({ status: reply.status, headers: reply.headers, body: reply.body, contentType: reply.contentType });

export async function handleCall(node: CallNode, call: IncomingCall, deliveryId: string, reports: CallReports): Promise<CallResult> {
	const { options, log } = node;
	const logOn = log !== undefined && !(log instanceof DefaultStoreUnavailable);
	// Before the credential is read, the names it makes secret are unknown (deliveryRecord.ts).
	let redactions: Redactions | 'unknown' = 'unknown';
	// A fold key (a rate-limited key and window) makes a flood one record with a count.
	const record = (answered: Answered, foldKey?: string) => {
		if (!logOn) return;
		const row = deliveryRecord(deliveryId, call, answered, {
			workflowId: node.workflowId,
			nodeName: node.nodeName,
			redactions,
			keepBodies: options.keepBodies === true,
		});
		const retention = { maxAgeMs: (options.logRetentionDays ?? 7) * DAY_MS, maxRows: options.logRetentionRows ?? 10_000 };
		if (foldKey === undefined) log.record(row, retention);
		else log.recordFolded(row, foldKey, retention);
	};
	const trace: Record<string, string> = logOn && options.deliveryIdHeader ? { 'X-Delivery-Id': deliveryId } : {};
	const answer = (reply: Pick<Reply, 'status' | 'headers' | 'contentType' | 'body' | 'code'>, foldKey?: string): CallResult => {
		if (reply.status >= 400 && reply.status < 500) reports.rejected(reply.code, call.ip);
		record({ outcome: outcomeOf(reply.code), status: reply.status, reason: reply.code }, foldKey);
		return { answer: { status: reply.status, headers: { ...reply.headers, ...trace }, body: reply.body, contentType: reply.contentType } };
	};
	// Listening for a test event, a rejection also starts the test execution, which fails at this
	// node with the reason: otherwise the editor keeps waiting (explain.ts). Production: answer only.
	const reject = (reply: Reply, explanation?: Record<string, unknown>, foldKey?: string): CallResult => {
		if (reply.status < 400 || !node.test) return answer(reply, foldKey);
		const shown = explanation ? { ...reply, body: JSON.stringify({ ...(JSON.parse(reply.body) as object), explanation }) } : reply;
		return { ...answer(shown, foldKey), workflowData: [[testRejectionItem(reply, explanation)]] };
	};
	// Over the limit: 429 with the seconds until the key's window ends; undefined: admitted.
	const overLimit = async (limit: RateLimitSettings, key: string): Promise<CallResult | undefined> => {
		const limiter = rateLimiterFor(node.delivery.store);
		const admission = await limiter.admit(node, limit, key, call.now, reports.problem);
		if (admission.admitted) return undefined;
		const reply = replyFor('rate_limited', { headers: { 'Retry-After': String(admission.retryAfterSeconds) } });
		return reject(reply, undefined, `rate_limited\n${limit.key}\n${key.slice(0, 256)}\n${admission.windowStart}`);
	};
	// A configuration mistake (bad allowlist entry or schema, missing credential): the caller
	// learns only that; the detail, which may describe the node's setup, goes to n8n's log.
	const misconfigured = (error: unknown): CallResult => {
		reports.misconfigured(error);
		return answer(CONFIGURATION_ERROR_REPLY);
	};

	if (log instanceof DefaultStoreUnavailable) return misconfigured(log);

	// Listening in the editor, a replay token from Webhook Deliveries makes a stored delivery the
	// test event. Not logged: the call is n8n replaying to itself, and its header is a token.
	const replayToken = node.test ? testReplayTokenOf(call.headers) : undefined;
	if (replayToken !== undefined) {
		let replayed: Record<string, unknown> | undefined;
		try {
			replayed = await replayedTestItem(node.delivery.store, replayToken, node, deliveryId, call.now);
		} catch (error) {
			reports.problem(`taking a replay token failed: ${(error as Error).message}`);
			return { answer: toAnswer(replyFor('store_unavailable')) };
		}
		if (replayed === undefined) {
			const refused = replyFor('replay_token_invalid');
			reports.rejected(refused.code, call.ip);
			return { answer: toAnswer(refused), workflowData: [[testRejectionItem(refused)]] };
		}
		const body = JSON.stringify({ replayed: replayed.replayOf, deliveryId });
		return { answer: { status: 200, headers: {}, body, contentType: 'application/json' }, workflowData: [[{ json: replayed as IDataObject }]] };
	}

	let config: Omit<GateConfig, keyof CallerRules>;
	let limit: RateLimitSettings | undefined;
	try {
		// Cheapest first: the caller's address and Origin need no credential and no body.
		const refused = admitCaller(call, node.callerRules());
		if (refused) return reject(refused);
		limit = rateLimitOf(options);
		// Keyed on the address, a flood is refused before any verification: only the flooder pays.
		const limited = limit && limitsBeforeVerification(limit) ? await overLimit(limit, call.ip ?? '') : undefined;
		if (limited) return limited;
		config = await node.gateConfig();
	} catch (error) {
		return misconfigured(error);
	}
	redactions = redactionsFor(config.scheme, config.credentials);
	call.rawBody = await node.rawBody();
	let admitted;
	try {
		admitted = admitRequest(call, config);
	} catch (error) {
		return misconfigured(error);
	}
	const responseMode = node.responseMode;
	// The inbox stores the delivery and answers; a test call runs at once (answered early).
	const inbox = node.test ? undefined : inboxSettingsOf(responseMode, options);
	if (admitted.kind === 'reply') {
		// Inbox mode keeps a call refused for its signature, so a fixed secret can replay it.
		if (inbox !== undefined && keepsRefusal(config.scheme, admitted.code)) {
			const webhookUrl = signsPublicUrl(config.scheme) ? node.webhookUrl?.() : undefined;
			const refused = { id: deliveryId, workflowId: node.workflowId, nodeName: node.nodeName, receivedAt: new Date(call.now), call: storedCallOf(call, config.scheme, config.credentials, webhookUrl) };
			await keepRefusal(node.delivery.store, refused).catch((error: unknown) => reports.problem(`keeping a refused call for replay failed: ${(error as Error).message}`));
		}
		// Listening for a test event: say what was expected and what arrived (no secret).
		const testing = admitted.status >= 400 && node.test;
		return reject(admitted, testing ? explainRejection(call, config.scheme, config.credentials) : undefined);
	}

	const root = { body: call.body, headers: call.headers, query: call.query, params: call.params };
	// Keyed on the call's content (or the whole node), only verified calls spend the quota.
	if (limit && !limitsBeforeVerification(limit)) {
		const limited = await overLimit(limit, limit.key === 'node' ? '' : (keyText(resolvePath(root, limit.path)) ?? ''));
		if (limited) return limited;
	}

	const early = inbox === undefined && responseMode === 'onReceived' && !answersAfterStart(responseMode, options);
	// Last, after every other check: a forged or refused call never claims a delivery key nor
	// resumes anything. Duplicates, resume and the answer mode decide together (delivery.ts).
	// Keys read the call as sent, not the item's redacted copy: Twilio's delivery id header
	// (i-twilio-idempotency-token) has a name the redaction hides.
	const key = deliveryKeyOf(options, config.scheme, root);
	// execute() finds the claim to confirm by the item's deliveryId.
	const item = logOn || key !== undefined || inbox !== undefined ? { ...admitted.item, deliveryId } : admitted.item;
	const next = await decideDelivery(
		node.delivery,
		{
			workflowId: node.workflowId,
			nodeName: node.nodeName,
			path: node.path,
			deliveryId,
			key,
			windowHours: options.duplicateWindowHours ?? DEFAULT_DUPLICATE_WINDOW_HOURS,
			early,
			resume: resumeSettingsOf(options),
			test: node.test,
			now: call.now,
		},
		{ root, item },
	);
	if (next.kind === 'misconfigured') return misconfigured(next.error);
	if (next.kind === 'answer') {
		if (next.problem) reports.problem(next.problem);
		return answer(next.reply);
	}
	const ack = acknowledgement(options, inbox !== undefined);
	const ackAnswer = { status: ack.status, headers: { ...ack.headers, ...trace }, body: ack.body };
	if (next.kind === 'resumed') {
		record({ outcome: 'resumed', status: ack.status, reason: null, item });
		if (logOn) log.linkExecution(deliveryId, next.executionId);
		return { answer: ackAnswer };
	}
	if (inbox !== undefined) {
		try {
			await storeInInbox(node.delivery.store, { workflowId: node.workflowId, nodeName: node.nodeName, deliveryId, item, receivedAt: call.now, keyed: key !== undefined });
		} catch (error) {
			if (error instanceof DefaultStoreUnavailable) return misconfigured(error);
			// Not stored, so not started: the key goes with the 503, and the retry is a first copy.
			if (key !== undefined) await node.delivery.store.open().then(async (db) => await releaseDeliveryKey(db, deliveryId)).catch(() => undefined);
			reports.problem(`storing a delivery in the inbox failed, answered 503: ${(error as Error).message}`);
			return answer(INBOX_UNAVAILABLE_REPLY);
		}
		record({ outcome: 'accepted', status: ack.status, reason: next.reason, item });
		return { answer: ackAnswer };
	}
	// One input for execute(), which routes it to its output (see acknowledge.ts for why).
	const workflowData: INodeExecutionData[][] = [[{ json: item as IDataObject }]];
	// Status 0: the workflow answers (When Last Node Finishes, Respond to Webhook).
	record({ outcome: 'accepted', status: responseMode === 'onReceived' ? ack.status : 0, reason: next.reason, item });
	return early ? { answer: ackAnswer, workflowData } : { workflowData };
}
