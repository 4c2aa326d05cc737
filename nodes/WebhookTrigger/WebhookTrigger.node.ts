import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { acknowledgement, answersAfterStart } from './acknowledge';
import type { AcknowledgementOptions } from './acknowledge';
import { parseIpAllowlistCached, parseOriginAllowlistCached } from './allowlist';
import {
	credentialShownFor,
	credentialTypeFor,
	isAuthScheme,
	presetDefaults,
	publicWebhookUrl,
	redactionsFor,
	signsPublicUrl,
} from './auth';
import type { Redactions } from './auth';
import { cachedCredential } from './credentialCache';
import { webhookCredentialCheck } from './credentialCheck';
import { DEFAULT_MAX_BODY_BYTES, webhookDescriptions, webhookTriggerProperties } from './description';
import type { DeliveryLog } from './deliveryLog';
import { deliveryLogOf, EmbeddedInQueueMode, queueModeRefusal, storeOfNode } from './triggerStore';
import type { Answered } from './deliveryRecord';
import { deliveryRecord, newDeliveryId } from './deliveryRecord';
import { DEFAULT_DUPLICATE_WINDOW_HOURS, duplicateKeyOf, markStarted } from './duplicates';
import { decideDelivery } from './delivery';
import { admitCaller, admitRequest } from './gate';
import type { CallerRules, GateConfig, IncomingCall, Reply } from './gate';
import { explainRejection, testRejectionItem, testRejectionOf } from './explain';
import { LogLimiter } from './logLimiter';
import type { VariableMapping } from './paths';
import { outcomeOf, replyFor } from './reasons';
import { resumeSettingsOf } from './resume';
import type { ResumeOptions } from './resume';
import { configuredOutputs, routeItems } from './routing';
import type { RoutingCase } from './routing';
import { webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { postgresStoreCredential } from '../shared/storeDescription';

interface TriggerOptions extends AcknowledgementOptions, ResumeOptions {
	jsonSchema?: string | object;
	maxBodyBytes?: number;
	saveBodyAs?: string;
	deliveryIdHeader?: boolean;
	duplicateKeyPath?: string;
	suppressDuplicates?: boolean;
	duplicateWindowHours?: number;
	keepBodies?: boolean;
	logRetentionDays?: number;
	logRetentionRows?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class WebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Trigger',
		name: 'webhookTrigger',
		icon: { light: 'file:webhookTrigger.svg', dark: 'file:webhookTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 changes nothing in the node: n8n reads a `binaryData` option through its expression
		// engine on every call to a version-1 webhook node, which on n8n 2.x builds an isolate for
		// nothing. New nodes get 1.1; saved version-1 nodes keep working as they were.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["authentication"] + ": /" + $parameter["path"]}}',
		description: 'Starts the workflow when an external system calls a verified webhook',
		eventTriggerDescription: 'Waiting for you to call the Test URL',
		activationMessage: 'You can now make calls to your production webhook URL.',
		defaults: { name: 'Webhook Trigger' },
		inputs: [],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		credentials: [
			// Which schemes show each credential comes from the verifier registry. The names stay literal
			// (one line per credential type, not per preset) because n8n's credential-test-required lint
			// reads them from this file; a unit test fails when this list and the registry differ.
			{ name: 'webhookBearerAuthApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookBearerAuthApi') },
			{ name: 'webhookHeaderAuthApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookHeaderAuthApi') },
			{ name: 'webhookQueryAuthApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookQueryAuthApi') },
			{ name: 'webhookHmacApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookHmacApi') },
			{ name: 'webhookSlackApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookSlackApi') },
			{ name: 'webhookMetaApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookMetaApi') },
			{ name: 'webhookSigningSecretApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookSigningSecretApi') },
			{ name: 'webhookTwilioApi', testedBy: 'webhookCredentialCheck', ...credentialShownFor('webhookTwilioApi') },
			// Name and test stay literal: n8n's lint rules read them from the node file.
			{ name: 'webhookGatewayPostgresApi', testedBy: 'webhookGatewayPostgresConnectionTest', ...postgresStoreCredential },
		],
		webhooks: webhookDescriptions,
		properties: webhookTriggerProperties,
	};

	methods = { credentialTest: { webhookCredentialCheck, webhookGatewayPostgresConnectionTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		// In queue mode a delivery log on the embedded store is refused, as every call's answer below.
		const logOrRefusal = deliveryLogFor(this);
		const log = logOrRefusal instanceof EmbeddedInQueueMode ? undefined : logOrRefusal;
		const deliveryId = newDeliveryId();
		const call: IncomingCall = {
			webhookName: this.getWebhookName(),
			method: req.method,
			headers: req.headers,
			query: req.query as Record<string, unknown>,
			params: (req.params ?? {}) as Record<string, unknown>,
			body: req.body,
			rawBody: undefined,
			ip: req.ip,
			now: Date.now(),
		};
		// Before the credential is read, the names it makes secret are unknown (deliveryRecord.ts).
		let redactions: Redactions | 'unknown' = 'unknown';
		const record = (answered: Answered) => {
			if (!log) return;
			const row = deliveryRecord(deliveryId, call, answered, {
				workflowId: String(this.getWorkflow().id ?? ''),
				nodeName: this.getNode().name,
				redactions,
				keepBodies: options.keepBodies === true,
			});
			log.record(row, {
				maxAgeMs: (options.logRetentionDays ?? 7) * DAY_MS,
				maxRows: options.logRetentionRows ?? 10_000,
			});
		};
		const traceHeaders: Record<string, string> = log && options.deliveryIdHeader ? { 'X-Delivery-Id': deliveryId } : {};
		const write = (status: number, headers: Record<string, string>, body: string, contentType?: string) => {
			res.status(status);
			for (const [name, value] of Object.entries({ ...headers, ...traceHeaders })) res.setHeader(name, value);
			if (status === 204) res.end();
			else (contentType ? res.type(contentType) : res).send(body);
		};
		const answer = (reply: Pick<Reply, 'status' | 'headers' | 'contentType' | 'body' | 'code'>): IWebhookResponseData => {
			write(reply.status, reply.headers, reply.body, reply.contentType);
			if (reply.status >= 400 && reply.status < 500) logRejection(this, reply.code, call.ip);
			record({ outcome: outcomeOf(reply.code), status: reply.status, reason: reply.code });
			return { noWebhookResponse: true };
		};
		// Listening for a test event, a rejection also starts the test execution, which fails at this
		// node with the reason: otherwise the editor keeps waiting (explain.ts). Production: answer only.
		const reject = (reply: Reply, explanation?: Record<string, unknown>): IWebhookResponseData => {
			if (reply.status < 400 || this.getMode?.() !== 'manual') return answer(reply);
			answer(explanation ? { ...reply, body: JSON.stringify({ ...(JSON.parse(reply.body) as object), explanation }) } : reply);
			return { noWebhookResponse: true, workflowData: [[testRejectionItem(reply, explanation)]] };
		};
		// A configuration mistake (bad allowlist entry or schema, missing credential): the caller
		// learns only that; the detail, which may describe the node's setup, goes to n8n's log.
		const configurationError = (error: unknown): IWebhookResponseData => {
			logConfigurationError(this, error);
			return answer(CONFIGURATION_ERROR_REPLY);
		};

		if (logOrRefusal instanceof EmbeddedInQueueMode) return configurationError(logOrRefusal);

		// Cheapest first: the caller's address and Origin need no credential and no body.
		let rules: CallerRules;
		try {
			rules = readCallerRules(this);
		} catch (error) {
			return configurationError(error);
		}
		const refused = admitCaller(call, rules);
		if (refused) return reject(refused);

		let config: Omit<GateConfig, keyof CallerRules>;
		try {
			config = await readConfig(this, options);
		} catch (error) {
			return configurationError(error);
		}
		redactions = redactionsFor(config.scheme, config.credentials);

		// n8n pre-reads the raw bytes only for some content types and node versions.
		if (req.rawBody === undefined && typeof req.readRawBody === 'function' && !req.is('multipart/form-data')) {
			await req.readRawBody();
		}
		call.rawBody = Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;

		let decision;
		try {
			decision = admitRequest(call, config);
		} catch (error) {
			return configurationError(error);
		}
		if (decision.kind === 'reply') {
			// Listening for a test event: say what was expected and what arrived (no secret).
			const testing = decision.status >= 400 && this.getMode?.() === 'manual';
			return reject(decision, testing ? explainRejection(call, config.scheme, config.credentials) : undefined);
		}

		const responseMode = this.getNodeParameter('responseMode', 'onReceived') as string;
		const early = responseMode === 'onReceived' && !answersAfterStart(responseMode, options);

		// Last, after every other check: a forged or refused call never claims a delivery key nor
		// resumes anything. Duplicates, resume and the answer mode decide together (delivery.ts).
		// On by default where the preset names its delivery id (Stripe body.id, GitHub's header, …).
		const keyPath = duplicateKeyPathOf(options, config.scheme);
		const root = { body: call.body, headers: call.headers, query: call.query, params: call.params };
		const key = keyPath === '' ? undefined : duplicateKeyOf(root, keyPath);
		// execute() finds the claim to confirm by the item's deliveryId.
		const item = log || key !== undefined ? { ...decision.item, deliveryId } : decision.item;
		const next = await decideDelivery(
			{ store: storeOfNode(this) },
			{
				workflowId: String(this.getWorkflow().id ?? ''),
				nodeName: this.getNode().name,
				path: this.getNodeParameter('path', '') as string,
				deliveryId,
				key,
				windowHours: options.duplicateWindowHours ?? DEFAULT_DUPLICATE_WINDOW_HOURS,
				early,
				resume: resumeSettingsOf(options),
				test: this.getMode?.() === 'manual',
				now: call.now,
			},
			{ root, item },
		);
		if (next.kind === 'misconfigured') return configurationError(next.error);
		if (next.kind === 'answer') {
			if (next.problem) this.logger.warn(`Webhook Trigger "${this.getNode().name}": ${next.problem}`);
			return answer(next.reply);
		}
		if (next.kind === 'resumed') {
			const ack = acknowledgement(options);
			write(ack.status, ack.headers, ack.body);
			record({ outcome: 'resumed', status: ack.status, reason: null, item });
			log?.linkExecution(deliveryId, next.executionId);
			return { noWebhookResponse: true };
		}
		const reason = next.reason;
		// One input for execute(), which routes it to its output (see acknowledge.ts for why).
		const workflowData: INodeExecutionData[][] = [[{ json: item as IDataObject }]];
		// Status 0: the workflow answers (When Last Node Finishes, Respond to Webhook).
		const status = responseMode === 'onReceived' ? acknowledgement(options).status : 0;
		record({ outcome: 'accepted', status, reason, item });
		if (!early) return { workflowData };

		const ack = acknowledgement(options);
		write(ack.status, ack.headers, ack.body);
		return { noWebhookResponse: true, workflowData };
	}

	/**
	 * The execution's first step: routes the admitted call to its output and, in "Immediately"
	 * mode, answers the caller now that n8n has created the execution.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// A rejected test call (see webhook()): the editor shows the reason as this node's error.
		const rejected = testRejectionOf(this.getInputData());
		if (rejected) throw new NodeOperationError(this.getNode(), rejected.message, { description: rejected.description });
		const outputs = routeItems(
			this.getInputData(),
			this.getNodeParameter('eventPath', 0, ''),
			(this.getNodeParameter('cases.values', 0, []) as RoutingCase[]) ?? [],
		);
		const options = this.getNodeParameter('options', 0, {}) as TriggerOptions;
		const executionId = this.getExecutionId();
		const log = deliveryLogFor(this);
		// Reached only by a run webhook() did not admit (e.g. pinned data in a manual run).
		if (log instanceof EmbeddedInQueueMode) throw new NodeOperationError(this.getNode(), log.message);
		const deliveryIds = this.getInputData()
			.map((item) => item.json.deliveryId)
			.filter((id): id is string => typeof id === 'string');
		if (log) for (const id of deliveryIds) log.linkExecution(id, executionId);
		const responseMode = this.getNodeParameter('responseMode', 0, 'onReceived') as string;
		// The execution runs: copies of these deliveries are duplicates from now on. If the store
		// cannot record that, the execution stops here (nothing downstream runs) and the caller, not
		// answered yet, retries: running on would let a later copy run the delivery a second time.
		const early = responseMode === 'onReceived' && !answersAfterStart(responseMode, options);
		if (!early && deliveryIds.length > 0 && duplicateKeyPathOf(options, this.getNodeParameter('authentication', 0, 'none') as string) !== '') {
			try {
				await markStarted(storeOfNode(this), deliveryIds);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Could not record that this delivery started; the caller will retry: ${(error as Error).message}`);
			}
		}
		if (answersAfterStart(responseMode, options)) {
			const answer = acknowledgement(options);
			const trace = log && options.deliveryIdHeader && deliveryIds.length ? { 'X-Delivery-Id': deliveryIds[0], 'X-Execution-Id': executionId } : {};
			await this.sendResponse({ body: answer.body, headers: { ...answer.headers, ...trace }, statusCode: answer.status });
		}
		return outputs;
	}
}

const CONFIGURATION_ERROR_REPLY = replyFor('configuration_error');

/** The duplicate key's path: the node's, else the preset's delivery id; '' when suppression is off. */
function duplicateKeyPathOf(options: TriggerOptions, scheme: string): string {
	if (options.suppressDuplicates === false) return '';
	return (options.duplicateKeyPath ?? '').trim() || (presetDefaults(scheme).deliveryIdPath ?? '');
}

/** One line per node per minute, with a count of the calls that failed the same way meanwhile. */
const configurationErrorLog = new LogLimiter(60_000);
const rejectionLog = new LogLimiter(60_000);

/** A node parameter from the webhook or the execute step (whose reads take an item index). */
function parameter(context: IWebhookFunctions | IExecuteFunctions, name: string, fallback: unknown): unknown {
	return 'getWebhookName' in context
		? context.getNodeParameter(name, fallback)
		: (context as IExecuteFunctions).getNodeParameter(name, 0, fallback);
}

/**
 * The node's delivery log, or undefined when it is off. A log on the embedded store in queue mode
 * is refused (EmbeddedInQueueMode): a log silently off would look like calls that never arrived.
 */
function deliveryLogFor(context: IWebhookFunctions | IExecuteFunctions): DeliveryLog | EmbeddedInQueueMode | undefined {
	if (parameter(context, 'deliveryLog', true) === false) return undefined;
	const store = storeOfNode(context);
	return queueModeRefusal(store) ?? deliveryLogOf(store, context.logger);
}

/** One warn line per node per minute for rejected calls, with a count of the others. No secret. */
function logRejection(context: IWebhookFunctions, reason: string, ip: string | undefined): void {
	const nodeName = context.getNode().name;
	const workflowId = context.getWorkflow().id ?? '';
	const decision = rejectionLog.take(`${workflowId}\n${nodeName}`);
	if (!decision.log) return;
	const more = decision.suppressed > 0 ? ` (${decision.suppressed} more rejected since the last report)` : '';
	context.logger.warn(`Webhook Trigger "${nodeName}" in workflow ${workflowId} rejected a call: ${reason} from ${ip ?? 'unknown'}${more}`, {
		workflowId,
		nodeName,
		reason,
		clientIp: ip ?? null,
	});
}

function logConfigurationError(context: IWebhookFunctions, error: unknown): void {
	const nodeName = context.getNode().name;
	const workflowId = context.getWorkflow().id ?? '';
	const decision = configurationErrorLog.take(`${workflowId}\n${nodeName}`);
	if (!decision.log) return;
	const more = decision.suppressed > 0 ? ` (${decision.suppressed} more calls failed the same way since the last report)` : '';
	context.logger.error(
		`Webhook Trigger "${nodeName}" in workflow ${workflowId} answered 500 configuration_error: ${(error as Error).message}${more}`,
		{ workflowId, nodeName },
	);
}

/** The allowlists, parsed (and cached) before anything else is read. */
function readCallerRules(context: IWebhookFunctions): CallerRules {
	return {
		ipAllowlist: parseIpAllowlistCached(context.getNodeParameter('ipAllowlist', '') as string),
		originAllowlist: parseOriginAllowlistCached(context.getNodeParameter('originAllowlist', '') as string),
	};
}

async function readConfig(
	context: IWebhookFunctions,
	options: TriggerOptions,
): Promise<Omit<GateConfig, keyof CallerRules>> {
	const scheme = context.getNodeParameter('authentication', 'none') as string;
	if (!isAuthScheme(scheme)) throw new NodeOperationError(context.getNode(), `Unknown authentication "${scheme}"`);
	const credentialType = credentialTypeFor(scheme);
	const saved: object = credentialType
		? ((await cachedCredential({
				workflowId: String(context.getWorkflow().id ?? ''),
				nodeName: context.getNode().name,
				credentialType,
				credentialId: context.getNode().credentials?.[credentialType]?.id ?? undefined,
				cacheable: context.getMode?.() !== 'manual',
				now: Date.now(),
				read: async () => await context.getCredentials(credentialType),
			})) as object)
		: {};
	const schema = options.jsonSchema;
	return {
		scheme,
		// Twilio signs the URL it called; n8n's public one (WEBHOOK_URL) is the fallback for its credential's Public URL.
		credentials: signsPublicUrl(scheme) ? { ...saved, webhookUrl: publicWebhookUrl(context) } : saved,
		maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
		jsonSchema: typeof schema === 'object' && schema !== null ? JSON.stringify(schema) : (schema ?? ''),
		eventPath: context.getNodeParameter('eventPath', '') as string,
		cases: (context.getNodeParameter('cases.values', []) as RoutingCase[]) ?? [],
		variables: ((context.getNodeParameter('variables.values', []) as VariableMapping[]) ?? []).filter(
			(mapping) => mapping.path && mapping.name,
		),
		saveBodyAs: options.saveBodyAs ?? '',
		method: context.getNodeParameter('httpMethod', 'POST') as string,
	};
}
