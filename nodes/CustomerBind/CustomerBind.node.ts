import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { customerBindProperties } from './description';

export class CustomerBind implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customer Bind',
		name: 'customerBind',
		icon: { light: 'file:customerBind.svg', dark: 'file:customerBind.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["store"]}}',
		description: 'Finds a customer by any of several keys, then creates or updates it',
		defaults: { name: 'Customer Bind' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'webhookGatewayPostgresApi',
				required: true,
				displayOptions: { show: { store: ['postgres'] } },
				testedBy: 'webhookGatewayPostgresConnectionTest',
			},
		],
		properties: customerBindProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Customer Bind store is not wired yet');
	}
}
