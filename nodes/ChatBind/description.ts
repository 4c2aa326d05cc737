import type { INodeProperties } from 'n8n-workflow';

import { defaultCountryOption, embeddedFolderOption, storeProperty } from '../shared/storeDescription';

export const chatBindProperties: INodeProperties[] = [
	storeProperty,
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom' },
			{ name: 'Email', value: 'email' },
			{ name: 'Instagram', value: 'instagram' },
			{ name: 'Messenger', value: 'messenger' },
			{ name: 'Phone / SMS', value: 'sms' },
			{ name: 'Telegram', value: 'telegram' },
			{ name: 'Web Chat', value: 'webchat' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		default: 'whatsapp',
	},
	{
		displayName: 'Contact',
		name: 'contact',
		type: 'string',
		default: '',
		placeholder: '={{ $json.body.customer.phone }}',
		description: 'Phone number, email or handle the chat is with. Empty: the item leaves by "headless".',
	},
	{
		displayName: 'Contact Type',
		name: 'contactType',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom' },
			{ name: 'Email', value: 'email' },
			{ name: 'Instagram', value: 'instagram' },
			{ name: 'Messenger', value: 'messenger' },
			{ name: 'Phone', value: 'phone' },
			{ name: 'Telegram', value: 'telegram' },
			{ name: 'Web Chat', value: 'webchat' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		default: 'whatsapp',
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '={{ $json.customer ? $json.customer.id : "" }}',
		description:
			'Customer the chat belongs to (Customer Bind puts it in customer.ID). Empty: found by the contact, or created from it.',
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
