import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { webhookCredentialCheck } from './credentialCheck';

export class WebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Trigger',
		name: 'webhookTrigger',
		icon: { light: 'file:webhookTrigger.svg', dark: 'file:webhookTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["path"]}}',
		description: 'Starts the workflow when an external system calls a verified webhook',
		eventTriggerDescription: 'Waiting for you to call the Test URL',
		activationMessage: 'You can now make calls to your production webhook URL.',
		defaults: { name: 'Webhook Trigger' },
		inputs: [],
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
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: '',
				placeholder: 'orders',
				required: true,
				description: 'The path the webhook listens on',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Bearer Token', value: 'bearer' },
					{ name: 'Custom Header', value: 'header' },
					{ name: 'HMAC Signature', value: 'hmac' },
					{ name: 'Meta (WhatsApp, Messenger, Instagram)', value: 'meta' },
					{ name: 'None (Public)', value: 'none' },
					{ name: 'Query Parameter', value: 'query' },
					{ name: 'Slack Signing Secret', value: 'slack' },
				],
				default: 'none',
			},
		],
	};

	methods = { credentialTest: { webhookCredentialCheck } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getNodeParameter('authentication', 'none') !== 'none') {
			throw new NodeOperationError(this.getNode(), 'Only public webhooks are wired so far');
		}
		const req = this.getRequestObject();
		const item: IDataObject = {
			body: this.getBodyData(),
			headers: this.getHeaderData(),
			query: this.getQueryData() as IDataObject,
			method: req.method,
		};
		return { workflowData: [[{ json: item }]] };
	}
}
