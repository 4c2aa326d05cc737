/**
 * n8n's side of a call: what the Webhook Trigger reads from its webhook or execute context (its
 * parameters, credential, store and log) and where it reports, as the ports handleCall.ts takes.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode, IWebhookFunctions, Logger, WorkflowExecuteMode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseIpAllowlistCached, parseOriginAllowlistCached } from './gate/allowlist';
import { credentialTypeFor, isAuthScheme, publicWebhookUrl, signsPublicUrl } from './auth';
import { cachedCredential } from './credentialCache';
import type { DeliveryLog } from './delivery/deliveryLog';
import { deliveryLogFor as processDeliveryLog } from './delivery/deliveryLog';
import { DEFAULT_MAX_BODY_BYTES } from './optionFields';
import type { CallerRules, GateConfig } from './gate/gate';
import type { CallNode, CallReports } from './handleCall';
import { LogLimiter } from './logLimiter';
import type { VariableMapping } from './gate/paths';
import type { RoutingCase } from './gate/routing';
import type { TriggerOptions } from './triggerOptions';
import { DefaultStoreUnavailable, storeRefusal, storeOfNode } from '../shared/storeResolver';
import type { TriggerStore } from '../shared/storeResolver';

/** A node parameter from the webhook or the execute step (whose reads take an item index). */
function parameter(context: IWebhookFunctions | IExecuteFunctions, name: string, fallback: unknown): unknown {
	return 'getWebhookName' in context
		? context.getNodeParameter(name, fallback)
		: (context as IExecuteFunctions).getNodeParameter(name, 0, fallback);
}

const logProblems = new LogLimiter(60_000);

/** The process-wide delivery log of a store; its write problems go to n8n's log, rate-limited. */
function deliveryLogOf(store: TriggerStore, logger: Logger): DeliveryLog {
	return processDeliveryLog(store.key, store.open, (message) => {
		const decision = logProblems.take(store.key);
		if (!decision.log) return;
		const more = decision.suppressed > 0 ? ` (${decision.suppressed} more problems since the last report)` : '';
		logger.warn(`Webhook Trigger delivery log: ${message}${more}`);
	});
}

/**
 * The node's delivery log, or undefined when it is off. A log on the embedded store in queue mode
 * is refused (DefaultStoreUnavailable): a log silently off would look like calls that never arrived.
 */
export function deliveryLogFor(
	context: IWebhookFunctions | IExecuteFunctions,
	storeOf: () => TriggerStore = () => storeOfNode(context),
): DeliveryLog | DefaultStoreUnavailable | undefined {
	if (parameter(context, 'deliveryLog', true) === false) return undefined;
	const store = storeOf();
	return storeRefusal(store) ?? deliveryLogOf(store, context.logger);
}

/** The allowlists, parsed (and cached) before anything else is read. */
function readCallerRules(context: IWebhookFunctions): CallerRules {
	return {
		ipAllowlist: parseIpAllowlistCached(context.getNodeParameter('ipAllowlist', '') as string),
		originAllowlist: parseOriginAllowlistCached(context.getNodeParameter('originAllowlist', '') as string),
	};
}

