import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { forEachStoreItem, webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { getDelivery, isDeliveryId, listDeliveries } from '../shared/store/deliveries';
import { timeOrderedId } from '../shared/store/ids';
import { replayDelivery, replayMatching } from '../shared/store/inboxReplay';
import type { Replay } from '../shared/store/inboxReplay';
import { webhookDeliveriesProperties } from './description';
import { listFilterOf, replayFilterOf } from './filters';
import { replayToTestUrl } from './testUrlReplay';
import { postgresStoreCredential } from '../shared/storeDescription';

/** Reads the Webhook Trigger's delivery log: what happened to each call, accepted or not. */
export class WebhookDeliveries implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Deliveries',
		name: 'webhookDeliveries',
		icon: { light: 'file:webhookDeliveries.svg', dark: 'file:webhookDeliveries.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["store"]}}',
		description: 'Lists the calls Webhook Triggers answered, with why each was accepted or rejected, and replays inbox deliveries',
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
				const emitReplay = (replay: Replay) => emit({ deliveryId: replay.id, replayOf: replay.replayOf, workflowId: replay.workflowId, nodeName: replay.nodeName });
				if (this.getNodeParameter('replayBy', itemIndex, 'id') === 'filter') {
					// None matching is no error: the replay found nothing left to run.
					(await replayMatching(store, replayFilterOf(this, itemIndex), new Date(), () => timeOrderedId())).forEach(emitReplay);
					return;
				}
				const id = String(this.getNodeParameter('deliveryId', itemIndex, '')).trim();
				if (this.getNodeParameter('replayTo', itemIndex, 'inbox') === 'testUrl') {
					emit(await replayToTestUrl(this, store, id, String(this.getNodeParameter('testUrl', itemIndex, '')), itemIndex));
					return;
				}
				const result = isDeliveryId(id) ? await replayDelivery(store, id, timeOrderedId(), new Date()) : { kind: 'missing' as const };
				if (result.kind === 'missing') {
					throw new NodeOperationError(this.getNode(), `No delivery with ID "${id}" in the inbox`, {
						itemIndex,
						description: 'Replay takes deliveries stored by Answer After the Delivery Is Stored (Inbox); the inbox keeps them 7 days after they ran',
					});
				}
				if (result.kind === 'unfinished') {
					throw new NodeOperationError(this.getNode(), `Delivery "${id}" is still ${result.state}: it will run, so replaying it now would run it twice`, {
						itemIndex,
						description: 'Replay a delivery once it is done or failed (Get shows its inbox state)',
					});
				}
				const { replay } = result;
				emitReplay(replay);
				return;
			}
			if (operation === 'get') {
				const id = String(this.getNodeParameter('deliveryId', itemIndex, '')).trim();
				const delivery = await getDelivery(store, id);
				if (!delivery) throw new NodeOperationError(this.getNode(), `No delivery with ID "${id}"`, { itemIndex });
				emit({ ...delivery });
				return;
			}
			for (const delivery of await listDeliveries(store, listFilterOf(this, itemIndex))) emit({ ...delivery });
		});
	}
}
