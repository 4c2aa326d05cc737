import { createHmac } from 'crypto';

import type { LoadRequest } from './http-load';
import { noOp, nodeType, workflow } from '../test/e2e/harness/workflow';

/**
 * What `npm run bench` (webhook-throughput.ts) measures: one workflow per target, so the delivery
 * log and duplicate window of one target never see another's calls (both are per workflow).
 * Every call carries the same ~0.5 KB JSON body shape and a unique X-Delivery-Id.
 */

const BEARER = 'bench-bearer-token-4e1f0c7d9a';
const HMAC_SECRET = 'bench-hmac-secret-8b2d61f5c3';
const HEADER_NAME = 'X-Api-Key';
const HEADER_TOKEN = 'bench-header-token-2f9a7e';

export const credentials = [
	{ id: 'benchWtBearer001', name: 'Bench Bearer', type: 'webhookBearerAuthApi', data: { token: BEARER } },
	{
		id: 'benchWtHmac00001',
		name: 'Bench HMAC',
		type: 'webhookHmacApi',
		data: { secret: HMAC_SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' },
	},
	{ id: 'benchWtHdrAuth01', name: 'Bench Header Auth', type: 'httpHeaderAuth', data: { name: HEADER_NAME, value: HEADER_TOKEN } },
];
const bearerCredential = { webhookBearerAuthApi: { id: 'benchWtBearer001', name: 'Bench Bearer' } };
const hmacCredential = { webhookHmacApi: { id: 'benchWtHmac00001', name: 'Bench HMAC' } };

const EVENTS = ['order.paid', 'order.refunded', 'order.cancelled'];
const cases = { values: EVENTS.map((value) => ({ label: value, value })) };
const variables = {
	values: [
		{ path: 'body.customer.email', name: 'email' },
		{ path: 'body.order.id', name: 'order_id' },
		{ path: 'body.order.total', name: 'total' },
	],
};
const jsonSchema = JSON.stringify({
	type: 'object',
	required: ['event', 'customer', 'order'],
	properties: {
		event: { type: 'string', enum: EVENTS },
		customer: {
			type: 'object',
			required: ['email', 'name'],
			properties: { email: { type: 'string', maxLength: 254 }, name: { type: 'string' }, phone: { type: 'string' } },
		},
		order: {
			type: 'object',
			required: ['id', 'total', 'items'],
			properties: {
				id: { type: 'string' },
				total: { type: 'number', minimum: 0 },
				items: {
					type: 'array',
					maxItems: 50,
					items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer' } } },
				},
			},
		},
	},
});

/** 64 bodies (3 events, varied customers), each with its signature: nothing hashed while measuring. */
const BODIES = Array.from({ length: 64 }, (_, i) => {
	const body = Buffer.from(
		JSON.stringify({
			event: EVENTS[i % EVENTS.length],
			customer: { email: `customer${i}@example.com`, name: `Customer ${i}`, phone: `+1555010${String(i).padStart(4, '0')}` },
			order: {
				id: `ord_${1000 + i}`,
				total: 19.9 + i,
				currency: 'USD',
				items: [
					{ sku: 'sku-basic', qty: 1 + (i % 3), title: 'A product with a reasonably long title' },
					{ sku: 'sku-addon', qty: 1, title: 'An add-on' },
				],
			},
			createdAt: '2026-11-24T17:00:00Z',
		}),
	);
	return { body, signature: `sha256=${createHmac('sha256', HMAC_SECRET).update(body).digest('hex')}` };
});
const WRONG_SIGNATURE = `sha256=${'0f'.repeat(32)}`;

export type Kind = 'accepted' | 'rejected';

export interface Target {
	key: string;
	label: string;
	kind: Kind;
	workflowId: string;
	path: string;
	workflow: { id: string } & Record<string, unknown>;
	/** The i-th request of a run; `deliveryId` is unique per request across the whole benchmark. */
	request(i: number, deliveryId: string): LoadRequest;
	/**
	 * Its executions run batches of stored deliveries: the drain waits for the package's inbox to
	 * report every answered delivery done, and executions/s counts deliveries completed, not executions.
	 */
	countsDeliveries?: boolean;
}

const json = { 'content-type': 'application/json' };

function ours(key: string, label: string, kind: Kind, parameters: Record<string, unknown>, auth: 'bearer' | 'hmac', send: 'valid' | 'invalid'): Target {
	const workflowId = `benchWt${key.replace(/[^a-zA-Z0-9]/g, '').slice(0, 9).padEnd(9, '0')}`;
	const path = `bench-${key}`;
	const routed = Boolean(parameters.eventPath);
	const outputs = routed ? EVENTS.length + 1 : 1;
	return {
		key,
		label,
		kind,
		workflowId,
		path,
		workflow: workflow(
			workflowId,
			{
				name: 'Trigger',
				type: nodeType('webhookTrigger'),
				parameters: { path, authentication: auth, store: 'embedded', ...parameters },
				credentials: auth === 'bearer' ? bearerCredential : hmacCredential,
			},
			[noOp('Done')],
			{ Trigger: Array.from({ length: outputs }, () => ['Done']) },
		),
		request(i, deliveryId) {
			const { body, signature } = BODIES[i % BODIES.length];
			const proof: Record<string, string> =
				auth === 'bearer'
					? { authorization: `Bearer ${send === 'valid' ? BEARER : 'bench-wrong-token-000000000'}` }
					: { 'x-signature': send === 'valid' ? signature : WRONG_SIGNATURE };
			return { method: 'POST', path: `/webhook/${path}`, headers: { ...json, ...proof, 'x-delivery-id': deliveryId }, body };
		},
	};
}

function builtIn(key: string, label: string, kind: Kind): Target {
	const workflowId = `benchWt${key.replace(/[^a-zA-Z0-9]/g, '').slice(0, 9).padEnd(9, '0')}`;
	const path = `bench-${key}`;
	return {
		key,
		label,
		kind,
		workflowId,
		path,
		workflow: workflow(
			workflowId,
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				parameters: { httpMethod: 'POST', path, authentication: 'headerAuth', responseMode: 'onReceived', options: {} },
				credentials: { httpHeaderAuth: { id: 'benchWtHdrAuth01', name: 'Bench Header Auth' } },
			},
			[noOp('Done')],
			{ Webhook: [['Done']] },
		),
		request(i, deliveryId) {
			const token = kind === 'accepted' ? HEADER_TOKEN : 'bench-wrong-header-token';
			return {
				method: 'POST',
				path: `/webhook/${path}`,
				headers: { ...json, [HEADER_NAME.toLowerCase()]: token, 'x-delivery-id': deliveryId },
				body: BODIES[i % BODIES.length].body,
			};
		},
	};
}

