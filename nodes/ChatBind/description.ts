import type { INodeProperties } from 'n8n-workflow';

import { CHAT_CHANNELS, CHAT_CONTACT_TYPES } from '../shared/store/chats';
import { contactNames, storeOptionsProperty, storeProperty, valueOptions } from '../shared/storeDescription';

export const chatBindProperties: INodeProperties[] = [
	storeProperty,
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: valueOptions(CHAT_CHANNELS, contactNames),
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
		options: valueOptions(CHAT_CONTACT_TYPES, contactNames),
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
	storeOptionsProperty,
];
