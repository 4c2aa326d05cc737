import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { HANDOVER_TOKEN_HEADER, scopeOf } from '../shared/correlation';
import { acceptHandover, registerWait } from '../shared/store/waits';
import { toNodeError, webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { storeOfNode } from '../shared/storeResolver';
import { resumeWebhooks, waitForWebhookProperties } from './description';
import { waitSettings, WaitSettingsError } from './waitSettings';
import { postgresStoreCredential } from '../shared/storeDescription';

/**
 * Parks the execution until a verified call to a Webhook Trigger carries its correlation key, the
 * way n8n's Wait node waits for its resume URL (`putExecutionToWait`, a `restartWebhook`), so n8n
 * keeps it across restarts and in queue mode. The key → execution registry lives in the store.
 */
// Not an AI tool (no usableAsTool, which n8n types as `true` or a tool description): a tool call
// would park the agent's execution until some webhook arrives. CONTRIBUTING.md lists this exception.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class WaitForWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wait for Webhook',
		name: 'waitForWebhook',
		icon: { light: 'file:waitForWebhook.svg', dark: 'file:waitForWebhook.dark.svg' },
		group: ['organization'],
		version: 1,
		subtitle: '={{"/" + $parameter["triggerPath"] + ": " + $parameter["correlationKey"]}}',
		description: 'Waits until a verified webhook call carries this execution\'s correlation key (an order ID, a payment ID)',
		defaults: { name: 'Wait for Webhook' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Name and test stay literal: n8n's lint rules read them from the node file.
			{ name: 'webhookGatewayPostgresApi', testedBy: 'webhookGatewayPostgresConnectionTest', ...postgresStoreCredential },
		],
		webhooks: resumeWebhooks,
		properties: waitForWebhookProperties,
	};

	methods = { credentialTest: { webhookGatewayPostgresConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let settings;
		try {
			settings = waitSettings({
				triggerPath: this.getNodeParameter('triggerPath', 0, ''),
				correlationKey: this.getNodeParameter('correlationKey', 0, ''),
				timeoutAmount: this.getNodeParameter('timeoutAmount', 0, 1),
				timeoutUnit: this.getNodeParameter('timeoutUnit', 0, 'hours'),
			});
		} catch (error) {
			const description = error instanceof WaitSettingsError ? error.description : undefined;
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: 0, description });
		}
		const now = new Date();
		const waitTill = new Date(now.getTime() + settings.timeoutMs);
		try {
			const store = await storeOfNode(this).open();
			await registerWait(store, {
				// An execution started from the editor is resumed only by the trigger's test URL.
				scope: scopeOf(settings.scope, this.getMode() === 'manual'),
				key: settings.key,
				workflowId: String(this.getWorkflow().id ?? ''),
				executionId: this.getExecutionId(),
				nodeName: this.getNode().name,
				// What n8n's Wait node hands out: on n8n 2.x it carries the execution's resume token.
				resumeUrl: String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0)),
				now,
				expiresAt: waitTill,
			});
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
		// Past waitTill n8n resumes the execution itself: the node passes its input items on.
		await this.putExecutionToWait(waitTill);
		return [this.getInputData()];
	}

	/** The resume URL: only the trigger's hand-over (with its claim token) resumes the execution. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const header = this.getHeaderData()[HANDOVER_TOKEN_HEADER];
		const token = Array.isArray(header) ? header[0] : header;
		let accepted: boolean;
		try {
			accepted = await acceptHandover(await storeOfNode(this).open(), {
				executionId: this.getExecutionId(),
				nodeName: this.getNode().name,
				token,
				now: new Date(),
			});
		} catch (error) {
			this.logger.warn(`Wait for Webhook "${this.getNode().name}": the store could not be read, answered 503: ${(error as Error).message}`);
			res.status(503).json({ error: 'store_unavailable', message: 'Retry later' });
			return { noWebhookResponse: true };
		}
		if (!accepted) {
			res.status(403).json({ error: 'forbidden', message: 'This execution is resumed only by its Webhook Trigger' });
			return { noWebhookResponse: true };
		}
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}
