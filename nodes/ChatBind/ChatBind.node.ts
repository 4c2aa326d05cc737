import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { chatBindProperties } from './description';

export class ChatBind implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat Bind',
		name: 'chatBind',
		icon: { light: 'file:chatBind.svg', dark: 'file:chatBind.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["channel"]}}',
		description: 'Finds or creates the chat for a channel and contact, linked to the customer',
		defaults: { name: 'Chat Bind' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Bound' },
			{ type: NodeConnectionTypes.Main, displayName: 'Headless' },
		],
		outputNames: ['bound', 'headless'],
		credentials: [
			{
				name: 'webhookGatewayPostgresApi',
				required: true,
				displayOptions: { show: { store: ['postgres'] } },
				testedBy: 'webhookGatewayPostgresConnectionTest',
			},
		],
		properties: chatBindProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Chat Bind store is not wired yet');
	}
}
