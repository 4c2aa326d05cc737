import type { INodeProperties } from 'n8n-workflow';

import { defaultCountryOption, embeddedFolderOption, storeProperty } from '../shared/storeDescription';

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
						options: [
							{ name: 'Document', value: 'document' },
							{ name: 'Email', value: 'email' },
							{ name: 'Instagram', value: 'instagram' },
							{ name: 'Name', value: 'name' },
							{ name: 'Phone', value: 'phone' },
							{ name: 'Telegram', value: 'telegram' },
							{ name: 'WhatsApp', value: 'whatsapp' },
						],
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			defaultCountryOption,
			embeddedFolderOption,
		],
	},
];