const routedHmac = { eventPath: 'body.event', cases, variables };
const logOff = { deliveryLog: false };

/** Accepted-call targets; `builtin` is the baseline of the others. */
export const acceptedTargets: Target[] = [
	builtIn('builtin', 'built-in Webhook 2.1, Header Auth', 'accepted'),
	ours('bearer', 'bearer', 'accepted', { ...logOff }, 'bearer', 'valid'),
	ours('hmac', 'HMAC + 3 cases + 3 mappings', 'accepted', { ...routedHmac, ...logOff }, 'hmac', 'valid'),
	ours('schema', '… + JSON Schema', 'accepted', { ...routedHmac, ...logOff, options: { jsonSchema } }, 'hmac', 'valid'),
	ours(
		'dedupe',
		'… + delivery log + duplicate suppression',
		'accepted',
		{ ...routedHmac, deliveryLog: true, options: { jsonSchema, duplicateKeyPath: 'headers.x-delivery-id' } },
		'hmac',
		'valid',
	),
	ours('logon', '… + JSON Schema, delivery log on', 'accepted', { ...routedHmac, deliveryLog: true, options: { jsonSchema } }, 'hmac', 'valid'),
	ours(
		'early',
		'… log on, answerBeforeStart',
		'accepted',
		{ ...routedHmac, deliveryLog: true, options: { jsonSchema, answerBeforeStart: true } },
		'hmac',
		'valid',
	),
	// Issue 28: answered once stored; the executions run afterwards, 5 at a time.
	ours('inbox', '… log on, inbox (answer once stored)', 'accepted', { ...routedHmac, deliveryLog: true, options: { jsonSchema, inbox: true, inboxHoldSeconds: 10 } }, 'hmac', 'valid'),
	// Issue 28: the same with no hold: executions start while calls still arrive.
	ours('inboxNoHold', '… inbox, no hold (runs while calls arrive)', 'accepted', { ...routedHmac, deliveryLog: true, options: { jsonSchema, inbox: true, inboxHoldSeconds: 0 } }, 'hmac', 'valid'),
	// Issue 28: the same, 50 deliveries per execution (a partial batch waits up to 250 ms).
	{
		...ours('inboxBatch', '… inbox, Batch Size 50 (executions/s = deliveries done/s)', 'accepted', {
			...routedHmac,
			deliveryLog: true,
			options: { jsonSchema, inbox: true, inboxBatchSize: 50, inboxBatchWindowMs: 250, inboxHoldSeconds: 10 },
		}, 'hmac', 'valid'),
		countsDeliveries: true,
	},
	// Issue 29: the bearer target with a limit keyed on 64 customers, none of them over it.
	ours(
		'rateKeys',
		'bearer + Rate Limit by body path, keys under it',
		'accepted',
		{ ...logOff, options: { rateLimit: 1_000_000, rateLimitKey: 'path', rateLimitKeyPath: 'body.customer.email' } },
		'bearer',
		'valid',
	),
];

