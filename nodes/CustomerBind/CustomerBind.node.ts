import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { forEachStoreItem, webhookGatewayPostgresConnectionTest } from '../shared/storeAccess';
import { bindCustomer } from '../shared/store/customers';
import type { CustomerBindInput } from '../shared/store/customers';
import { customerBindProperties } from './description';
import { postgresStoreCredential } from '../shared/storeDescription';

type FieldName = keyof CustomerBindInput;

/** Rows of the Fields parameter → one entry per field; a repeated field keeps its last non-empty value. */
function toInput(rows: Array<{ field: FieldName; value: unknown; find: boolean }>): CustomerBindInput {
	const input: CustomerBindInput = {};
	for (const row of rows) {
		const previous = input[row.field];
		const empty = row.value === undefined || row.value === null || String(row.value).trim() === '';
		input[row.field] = {
			value: empty && previous ? previous.value : (row.value as string | number | null),
			find: Boolean(row.find) || Boolean(previous?.find),
		};
	}
	return input;
}

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
		// An agent may look a customer up or record one: a bounded store query, answered at once.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Name and test stay literal: n8n's lint rules read them from the node file.
			{ name: 'webhookGatewayPostgresApi', testedBy: 'webhookGatewayPostgresConnectionTest', ...postgresStoreCredential },
		],
		properties: customerBindProperties,
	};

	methods = { credentialTest: { webhookGatewayPostgresConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await forEachStoreItem(this, { outputs: 1, errorKeepsInput: true }, async ({ store, item, itemIndex, emit }) => {
			const rows = this.getNodeParameter('fields.values', itemIndex, []) as Parameters<typeof toInput>[0];
			const defaultCountry = this.getNodeParameter('options.defaultCountry', itemIndex, 'US') as string;
			const result = await bindCustomer(store, toInput(rows), { defaultCountry });
			emit({
				...item.json,
				customer: result.customer,
				customerAction: result.action,
				matchedCustomerIds: result.matchedIds,
				// Contacts given but not attached because another customer owns them, as
				// { type, value, customerId }: the bind succeeded, yet these two customers may be one
				// person, which a later node can review. Empty when every contact was attached.
				skippedContacts: result.skippedContacts,
			});
		});
	}
}
