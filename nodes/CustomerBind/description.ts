import type { INodeProperties } from 'n8n-workflow';

import { CUSTOMER_FIELDS } from '../shared/store/customers';
import { contactNames, storeOptionsProperty, storeProperty, valueOptions } from '../shared/storeDescription';

export const customerBindProperties: INodeProperties[] = [
	storeProperty,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		placeholder: 'Add Field',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description:
			'Customer data from the item. Fields marked "Use to Find" are matched with OR; at least one is required.',
		options: [
			{
				name: 'values',
				displayName: 'Field',
				values: [
					{
						displayName: 'Field',
						name: 'field',
						type: 'options',
						options: valueOptions(CUSTOMER_FIELDS, contactNames),
						default: 'email',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: '={{ $json.body.customer.email }}',
					},
					{
						displayName: 'Use to Find',
						name: 'find',
						type: 'boolean',
						default: false,
						description: 'Whether to look the customer up by this field (OR across all marked fields)',
					},
				],
			},
		],
	},
	storeOptionsProperty,
];
