import type { INodeProperties } from 'n8n-workflow';

import { DELIVERY_OUTCOMES, MAX_LIST_LIMIT } from '../shared/store/deliveries';
import { embeddedFolderOption, storeOptionsProperty, storeProperty, valueOptions } from '../shared/storeDescription';

const outcomeNames: Record<string, string> = {
	accepted: 'Accepted',
	resumed: 'Resumed a Waiting Execution',
	rejected: 'Rejected',
	handshake: 'Handshake',
	duplicate: 'Duplicate',
	error: 'Configuration Error',
	overflow: 'Not Recorded (Log Buffer Full)',
};

export const webhookDeliveriesProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'List', value: 'list', action: 'List deliveries', description: 'Recent calls, newest first, filtered' },
			{ name: 'Get', value: 'get', action: 'Get a delivery', description: 'One call by its delivery ID' },
			{
				name: 'Replay',
				value: 'replay',
				action: 'Replay a delivery',
				description: 'Runs a delivery stored by the inbox again, as a new delivery whose item carries replayOf',
			},
		],
		default: 'list',
	},
	{ ...storeProperty, description: 'The store the Webhook Trigger\'s Delivery Log writes to' },
	{
		displayName: 'Delivery ID',
		name: 'deliveryId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { operation: ['get', 'replay'] } },
		placeholder: '3f0c2a4e-…',
		description:
			'The ID from the X-Delivery-ID header, or the deliveryId field of a trigger item. Replay takes deliveries stored by Answer After the Delivery Is Stored (Inbox) in the last 7 days.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { operation: ['list'] } },
		options: [
			{ displayName: 'Node Name', name: 'nodeName', type: 'string', default: '', placeholder: 'Webhook Trigger' },
			{
				displayName: 'Outcome',
				name: 'outcome',
				type: 'options',
				options: valueOptions(DELIVERY_OUTCOMES, outcomeNames),
				default: 'rejected',
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				placeholder: 'signature_mismatch',
				description: 'The code the call was answered with, e.g. signature_mismatch or ip_not_allowed',
			},
			{ displayName: 'Received After', name: 'since', type: 'dateTime', default: '' },
			{ displayName: 'Received Before', name: 'until', type: 'dateTime', default: '' },
			{
				displayName: 'Workflow ID',
				name: 'workflowId',
				type: 'string',
				default: '',
				description: 'Empty: every workflow',
			},
		],
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_LIST_LIMIT },
		default: 50,
		displayOptions: { show: { operation: ['list'] } },
		description: 'Max number of results to return',
	},
	{ ...storeOptionsProperty, options: [embeddedFolderOption] },
];