/** Rejection targets, with the trigger's defaults (delivery log on); `builtinBad` is the baseline. */
export const rejectedTargets: Target[] = [
	builtIn('builtinBad', 'built-in Webhook, wrong header', 'rejected'),
	ours('badBearer', 'wrong bearer token', 'rejected', {}, 'bearer', 'invalid'),
	ours('badHmac', 'wrong HMAC (3 cases, 3 mappings, schema)', 'rejected', { ...routedHmac, options: { jsonSchema } }, 'hmac', 'invalid'),
	ours('ipRefused', 'IP refused (valid bearer)', 'rejected', { ipAllowlist: '10.9.8.7\n2001:db8::/32' }, 'bearer', 'valid'),
	// Issue 29: one caller over its limit (1 a day by address): 429 from the first call on.
	ours('rateFlood', 'one-IP flood over Rate Limit (valid bearer)', 'rejected', { options: { rateLimit: 1, rateLimitWindowSeconds: 86400 } }, 'bearer', 'valid'),
];

/**
 * Pairs compared beyond "× built-in": [numerator, denominator, what it answers, minimum ratio].
 * `delivered`: the first's executions/s (deliveries done per second) ÷ the second's answers/s.
 */
export const pairs: Array<{ a: string; b: string; label: string; min?: number; delivered?: boolean }> = [
	{ a: 'logon', b: 'schema', label: 'delivery log on ÷ off (issue 15)', min: 0.9 },
	{ a: 'early', b: 'logon', label: 'answerBeforeStart ÷ answer after start (issue 20)' },
	{ a: 'dedupe', b: 'logon', label: 'duplicate suppression ÷ log only' },
	{ a: 'inbox', b: 'builtinBad', label: "inbox answers ÷ n8n's floor (its Webhook node refusing a wrong header; issue 28)", min: 0.9 },
	{ a: 'inbox', b: 'logon', label: 'inbox ÷ answer after start' },
	{ a: 'inbox', b: 'inboxNoHold', label: 'inbox: hold while calls arrive ÷ no hold' },
	{ a: 'inboxBatch', b: 'builtinBad', label: "Batch Size 50: deliveries done/s ÷ n8n's floor answers/s (issue 28)", min: 0.8, delivered: true },
	{ a: 'rateFlood', b: 'builtinBad', label: "a rate-limited flood ÷ n8n's floor (issue 29)", min: 0.9 },
	{ a: 'rateKeys', b: 'bearer', label: 'other keys under a limit ÷ the same workflow without one (issue 29)', min: 0.95 },
];
