import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { storeProperty } from '../shared/storeDescription';

/**
 * The resume webhook n8n serves at the execution's resume URL while it waits (`restartWebhook`),
 * as n8n's own Wait node declares it. Only the Webhook Trigger's hand-over, carrying the token of
 * its claim, gets through (see WaitForWebhook.webhook).
 */
export const resumeWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
	},
];

export const waitForWebhookProperties: INodeProperties[] = [
	{
		displayName:
			'The execution waits here until a call to the Webhook Trigger named below carries this key (its option Resume Waiting Executions names where), or the timeout passes. On timeout the execution continues with this node\'s input items.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger Path',
		name: 'triggerPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'payments',
		description: 'Path of the Webhook Trigger whose verified calls may resume this execution (the trigger\'s Path parameter)',
	},
	{
		displayName: 'Correlation Key',
		name: 'correlationKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.orderId }}',
		description:
			'The business key the resuming call carries, e.g. the order ID sent to the provider. Compared exactly (case-sensitive); taken from the first item.',
	},
	{
		displayName: 'Timeout Amount',
		name: 'timeoutAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'How long to wait for the call (at most 365 days)',
	},
	{
		displayName: 'Timeout Unit',
		name: 'timeoutUnit',
		type: 'options',
		options: [
			{ name: 'Seconds', value: 'seconds' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		default: 'hours',
	},
	{
		...storeProperty,
		description: "Where waiting executions are registered: the same store as the Webhook Trigger's (embedded or the same PostgreSQL credential)",
	},
];
