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
import { parseIpAllowlist, parseOriginAllowlist } from './allowlist';
import { credentialTypeFor, isAuthScheme } from './auth';
import { webhookCredentialCheck } from './credentialCheck';
import { DEFAULT_MAX_BODY_BYTES, webhookDescriptions, webhookTriggerProperties } from './description';
import { admitCaller, admitRequest } from './gate';
import type { CallerRules, GateConfig, IncomingCall, Reply } from './gate';
import { LogLimiter } from './logLimiter';
import type { VariableMapping } from './paths';
import { configuredOutputs, routeItems } from './routing';
import type { RoutingCase } from './routing';

interface TriggerOptions extends AcknowledgementOptions {
	jsonSchema?: string | object;
	maxBodyBytes?: number;
	saveBodyAs?: string;
}

export class WebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Trigger',
		name: 'webhookTrigger',
		icon: { light: 'file:webhookTrigger.svg', dark: 'file:webhookTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["authentication"] + ": /" + $parameter["path"]}}',
		description: 'Starts the workflow when an external system calls a verified webhook',
		eventTriggerDescription: 'Waiting for you to call the Test URL',
		activationMessage: 'You can now make calls to your production webhook URL.',
		defaults: { name: 'Webhook Trigger' },
		inputs: [],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		credentials: [
			{
				name: 'webhookBearerAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['bearer'] } },
				testedBy: 'webhookCredentialCheck',
			},
			{
				name: 'webhookHeaderAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['header'] } },
				testedBy: 'webhookCredentialCheck',
			},
			{
				name: 'webhookQueryAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['query'] } },
				testedBy: 'webhookCredentialCheck',
			},
			{
				name: 'webhookHmacApi',
				required: true,
				displayOptions: { show: { authentication: ['hmac'] } },
				testedBy: 'webhookCredentialCheck',
			},
			{
				name: 'webhookSlackApi',
				required: true,
				displayOptions: { show: { authentication: ['slack'] } },
				testedBy: 'webhookCredentialCheck',
			},
			{
				name: 'webhookMetaApi',
				required: true,
				displayOptions: { show: { authentication: ['meta'] } },
				testedBy: 'webhookCredentialCheck',
			},
		],
		webhooks: webhookDescriptions,
		properties: webhookTriggerProperties,
	};

	methods = { credentialTest: { webhookCredentialCheck } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const send = (reply: Pick<Reply, 'status' | 'headers' | 'contentType' | 'body'>) => {
			res.status(reply.status);
			for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
			if (reply.status === 204) res.end();
			else res.type(reply.contentType).send(reply.body);
		};
		const answer = (reply: Pick<Reply, 'status' | 'headers' | 'contentType' | 'body'>): IWebhookResponseData => {
			send(reply);
			return { noWebhookResponse: true };
		};
		// A configuration mistake (bad allowlist entry or schema, missing credential): the caller
		// learns only that; the detail, which may describe the node's setup, goes to n8n's log.
		const configurationError = (error: unknown): IWebhookResponseData => {
			logConfigurationError(this, error);
			return answer(CONFIGURATION_ERROR_REPLY);
		};

		// Cheapest first: the caller's address and Origin need no credential and no body.
		let rules: CallerRules;
		try {
			rules = readCallerRules(this);
		} catch (error) {
			return configurationError(error);
		}
		const refused = admitCaller({ ip: req.ip, headers: req.headers }, rules);
		if (refused) return answer(refused);

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		let config: Omit<GateConfig, keyof CallerRules>;
		try {
			config = await readConfig(this, options);
		} catch (error) {
			return configurationError(error);
		}

		// n8n pre-reads the raw bytes only for some content types and node versions.
		if (req.rawBody === undefined && typeof req.readRawBody === 'function' && !req.is('multipart/form-data')) {
			await req.readRawBody();
		}

		const call: IncomingCall = {
			webhookName: this.getWebhookName(),
			method: req.method,
			headers: req.headers,
			query: req.query as Record<string, unknown>,
			params: (req.params ?? {}) as Record<string, unknown>,
			body: req.body,
			rawBody: Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined,
			ip: req.ip,
			now: Date.now(),
		};
		let decision;
		try {
			decision = admitRequest(call, config);
		} catch (error) {
			return configurationError(error);
		}
		if (decision.kind === 'reply') return answer(decision);

		// One input for execute(), which routes it to its output (see acknowledge.ts for why).
		const workflowData: INodeExecutionData[][] = [[{ json: decision.item as IDataObject }]];
		const responseMode = this.getNodeParameter('responseMode', 'onReceived') as string;
		if (responseMode !== 'onReceived' || answersAfterStart(responseMode, options)) return { workflowData };

		const early = acknowledgement(options);
		res.status(early.status);
		for (const [name, value] of Object.entries(early.headers)) res.setHeader(name, value);
		if (early.status === 204) res.end();
		else res.send(early.body);
		return { noWebhookResponse: true, workflowData };
	}

	/**
	 * The execution's first step: routes the admitted call to its output and, in "Immediately"
	 * mode, answers the caller now that n8n has created the execution.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputs = routeItems(
			this.getInputData(),
			this.getNodeParameter('eventPath', 0, ''),
			(this.getNodeParameter('cases.values', 0, []) as RoutingCase[]) ?? [],
		);
		const options = this.getNodeParameter('options', 0, {}) as TriggerOptions;
		if (answersAfterStart(this.getNodeParameter('responseMode', 0, 'onReceived') as string, options)) {
			const answer = acknowledgement(options);
			await this.sendResponse({ body: answer.body, headers: answer.headers, statusCode: answer.status });
		}
		return outputs;
	}
}

const CONFIGURATION_ERROR_REPLY: Pick<Reply, 'status' | 'headers' | 'contentType' | 'body'> = {
	status: 500,
	headers: {},
	contentType: 'application/json',
	body: JSON.stringify({
		error: 'configuration_error',
		message: "This webhook is not configured correctly; the details are in n8n's log",
	}),
};

/** One line per node per minute, with a count of the calls that failed the same way meanwhile. */
const configurationErrorLog = new LogLimiter(60_000);

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
		ipAllowlist: parseIpAllowlist(context.getNodeParameter('ipAllowlist', '') as string),
		originAllowlist: parseOriginAllowlist(context.getNodeParameter('originAllowlist', '') as string),
	};
}

async function readConfig(
	context: IWebhookFunctions,
	options: TriggerOptions,
): Promise<Omit<GateConfig, keyof CallerRules>> {
	const scheme = context.getNodeParameter('authentication', 'none') as string;
	if (!isAuthScheme(scheme)) throw new NodeOperationError(context.getNode(), `Unknown authentication "${scheme}"`);
	const credentialType = credentialTypeFor(scheme);
	const schema = options.jsonSchema;
	return {
		scheme,
		credentials: credentialType ? await context.getCredentials(credentialType) : {},
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