/** What reading the gate needs: the webhook's context, or the trigger's when its pump verifies a replay. */
export interface GateContext {
	getNodeParameter(name: string, fallback: unknown): unknown;
	getNode(): INode;
	getWorkflow(): { id?: string | null };
	getMode?(): WorkflowExecuteMode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/**
 * The node's gate with its credential; `webhookUrl` is the URL a caller signs (Twilio). `fresh`:
 * the credential as saved now, never the few seconds' reuse (a replay after a fix). `node`: the
 * context's node when the caller has it already.
 */
export async function readGateConfig(
	context: GateContext,
	options: TriggerOptions,
	webhookUrl: () => string,
	fresh = false,
	node: INode = context.getNode(),
): Promise<Omit<GateConfig, keyof CallerRules>> {
	const scheme = context.getNodeParameter('authentication', 'none') as string;
	if (!isAuthScheme(scheme)) throw new NodeOperationError(node, `Unknown authentication "${scheme}"`);
	const credentialType = credentialTypeFor(scheme);
	const saved: object = credentialType
		? ((await cachedCredential({
				workflowId: String(context.getWorkflow().id ?? ''),
				nodeName: node.name,
				credentialType,
				credentialId: node.credentials?.[credentialType]?.id ?? undefined,
				cacheable: !fresh && context.getMode?.() !== 'manual',
				now: Date.now(),
				read: async () => await context.getCredentials(credentialType),
			})) as object)
		: {};
	const schema = options.jsonSchema;
	return {
		scheme,
		// Twilio signs the URL it called; n8n's public one (WEBHOOK_URL) is the fallback for its credential's Public URL.
		credentials: signsPublicUrl(scheme) ? { ...saved, webhookUrl: webhookUrl() } : saved,
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

/**
 * The Webhook Trigger of this webhook call, as handleCall() sees it. What only an admitted call
 * needs is read when asked for (getters): a refused call reads no more than it must. `node` is
 * read once per call (n8n deep-copies the whole node, parameters included, at every getNode()),
 * and so is the store.
 */
export function callNodeOf(context: IWebhookFunctions, node: INode = context.getNode()): CallNode {
	const req = context.getRequestObject();
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	let store: TriggerStore | undefined;
	const storeOnce = () => (store ??= storeOfNode(context, node));
	return {
		workflowId: String(context.getWorkflow().id ?? ''),
		nodeName: node.name,
		get path() {
			return context.getNodeParameter('path', '') as string;
		},
		test: context.getMode?.() === 'manual',
		get responseMode() {
			return context.getNodeParameter('responseMode', 'onReceived') as string;
		},
		options,
		log: deliveryLogFor(context, storeOnce),
		callerRules: () => readCallerRules(context),
		gateConfig: async () => await readGateConfig(context, options, () => publicWebhookUrl(context), false, node),
		webhookUrl: () => publicWebhookUrl(context),
		rawBody: async () => {
			// n8n pre-reads the raw bytes only for some content types and node versions.
			if (req.rawBody === undefined && typeof req.readRawBody === 'function' && !req.is('multipart/form-data')) {
				await req.readRawBody();
			}
			return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
		},
		get delivery() {
			return { store: storeOnce() };
		},
	};
}

/** One line per node per minute, with a count of the calls that failed the same way meanwhile. */
const configurationErrorLog = new LogLimiter(60_000);
const rejectionLog = new LogLimiter(60_000);

/** n8n's log for this node's calls: rejections and configuration errors rate-limited, no secret. */
export function callReportsOf(context: IWebhookFunctions, node: INode = context.getNode()): CallReports {
	const nodeName = node.name;
	const workflowId = context.getWorkflow().id ?? '';
	const limited = (limiter: LogLimiter, what: string, write: (more: string) => void) => {
		const decision = limiter.take(`${workflowId}\n${nodeName}`);
		if (decision.log) write(decision.suppressed > 0 ? ` (${decision.suppressed} more ${what} since the last report)` : '');
	};
	return {
		rejected: (reason, ip) =>
			limited(rejectionLog, 'rejected', (more) =>
				context.logger.warn(`Webhook Trigger "${nodeName}" in workflow ${workflowId} rejected a call: ${reason} from ${ip ?? 'unknown'}${more}`, {
					workflowId,
					nodeName,
					reason,
					clientIp: ip ?? null,
				}),
			),
		misconfigured: (error) =>
			limited(configurationErrorLog, 'calls failed the same way', (more) =>
				context.logger.error(
					`Webhook Trigger "${nodeName}" in workflow ${workflowId} answered 500 configuration_error: ${(error as Error).message}${more}`,
					{ workflowId, nodeName },
				),
			),
		problem: (message) => context.logger.warn(`Webhook Trigger "${nodeName}": ${message}`),
	};
}
