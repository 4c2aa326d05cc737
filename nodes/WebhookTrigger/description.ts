import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { authenticationOptions } from './auth';
import { responseModeField } from './acknowledge';
import { triggerOptionsProperty } from './optionFields';
import { parameterField, webhookFields } from './webhookFields';
import { storeProperty } from '../shared/storeDescription';

/**
 * Two webhooks on one path: `default` for the configured method and `setup` for GET, which serves
 * provider handshakes (Meta's hub.challenge, Dropbox's challenge, Okta's verification) and otherwise answers 405 without an execution.
 */
export const webhookDescriptions: IWebhookDescription[] = [
	{
		name: 'default',
		...webhookFields({
			httpMethod: parameterField(['httpMethod']),
			responseMode: responseModeField,
			responseData: {
				template: '={{$parameter["responseMode"] === "lastNode" ? "firstEntryJson" : ""}}',
				resolve: (parameters) => (parameters.responseMode === 'lastNode' ? 'firstEntryJson' : ''),
			},
			responseCode: {
				template: '={{$parameter["options"]["responseCode"] || 200}}',
				resolve: (parameters) => ((parameters.options ?? {}) as { responseCode?: number }).responseCode || 200,
			},
			path: parameterField(['path']),
		}),
		isFullPath: true,
	},
	{
		name: 'setup',
		httpMethod: 'GET',
		responseMode: 'onReceived',
		...webhookFields({ path: parameterField(['path']) }),
		isFullPath: true,
	},
];

const general: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'orders',
		required: true,
		description: 'The path the webhook listens on, e.g. "orders" for /webhook/orders',
	},
	{
		displayName: 'HTTP Method',
		name: 'httpMethod',
		type: 'options',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
		description: 'Method of the calls that start the workflow. GET on the same path serves provider handshakes.',
	},
	{
		displayName: 'Variable Mappings',
		name: 'variables',
		type: 'fixedCollection',
		placeholder: 'Add Mapping',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: 'Copy values from the call into the item\'s "variables" object; a missing path gives null',
		options: [
			{
				name: 'values',
				displayName: 'Mapping',
				values: [
					{
						displayName: 'Payload Path',
						name: 'path',
						type: 'string',
						default: '',
						placeholder: 'body.data[0].email',
						description: 'Dot notation with [N] indices, starting at body., headers. or query.',
					},
					{
						displayName: 'Variable Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'customer_email',
					},
				],
			},
		],
	},
];

const security: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		// From the verifier registry (auth/index.ts): one option per scheme or provider preset.
		options: authenticationOptions(),
		default: 'none',
	},
	{
		displayName: 'IP Allowlist',
		name: 'ipAllowlist',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: '203.0.113.7\n198.51.100.0/24\n2001:db8::/32',
		description:
			'One IPv4/IPv6 address or CIDR range per line; empty accepts any. Uses the client address n8n resolved (N8N_PROXY_HOPS), not a raw X-Forwarded-For header.',
	},
	{
		displayName: 'Origin Allowlist',
		name: 'originAllowlist',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'https://app.kiwify.com.br',
		description:
			'One origin per line (*.example.com allowed); empty accepts any. Server-to-server callers send no Origin header: leave it empty for them.',
	},
];

const events: INodeProperties[] = [
	{
		displayName: 'Event Path',
		name: 'eventPath',
		type: 'string',
		default: '',
		placeholder: 'body.event',
		description:
			'Where the event type is in the call. Empty: one output. Set: one output per case plus "else".',
	},
	{
		displayName: 'Cases',
		name: 'cases',
		type: 'fixedCollection',
		placeholder: 'Add Case',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: { hide: { eventPath: [''] } },
		options: [
			{
				name: 'values',
				displayName: 'Case',
				values: [
					{
						displayName: 'Label',
						name: 'label',
						type: 'string',
						default: '',
						placeholder: 'Purchase approved',
						description: 'Name of the output',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'order_approved',
						description: 'Exact event value that routes the call to this output',
					},
				],
			},
		],
	},
];

const response: INodeProperties[] = [
	{
		displayName: 'Respond',
		name: 'responseMode',
		type: 'options',
		options: [
			{
				name: 'Immediately',
				value: 'onReceived',
				description:
					'As soon as the call is verified and n8n has started the execution, with the status, headers and body below',
			},
			{
				name: 'When Last Node Finishes',
				value: 'lastNode',
				description: 'With the first item of the last node that ran',
			},
			{
				name: "Using 'Respond to Webhook' Node",
				value: 'responseNode',
				description: 'Response defined in that node',
			},
		],
		default: 'onReceived',
	},
];

const memory: INodeProperties[] = [
	{
		...storeProperty,
		description: 'Where the delivery log and duplicate suppression keep their records (the bind nodes\' store)',
	},
	{
		displayName: 'Delivery Log',
		name: 'deliveryLog',
		type: 'boolean',
		default: true,
		description:
			'Whether every call this trigger answers (accepted, rejected, handshake) is recorded in the store, for the Webhook Deliveries node',
	},
];

export const webhookTriggerProperties: INodeProperties[] = [
	...general,
	...security,
	...events,
	...response,
	...memory,
	triggerOptionsProperty,
];
