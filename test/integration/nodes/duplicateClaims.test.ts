import { mkdtempSync, realpathSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { IExecuteFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { WebhookTrigger } from '../../../nodes/WebhookTrigger/WebhookTrigger.node';
import { IN_PROGRESS_WAIT_MS } from '../../../nodes/WebhookTrigger/delivery/duplicates';
import { keyHash } from '../../../nodes/shared/store/deliveryKeys';
import { closeAllStores } from '../../../nodes/shared/store/open';
import { triggerStoreOf } from '../../../nodes/shared/storeResolver';
import { eachBacking } from '../../support/defaultStore';

/**
 * Duplicate suppression as n8n runs it: webhook() claims the delivery key, the execution's first
 * step (execute()) marks it started. A copy is a duplicate only once the first copy's execution
 * runs; a claim whose execution never started is taken over, so the provider's retry is not lost.
 * The default store as n8n would back it (a SQLite file beside n8n's, or n8n's own PostgreSQL),
 * one node, fake n8n contexts.
 */
jest.setTimeout(120_000);

let root: string;
const saved = process.env.N8N_USER_FOLDER;
const trigger = new WebhookTrigger();
// Its own keys on a shared database (n8n's PostgreSQL schema outlives the run).
const WORKFLOW = `wf-dup-${process.pid}-${Date.now().toString(36)}`;
const NODE = 'Orders In';
const parameters = {
	authentication: 'none',
	deliveryLog: false,
	store: 'embedded',
	options: { duplicateKeyPath: 'body.id' },
};

beforeAll(() => {
	root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-dup-')));
	process.env.N8N_USER_FOLDER = join(root, 'user');
});

afterAll(async () => {
	await closeAllStores();
	rmSync(root, { recursive: true, force: true });
	if (saved === undefined) delete process.env.N8N_USER_FOLDER;
	else process.env.N8N_USER_FOLDER = saved;
});

const read = (source: Record<string, unknown>, name: string, fallback: unknown) => {
	const value = name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], source);
	return value === undefined ? fallback : value;
};

/** One call to webhook(): what it returned and what it wrote to the caller. */
async function deliver(id: string, extra: Record<string, unknown> = {}) {
	const sent: { status?: number; body?: string } = {};
	const res = {
		writeHead: (code: number) => ((sent.status = code), res),
		end: (body?: Buffer) => ((sent.body = body?.toString('utf8') ?? sent.body), res),
	};
	const body = { id, type: 'order.paid' };
	const request = { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, params: {}, body, rawBody: Buffer.from(JSON.stringify(body)), ip: '203.0.113.7', is: () => false };
	const settings = { ...parameters, ...extra };
	const context = {
		getRequestObject: () => request,
		getResponseObject: () => res,
		getWebhookName: () => 'default',
		getNode: () => ({ name: NODE, credentials: {} }),
		getWorkflow: () => ({ id: WORKFLOW, active: true }),
		getMode: () => 'webhook',
		getCredentials: async () => ({}),
		logger: { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() },
		getNodeParameter: (name: string, fallback?: unknown) => read(settings, name, fallback),
	};
	const result: IWebhookResponseData = await trigger.webhook.call(context as unknown as IWebhookFunctions);
	return { result, sent };
}

/** The execution's first step for the item webhook() handed to n8n. */
async function startExecution(result: IWebhookResponseData) {
	const items = result.workflowData![0];
	const sendResponse = jest.fn(async () => undefined);
	const context = {
		getInputData: () => items,
		getExecutionId: () => '101',
		getNode: () => ({ name: NODE, credentials: {} }),
		getWorkflow: () => ({ id: WORKFLOW, active: true }),
		logger: { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() },
		sendResponse,
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => read(parameters, name, fallback),
	};
	await trigger.execute.call(context as unknown as IExecuteFunctions);
	return sendResponse;
}

const started = (outcome: { result: IWebhookResponseData; sent: { status?: number } }) =>
	outcome.result.workflowData !== undefined && outcome.sent.status === undefined;

eachBacking('duplicate claims through the Webhook Trigger, default store on %s', (_name, backing) => {
	beforeAll(() => backing.use());
	afterAll(async () => {
		await closeAllStores();
		backing.restore();
	});

	it('answers a copy that arrives while the first is being started as a duplicate once it runs', async () => {
		const first = await deliver('evt_1');
		expect(started(first)).toBe(true);
		expect(first.result.workflowData![0][0].json.deliveryId).toEqual(expect.any(String));

		// The copy waits for the first copy's execution instead of answering at once.
		const copy = deliver('evt_1');
		await new Promise((resolve) => setTimeout(resolve, 300));
		const sendResponse = await startExecution(first.result);
		expect(sendResponse).toHaveBeenCalledTimes(1);
		const answered = await copy;
		expect(answered.result).toEqual({ noWebhookResponse: true });
		expect(answered.sent.status).toBe(200);
		expect(JSON.parse(answered.sent.body!)).toMatchObject({ duplicate: true, deliveryId: first.result.workflowData![0][0].json.deliveryId });

		// Later copies are duplicates straight away.
		const later = await deliver('evt_1');
		expect(later.sent.status).toBe(200);
		expect(JSON.parse(later.sent.body!).duplicate).toBe(true);
	});

	it('answers 409 delivery_in_progress while the first copy has not started, and lets a retry in once it was abandoned', async () => {
		const lost = await deliver('evt_2');
		expect(started(lost)).toBe(true);
		// n8n never runs this execution (a worker killed, n8n stopped): execute() is not called.
		const waitedFrom = Date.now();
		const copy = await deliver('evt_2');
		expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(IN_PROGRESS_WAIT_MS - 50);
		expect(copy.result).toEqual({ noWebhookResponse: true });
		expect(copy.sent.status).toBe(409);
		expect(JSON.parse(copy.sent.body!)).toMatchObject({ error: 'delivery_in_progress' });

		// Ten minutes on, the claim counts as abandoned: the provider's retry starts the workflow.
		const db = await triggerStoreOf({ kind: 'embedded', credentialId: undefined, readCredentials: async () => ({}) }).open();
		await db.query('UPDATE delivery_keys SET first_seen = $1 WHERE workflow_id = $2 AND key_hash = $3', [
			new Date(Date.now() - 11 * 60_000),
			WORKFLOW,
			keyHash('evt_2'),
		]);
		const retry = await deliver('evt_2');
		expect(started(retry)).toBe(true);
		await startExecution(retry.result);
		expect(JSON.parse((await deliver('evt_2')).sent.body!).duplicate).toBe(true);
	});

	it('holds the claim at once when the answer goes out before the execution starts', async () => {
		const options = { options: { duplicateKeyPath: 'body.id', answerBeforeStart: true } };
		const first = await deliver('evt_3', options);
		expect(first.sent.status).toBe(200);
		expect(first.result.workflowData).toHaveLength(1);
		const copy = await deliver('evt_3', options);
		expect(copy.result.workflowData).toBeUndefined();
		expect(JSON.parse(copy.sent.body!).duplicate).toBe(true);
	});
});
