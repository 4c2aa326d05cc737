import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RESPONSE_BODY } from './acknowledge';

/** Default body limit: what FlowX and most providers document for webhook payloads. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The trigger's Options collection: everything a call can be tuned by beyond the main fields. */
export const triggerOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Add Delivery ID to Response',
			name: 'deliveryIdHeader',
			type: 'boolean',
			default: false,
			description:
				'Whether to answer with the delivery ID in an X-Delivery-ID header (and the execution ID in X-Execution-ID once n8n started it), so a caller can quote them',
		},
		{
			displayName: 'Answer After the Delivery Is Stored (Inbox)',
			name: 'inbox',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description:
				'Whether to answer (202 unless Response Code says otherwise) as soon as the delivery is stored, and run it afterwards at the pace the Inbox options set, retrying failed executions. Nothing answered is lost if n8n stops: stored deliveries run after it restarts. Calls on the Test URL run at once.',
		},
		{
			displayName: 'Answer Before the Execution Starts',
			name: 'answerBeforeStart',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description:
				'Whether to answer as soon as the call is verified, before n8n has started the execution. Fastest, but if n8n stops or crashes in between, the caller holds a 2xx and will not retry: the delivery is lost.',
		},
		{
			displayName: 'Body JSON Schema',
			name: 'jsonSchema',
			type: 'json',
			default: '',
			description:
				'JSON Schema the body must match; a call that does not is answered 422 with the list of errors and starts nothing',
		},
		{
			displayName: 'Delivery Log Retention (Days)',
			name: 'logRetentionDays',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 7,
		},
		{
			displayName: 'Delivery Log Retention (Rows)',
			name: 'logRetentionRows',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description: 'Per workflow, only the newest this many records are kept',
		},
		{
			displayName: 'Duplicate Key Path',
			name: 'duplicateKeyPath',
			type: 'string',
			default: '',
			placeholder: 'headers.x-github-delivery',
			description:
				'Where the provider\'s delivery ID is (a header or body path). A call whose key was already accepted within the window is answered 200 {"duplicate": true} and starts nothing. Empty: the preset\'s own delivery ID path (Stripe, GitHub, Shopify, …); none for generic schemes.',
		},
		{
			displayName: 'Duplicate Window (Hours)',
			name: 'duplicateWindowHours',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 24,
		},
		{
			displayName: 'Inbox Attempts',
			name: 'inboxAttempts',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 3, // INBOX_DEFAULTS (n8n's lint reads literal defaults)
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'With the inbox: how often a delivery whose execution fails is run in all, the first time included',
		},
		{
			displayName: 'Inbox Batch Size',
			name: 'inboxBatchSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1, // INBOX_DEFAULTS
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'With the inbox: up to this many stored deliveries run in one execution, as its items in arrival order (each with its deliveryId); a failed execution retries all of them',
		},
		{
			displayName: 'Inbox Batch Window (Ms)',
			name: 'inboxBatchWindowMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0, // INBOX_DEFAULTS
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'With the inbox and a batch size over 1: how long a batch that is not full waits for more deliveries (counted from its oldest) before it runs',
		},
		{
			displayName: 'Inbox Executions at Once',
			name: 'inboxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5, // INBOX_DEFAULTS
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'With the inbox: how many stored deliveries run at the same time; the others wait in arrival order',
		},
		{
			displayName: 'Inbox Executions per Minute',
			name: 'inboxPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0, // INBOX_DEFAULTS
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'With the inbox: at most this many executions start in any minute (a destination\'s rate limit); 0 for no limit. The rest wait in the inbox.',
		},
		{
			displayName: 'Inbox Hold While Calls Arrive (Seconds)',
			name: 'inboxHoldSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 10, // INBOX_DEFAULTS
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description:
				'With the inbox: answers come first. While calls keep arriving, stored deliveries wait until calls pause for 0.2 s, at most this long; after that they run at full pace until the inbox has caught up. 0 runs each delivery at once.',
		},
		{
			displayName: 'Inbox Retry Delay (Seconds)',
			name: 'inboxRetrySeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 30, // INBOX_DEFAULTS
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'With the inbox: the wait before the second attempt; it doubles for each later one, up to one hour',
		},
		{
			displayName: 'Keep Bodies in Delivery Log',
			name: 'keepBodies',
			type: 'boolean',
			default: false,
			description:
				'Whether the delivery log also stores the item as emitted (redacted), to map variables from a previous call; off: only metadata. An item over 64 KiB of JSON is stored as its size, SHA-256 and beginning; at most 64 MiB of bodies per workflow (the oldest lose theirs).',
		},
		{
			displayName: 'Max Body Size (Bytes)',
			name: 'maxBodyBytes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_BODY_BYTES,
			description: 'Larger calls are answered 413 and start nothing',
		},
		{
			displayName: 'Rate Limit (Calls per Window)',
			name: 'rateLimit',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'At most this many calls per window and key, across every n8n process on the store; more are answered 429 rate_limited with Retry-After and start nothing. 0: no limit.',
		},
		{
			displayName: 'Rate Limit Key',
			name: 'rateLimitKey',
			type: 'options',
			options: [
				{ name: 'Caller IP', value: 'ip', description: 'Checked before verification, so only the flooder pays (as the IP Allowlist reads the address)' },
				{ name: 'Header or Body Path', value: 'path', description: 'Rate Limit Key Path in the verified call; forged calls spend nothing' },
				{ name: 'Whole Node', value: 'node', description: 'One quota for every verified call' },
			],
			default: 'ip',
			description: 'What the limit counts calls by',
		},
		{
			displayName: 'Rate Limit Key Path',
			name: 'rateLimitKeyPath',
			type: 'string',
			default: '',
			placeholder: 'headers.x-shop-domain',
			description: 'With Rate Limit Key = Header or Body Path: where the key is (headers.x-shop-domain, body.account); calls without it share one quota',
		},
		{
			displayName: 'Rate Limit Window (Seconds)',
			name: 'rateLimitWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 86400 },
			default: 60,
			description: 'Length of the fixed window the limit counts in (1 s to one day)',
		},
		{
			displayName: 'Response Body',
			name: 'responseBody',
			type: 'string',
			default: DEFAULT_RESPONSE_BODY,
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			description: 'Body of the immediate response (not sent with 204)',
		},
		{
			displayName: 'Response Code',
			name: 'responseCode',
			type: 'options',
			options: [
				{ name: '200 OK', value: 200 },
				{ name: '201 Created', value: 201 },
				{ name: '202 Accepted', value: 202 },
				{ name: '204 No Content', value: 204 },
			],
			default: 200,
			displayOptions: { hide: { '/responseMode': ['responseNode'] } },
		},
		{
			displayName: 'Response Headers',
			name: 'responseHeaders',
			type: 'fixedCollection',
			placeholder: 'Add Header',
			typeOptions: { multipleValues: true },
			default: {},
			displayOptions: { show: { '/responseMode': ['onReceived'] } },
			options: [
				{
					name: 'values',
					displayName: 'Header',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Resume Waiting Executions',
			name: 'resumeKeyPath',
			type: 'string',
			default: '',
			placeholder: 'body.data.order_id',
			description:
				'Path of the correlation key in the verified call. A call whose key a Wait for Webhook node (Trigger Path = this path) is waiting for resumes that execution with this item, once. Empty: resumes nothing.',
		},
		{
			displayName: 'Resume Waiting: Also Start This Workflow',
			name: 'resumeAlsoStart',
			type: 'boolean',
			default: false,
			description: 'Whether a call that resumed a waiting execution also starts this workflow, as any accepted call does',
		},
		{
			displayName: 'Resume Waiting: When None Waits',
			name: 'resumeWhenNotWaiting',
			type: 'options',
			options: [
				{ name: 'Start This Workflow', value: 'startExecution', description: 'As any accepted call does, on the normal outputs' },
				{ name: 'Reject With 404', value: 'reject404', description: 'Answer 404 not_waiting; start nothing' },
				{ name: 'Reject With 409', value: 'reject409', description: 'Answer 409 not_waiting; start nothing' },
			],
			default: 'startExecution',
			description: 'What a call gets whose key no execution waits for (unknown, expired or already resumed; all answered alike)',
		},
		{
			displayName: 'Save Full Body As',
			name: 'saveBodyAs',
			type: 'string',
			default: '',
			placeholder: 'payload',
			description: 'Variable name that receives the whole body as an object; empty: not saved',
		},
		{
			displayName: 'Suppress Duplicates',
			name: 'suppressDuplicates',
			type: 'boolean',
			default: true,
			description:
				'Whether a delivery already accepted within the window is answered as a duplicate instead of starting the workflow again (needs a Duplicate Key Path or a preset that names its delivery ID)',
		},
	],
};
