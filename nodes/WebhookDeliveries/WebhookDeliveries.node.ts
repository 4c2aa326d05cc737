import { randomUUID } from 'crypto';

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { forEachStoreItem, webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { getDelivery, isDeliveryId, listDeliveries } from '../shared/store/deliveries';
import { replayDelivery } from '../shared/store/inbox';
import type { DeliveryFilter } from '../shared/store/deliveries';
import { webhookDeliveriesProperties } from './description';
import { postgresStoreCredential } from '../shared/storeDescription';

interface Filters {
	workflowId?: string;
	nodeName?: string;
	outcome?: string;
	reason?: string;
	since?: string;
	until?: string;
}

function toDate(value: string | undefined, label: string, context: IExecuteFunctions, itemIndex: number): Date | undefined {
	if (!value) return undefined;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw new NodeOperationError(context.getNode(), `${label}: "${value}" is not a date`, { itemIndex });
	return date;
}

/** Reads the Webhook Trigger's delivery log: what happened to each call, accepted or not. */
export class WebhookDeliveries implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Deliveries',
		name: 'webhookDeliveries',
		icon: { light: 'file:webhookDeliveries.svg', dark: 'file:webhookDeliveries.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["store"]}}',
		description: 'Lists the calls Webhook Triggers answered, with why each was accepted or rejected',
		defaults: { name: 'Webhook Deliveries' },
		// An agent may read the delivery log ("which calls failed today?", secrets redacted) and replay
		// a stored delivery.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Name and test stay literal: n8n's lint rules read them from the node file.
			{ name: 'webhookGatewayPostgresApi', testedBy: 'webhookGatewayPostgresConnectionTest', ...postgresStoreCredential },
		],
		properties: webhookDeliveriesProperties,
	};

	methods = { credentialTest: { webhookGatewayPostgresConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The items out are deliveries, not the items in: an error item carries only the error.
		return await forEachStoreItem(this, { outputs: 1, errorKeepsInput: false }, async ({ store, itemIndex, emit }) => {
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			if (operation === 'replay') {
				const id = String(this.getNodeParameter('deliveryId', itemIndex, '')).trim();
				const replay = isDeliveryId(id) ? await replayDelivery(store, id, randomUUID(), new Date()) : undefined;
				if (!replay) {
					throw new NodeOperationError(this.getNode(), `No delivery with ID "${id}" in the inbox`, {
						itemIndex,
						description: 'Replay takes deliveries stored by Answer After the Delivery Is Stored (Inbox); the inbox keeps them 7 days after they ran',
					});
				}
				emit({ deliveryId: replay.id, replayOf: replay.replayOf, workflowId: replay.workflowId, nodeName: replay.nodeName });
				return;
			}
			if (operation === 'get') {
				const id = String(this.getNodeParameter('deliveryId', itemIndex, '')).trim();
				const delivery = await getDelivery(store, id);
				if (!delivery) throw new NodeOperationError(this.getNode(), `No delivery with ID "${id}"`, { itemIndex });
				emit({ ...delivery });
				return;
			}
			const filters = this.getNodeParameter('filters', itemIndex, {}) as Filters;
			const filter: DeliveryFilter = {
				workflowId: filters.workflowId?.trim() || undefined,
				nodeName: filters.nodeName?.trim() || undefined,
				outcome: filters.outcome || undefined,
				reason: filters.reason?.trim() || undefined,
				since: toDate(filters.since, 'Received After', this, itemIndex),
				until: toDate(filters.until, 'Received Before', this, itemIndex),
				limit: this.getNodeParameter('limit', itemIndex, 50) as number,
			};
			for (const delivery of await listDeliveries(store, filter)) emit({ ...delivery });
		});
	}
}
