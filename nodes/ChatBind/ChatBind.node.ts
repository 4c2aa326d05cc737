import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { forEachStoreItem, webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { bindChat } from '../shared/store/chats';
import { chatBindProperties } from './description';
import { postgresStoreCredential } from '../shared/storeDescription';

/** The outputs, in the order `outputs` lists them. */
const BOUND = 0;
const HEADLESS = 1;

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
		// An agent may find or open the chat for a contact: a bounded store query, answered at once.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Bound' },
			{ type: NodeConnectionTypes.Main, displayName: 'Headless' },
		],
		// Name and test stay literal: n8n's lint rules read them from the node file.
		credentials: [{ name: 'webhookGatewayPostgresApi', testedBy: 'webhookGatewayPostgresConnectionTest', ...postgresStoreCredential }],
		properties: chatBindProperties,
	};

	methods = { credentialTest: { webhookGatewayPostgresConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await forEachStoreItem(this, { outputs: 2, errorKeepsInput: true }, async ({ store, item, itemIndex, emit }) => {
			const result = await bindChat(
				store,
				{
					channel: this.getNodeParameter('channel', itemIndex) as string,
					contactType: this.getNodeParameter('contactType', itemIndex) as string,
					contact: this.getNodeParameter('contact', itemIndex, '') as string,
					customerId: this.getNodeParameter('customerId', itemIndex, '') as string,
				},
				{ defaultCountry: this.getNodeParameter('options.defaultCountry', itemIndex, 'US') as string },
			);
			// No usable contact: chat-dependent nodes sit on the bound path only.
			if (result.headless) emit({ ...item.json, mode: 'headless' }, HEADLESS);
			else emit({ ...item.json, chat: result.chat, chatAction: result.action, mode: 'full' }, BOUND);
		});
	}
}
