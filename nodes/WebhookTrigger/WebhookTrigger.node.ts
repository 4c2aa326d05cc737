import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { acknowledgement, answersAfterStart } from './acknowledge';
import { credentialShownFor } from './auth';
import { webhookCredentialCheck } from './credentialCheck';
import { webhookDescriptions, webhookTriggerProperties } from './description';
import { newDeliveryId } from './delivery/deliveryRecord';
import { markStarted } from './delivery/duplicates';
import { testRejectionOf } from './gate/explain';
import type { IncomingCall } from './gate/gate';
import { handleCall } from './handleCall';
import { writeAnswer } from './writeAnswer';
import { inboxTrigger } from './inboxTrigger';
import { withNodeParameters } from './nodeParameters';
import { configuredOutputs, routeItems } from './gate/routing';
import type { RoutingCase } from './gate/routing';
import { duplicateKeyPathOf } from './triggerOptions';
import type { TriggerOptions } from './triggerOptions';
import { DefaultStoreUnavailable, storeOfNode } from '../shared/storeResolver';
import type { TriggerStore } from '../shared/storeResolver';
import { callNodeOf, callReportsOf, deliveryLogFor } from './webhookContext';
import { webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { postgresStoreCredential } from '../shared/storeDescription';

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
		const node = this.getNode();
		const context = withNodeParameters(this, node);
		const result = await handleCall(callNodeOf(context, node), call, newDeliveryId(call.now), callReportsOf(context, node));
		if (!result.answer) return { workflowData: result.workflowData };
		writeAnswer(res, result.answer);
		return { noWebhookResponse: true, workflowData: result.workflowData };
	}

	/** Runs the deliveries stored by "Answer After the Delivery Is Stored (Inbox)" (inboxTrigger.ts). */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await inboxTrigger(this);
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
		// One store per execution step: each storeOfNode() reads the node again (a deep copy in n8n).
		let store: TriggerStore | undefined;
		const storeOnce = () => (store ??= storeOfNode(this));
		const log = deliveryLogFor(this, storeOnce);
		// Reached only by a run webhook() did not admit (e.g. pinned data in a manual run).
		if (log instanceof DefaultStoreUnavailable) throw new NodeOperationError(this.getNode(), log.message);
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
				await markStarted(storeOnce(), deliveryIds);
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

