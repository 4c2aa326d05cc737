import type { INodeProperties } from 'n8n-workflow';

import { DELIVERY_OUTCOMES, MAX_LIST_LIMIT } from '../shared/store/deliveries';
import { MAX_REPLAY_LIMIT } from '../shared/store/inboxReplay';
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
				action: 'Replay deliveries',
				description:
					'Runs deliveries stored by the inbox again (one by ID, or all matching a filter), each as a new delivery whose item carries replayOf',
			},
		],
		default: 'list',
	},
	{ ...storeProperty, description: 'The store the Webhook Trigger\'s Delivery Log writes to' },
	{
		displayName: 'Replay',
		name: 'replayBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Delivery (by ID)', value: 'id' },
			{
				name: 'All Matching a Filter',
				value: 'filter',
				description: 'Finished deliveries the inbox still holds, oldest first; one already replayed is skipped',
			},
		],
		default: 'id',
		displayOptions: { show: { operation: ['replay'] } },
		description:
			'Only deliveries stored by Answer After the Delivery Is Stored (Inbox) in the last 7 days can be replayed: the inbox holds their items. A call refused for its signature in that mode is kept too and verified again when replayed.',
	},
	{
		displayName: 'Delivery ID',
		name: 'deliveryId',
		type: 'string',
		default: '',
		required: true,
		// Get, and Replay of one delivery (replayBy is absent for Get, so "hide" rather than "show").
		displayOptions: { show: { operation: ['get', 'replay'] }, hide: { replayBy: ['filter'] } },
		placeholder: '3f0c2a4e-…',
		description:
			'The ID from the X-Delivery-ID header, or the deliveryId field of a trigger item. Replay takes deliveries stored by Answer After the Delivery Is Stored (Inbox) in the last 7 days, once they have run (done or failed), and calls that mode refused for their signature.',
	},
	{
		displayName: 'Replay To',
		name: 'replayTo',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Its Workflow (Inbox)', value: 'inbox', description: 'Runs again as a new delivery of its workflow' },
			{
				name: 'The Test URL (Editor Listening)',
				value: 'testUrl',
				description: "Becomes the test event of the trigger listening in the editor, to map variables from a real call; nothing runs in production",
			},
		],
		default: 'inbox',
		displayOptions: { show: { operation: ['replay'], replayBy: ['id'] } },
	},
	{
		displayName: 'Test URL',
		name: 'testUrl',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { operation: ['replay'], replayBy: ['id'], replayTo: ['testUrl'] } },
		placeholder: 'http://localhost:5678/webhook-test/orders',
		description:
			"The Test URL shown in the delivery's Webhook Trigger (Webhook URLs > Test URL). Click Listen for Test Event there first. Takes deliveries the inbox holds, or that the delivery log kept with Keep Bodies.",
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
	{
		displayName: 'Outcome',
		name: 'replayOutcome',
		type: 'options',
		options: [
			{ name: 'Failed', value: 'failed', description: 'Every attempt failed' },
			{ name: 'Succeeded', value: 'done', description: 'An execution succeeded: replaying runs it again' },
			{ name: 'Failed or Succeeded', value: 'finished' },
			{
				name: 'Refused at Arrival',
				value: 'refused',
				description: 'Signed calls refused for their signature or timestamp: each is verified again with the credential as it is now, and runs only if it passes',
			},
		],
		default: 'failed',
		displayOptions: { show: { operation: ['replay'], replayBy: ['filter'] } },
		description: 'How the delivery ended in the inbox. Deliveries still queued, running or retrying are never replayed.',
	},
	{
		displayName: 'Filters',
		name: 'replayFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { operation: ['replay'], replayBy: ['filter'] } },
		options: [
			{ displayName: 'Node Name', name: 'nodeName', type: 'string', default: '', placeholder: 'Webhook Trigger' },
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				placeholder: 'replay',
				description: 'The reason code of its delivery log record, e.g. replay; deliveries the log did not record never match',
			},
			{ displayName: 'Received After', name: 'since', type: 'dateTime', default: '' },
			{ displayName: 'Received Before', name: 'until', type: 'dateTime', default: '' },
			{ displayName: 'Workflow ID', name: 'workflowId', type: 'string', default: '', description: 'Empty: every workflow' },
		],
	},
	{
		displayName: 'Limit',
		name: 'replayLimit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_REPLAY_LIMIT },
		default: 100,
		displayOptions: { show: { operation: ['replay'], replayBy: ['filter'] } },
		description: 'Max number of deliveries to replay, oldest first; run again for the next ones',
	},
	{ ...storeOptionsProperty, options: [embeddedFolderOption] },
];
