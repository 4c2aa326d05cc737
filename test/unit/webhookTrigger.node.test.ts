import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WebhookTrigger } from '../../nodes/WebhookTrigger/WebhookTrigger.node';
import { DeliveryLog } from '../../nodes/WebhookTrigger/delivery/deliveryLog';
import type { DeliveryRecord } from '../../nodes/shared/store/deliveries';
import * as sqlite from '../../nodes/shared/store/sqlite';

/**
 * The node's wiring with a fake n8n context: which parameters and credentials it reads before it
 * answers, and what a configuration error tells the caller and n8n's log.
 */

interface Sent {
	status?: number;
	body?: string;
	headers: Record<string, string>;
}

function fakeContext(input: Record<string, unknown>, ip = '203.0.113.7') {
	// The delivery log has its own tests (integration); these fakes write none.
	const parameters = { deliveryLog: false, ...input };
	const sent: Sent = { headers: {} };
	// Node's response calls, which the node writes its answers with (writeAnswer.ts).
	const res = {
		writeHead(code: number, headers: Record<string, string>) {
			sent.status = code;
			Object.assign(sent.headers, headers);
			return res;
		},
		end(body?: Buffer) {
			if (body !== undefined) sent.body = body.toString('utf8');
			ended.value = true;
			return res;
		},
	};
	const rawBody = Buffer.from('{"event":"x"}');
	const ended = { value: false };
	const req = {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-signature': 'sha256=' + '0'.repeat(64) },
		query: {},
		params: {},
		body: { event: 'x' },
		rawBody,
		ip,
		is: () => false,
	};
	const getCredentials = jest.fn(async () => ({
		secret: 'node-secret-5521',
		algorithm: 'sha256',
		source: 'header',
		parameterName: 'X-Signature',
		encoding: 'hex',
		prefix: 'sha256=',
	}));
	const readParameters: string[] = [];
	const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
	const context = {
		getRequestObject: () => req,
		getResponseObject: () => res,
		getWebhookName: () => 'default',
		getNode: () => ({ name: 'Orders In' }),
		getWorkflow: () => ({ id: 'wf-77', active: true }),
		getMode: () => 'webhook',
		getCredentials,
		logger,
		getNodeParameter: (name: string, fallback?: unknown) => {
			readParameters.push(name);
			const value = name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parameters);
			return value === undefined ? fallback : value;
		},
	};
	return { context: context as unknown as IWebhookFunctions, sent, ended, getCredentials, readParameters, logger };
}

const trigger = new WebhookTrigger();

// The default store as on n8n's own images (Node 22/24, node:sqlite), whichever Node runs jest;
// the refusal below 22.13 has its own cases. No case here opens the store.
let sqliteOnThisNode: jest.SpyInstance;
beforeEach(() => {
	sqliteOnThisNode = jest.spyOn(sqlite, 'sqliteSupported').mockReturnValue(true);
});
afterEach(() => sqliteOnThisNode.mockRestore());

describe('Webhook Trigger node wiring', () => {
	it('refuses a caller outside the IP allowlist before it reads the credential or other parameters (review #8)', async () => {
		const fake = fakeContext({ authentication: 'hmac', ipAllowlist: '10.0.0.0/8', path: 'orders' });
		const result = await trigger.webhook.call(fake.context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(fake.sent.status).toBe(403);
		expect(JSON.parse(fake.sent.body!)).toMatchObject({ error: 'ip_not_allowed' });
		expect(fake.getCredentials).not.toHaveBeenCalled();
		// Options and the delivery log choice are read first (no credential): what the refusal records.
		expect(fake.readParameters.sort()).toEqual(['deliveryLog', 'ipAllowlist', 'options', 'originAllowlist']);
		expect(fake.readParameters).not.toContain('store');
	});

	it('decrypts the credential only for a caller the allowlists admit', async () => {
		const fake = fakeContext({ authentication: 'hmac', ipAllowlist: '203.0.113.0/24' });
		await trigger.webhook.call(fake.context);
		expect(fake.getCredentials).toHaveBeenCalledTimes(1);
		expect(fake.sent.status).toBe(401);
		expect(JSON.parse(fake.sent.body!)).toMatchObject({ error: 'signature_mismatch' });
	});

	it('answers a configuration error with 500 and no detail; the detail goes to n8n\'s log, rate-limited (review #6)', async () => {
		const first = fakeContext({ authentication: 'none', ipAllowlist: 'internal-host' });
		await trigger.webhook.call(first.context);
		expect(first.sent.status).toBe(500);
		expect(JSON.parse(first.sent.body!)).toEqual({
			error: 'configuration_error',
			message: "This webhook is not configured correctly; the details are in n8n's log",
		});
		expect(first.sent.body).not.toContain('internal-host');
		expect(first.logger.error).toHaveBeenCalledTimes(1);
		const [line, meta] = first.logger.error.mock.calls[0] as unknown as [string, Record<string, unknown>];
		expect(line).toContain('Invalid IP allowlist entry "internal-host"');
		expect(line).toContain('"Orders In"');
		expect(meta).toEqual({ workflowId: 'wf-77', nodeName: 'Orders In' });

		// A flood of the same failure within the minute logs nothing more (counted for the next line).
		const second = fakeContext({ authentication: 'none', ipAllowlist: 'internal-host' });
		await trigger.webhook.call(second.context);
		expect(second.sent.status).toBe(500);
		expect(second.logger.error).not.toHaveBeenCalled();
	});

	it('reports a missing credential as a configuration error without its text reaching the caller', async () => {
		const fake = fakeContext({ authentication: 'bearer' });
		fake.getCredentials.mockRejectedValueOnce(new Error('Node "Orders In" does not have any credentials of type "webhookBearerAuthApi" set'));
		fake.context.getWorkflow = () => ({ id: 'wf-other', active: true });
		await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(500);
		expect(fake.sent.body).not.toContain('webhookBearerAuthApi');
		expect(fake.logger.error.mock.calls[0][0]).toContain('does not have any credentials');
	});

	describe('n8n on SQLite and on a Node without node:sqlite (below 22.13)', () => {
		let supported: jest.SpyInstance;
		beforeEach(() => {
			supported = jest.spyOn(sqlite, 'sqliteSupported').mockReturnValue(false);
		});
		afterEach(() => supported.mockRestore());

		it('refuses a delivery log on the default store: 500 configuration_error, the reason in n8n\'s log, nothing started', async () => {
			const fake = fakeContext({ authentication: 'hmac', deliveryLog: true, store: 'embedded' });
			fake.context.getWorkflow = () => ({ id: 'wf-old-node', active: true });
			const result = await trigger.webhook.call(fake.context);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(fake.sent.status).toBe(500);
			expect(JSON.parse(fake.sent.body!)).toMatchObject({ error: 'configuration_error' });
			expect(fake.getCredentials).not.toHaveBeenCalled();
			expect(fake.logger.error.mock.calls[0][0]).toMatch(/answered 500 configuration_error: n8n runs on SQLite and on Node\.js .*needs Node\.js 22\.13 or later .*choose the PostgreSQL store/);
		});

		it('admits calls with the delivery log off (nothing uses the default store)', async () => {
			const fake = fakeContext({ authentication: 'none', deliveryLog: false, store: 'embedded' });
			const result = await trigger.webhook.call(fake.context);
			expect(result.workflowData).toHaveLength(1);
			expect(fake.sent.status).toBeUndefined();
		});

		it('fails execute() with a node error for a delivery log on the default store', async () => {
			const parameters: Record<string, unknown> = { deliveryLog: true, store: 'embedded' };
			const context = {
				getInputData: () => [{ json: {} }],
				getExecutionId: () => '78',
				getNode: () => ({ name: 'Orders In' }),
				logger: { warn: jest.fn() },
				getNodeParameter: (name: string, _index: number, fallback?: unknown) => parameters[name] ?? fallback,
			} as unknown as IExecuteFunctions;
			await expect(trigger.execute.call(context)).rejects.toThrow(NodeOperationError);
			await expect(trigger.execute.call(context)).rejects.toThrow(/needs Node\.js 22\.13 or later .*choose the PostgreSQL store/);
		});
	});
});

describe('acknowledged delivery (issue 20)', () => {
	it('hands an accepted call to n8n unanswered by default, one item on input 0', async () => {
		const fake = fakeContext({ authentication: 'none', eventPath: 'body.event', cases: { values: [{ value: 'y' }] } });
		const result = await trigger.webhook.call(fake.context);
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
		expect(result.workflowData![0][0].json).toMatchObject({ body: { event: 'x' }, event: { value: 'x', case: null } });
		expect(fake.sent.status).toBeUndefined();
		expect(fake.sent.body).toBeUndefined();
	});

	it('answers at once from webhook() with "Answer Before the Execution Starts"', async () => {
		const fake = fakeContext({ authentication: 'none', options: { answerBeforeStart: true, responseCode: 202, responseBody: 'ok' } });
		const result = await trigger.webhook.call(fake.context);
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toHaveLength(1);
		// The configured Content-Type, with the charset express's res.send() added, and the body's length.
		expect(fake.sent).toEqual({ status: 202, body: 'ok', headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 2 } });
	});

	function executeContext(input: Record<string, unknown>, items: Array<{ json: Record<string, unknown> }>) {
		const parameters = { deliveryLog: false, ...input };
		const sendResponse = jest.fn(async () => undefined);
		const context = {
			getInputData: () => items,
			getExecutionId: () => '77',
			getNode: () => ({ name: 'Orders In' }),
			sendResponse,
			getNodeParameter: (name: string, _index: number, fallback?: unknown) => {
				const value = name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parameters);
				return value === undefined ? fallback : value;
			},
		};
		return { context: context as unknown as IExecuteFunctions, sendResponse };
	}

	it('execute() routes the item and sends the configured answer once the execution runs', async () => {
		const item = { json: { event: { value: 'order_refunded' } } };
		const fake = executeContext(
			{
				eventPath: 'body.event',
				cases: { values: [{ value: 'order_approved' }, { value: 'order_refunded' }] },
				options: { responseCode: 201, responseHeaders: { values: [{ name: 'X-Trace', value: 't1' }] } },
			},
			[item],
		);
		const outputs = await trigger.execute.call(fake.context);
		expect(outputs).toEqual([[], [item], []]);
		expect(fake.sendResponse).toHaveBeenCalledTimes(1);
		expect(fake.sendResponse).toHaveBeenCalledWith({
			body: '{"received":true}',
			headers: { 'X-Trace': 't1', 'Content-Type': 'application/json' },
			statusCode: 201,
		});
	});

	it.each([
		['lastNode', {}],
		['responseNode', {}],
		['onReceived', { answerBeforeStart: true }],
	])('execute() sends nothing in mode %s %j', async (responseMode, options) => {
		const item = { json: { event: { value: 'x' } } };
		const fake = executeContext({ responseMode, options }, [item]);
		expect(await trigger.execute.call(fake.context)).toEqual([[item]]);
		expect(fake.sendResponse).not.toHaveBeenCalled();
	});
});

describe('test mode explains a rejection (issue 15)', () => {
	it('adds what was expected and what arrived, never the secret or a signature', async () => {
		const fake = fakeContext({ authentication: 'hmac' });
		(fake.context as unknown as { getMode: () => string }).getMode = () => 'manual';
		await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(401);
		const body = JSON.parse(fake.sent.body!);
		expect(body).toMatchObject({
			error: 'signature_mismatch',
			explanation: {
				scheme: 'hmac',
				// Only where this credential looks (its header), not the scheme's other default (query).
				expected: [{ header: 'x-signature', present: true }],
				algorithm: 'sha256',
				encoding: 'hex',
				source: 'header',
				signedBytes: 13,
				contentType: 'application/json',
			},
		});
		expect(fake.sent.body).not.toContain('node-secret-5521');
		expect(fake.sent.body).not.toContain('0'.repeat(64));
	});

	it('adds nothing in production', async () => {
		const fake = fakeContext({ authentication: 'hmac' });
		await trigger.webhook.call(fake.context);
		expect(JSON.parse(fake.sent.body!).explanation).toBeUndefined();
	});
});

describe('the editor shows a rejected test call (issue 19)', () => {
	const testMode = (fake: ReturnType<typeof fakeContext>) => {
		(fake.context as unknown as { getMode: () => string }).getMode = () => 'manual';
		return fake;
	};
	const executeOn = (items: INodeExecutionData[]) =>
		({
			getInputData: () => items,
			getExecutionId: () => '91',
			getNode: () => ({ name: 'Orders In' }),
			sendResponse: jest.fn(async () => undefined),
			getNodeParameter: (_name: string, _index: number, fallback?: unknown) => fallback,
		}) as unknown as IExecuteFunctions;

	it('answers the caller itself and starts the test execution with one rejection item', async () => {
		const fake = testMode(fakeContext({ authentication: 'hmac' }));
		const result = await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(401);
		expect(JSON.parse(fake.sent.body!)).toMatchObject({ error: 'signature_mismatch', explanation: { scheme: 'hmac' } });
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
	});

	it("fails that execution at the trigger with the reason and the safe explanation, never a secret or a signature", async () => {
		const fake = testMode(fakeContext({ authentication: 'hmac' }));
		const { workflowData } = await trigger.webhook.call(fake.context);
		const error = await trigger.execute.call(executeOn(workflowData![0])).then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		const { message, description } = error as NodeOperationError;
		expect(message).toBe('Test call rejected: signature_mismatch (HTTP 401)');
		expect(description).toContain('Looked for the signature or secret in: header "x-signature" (present)');
		expect(description).toContain('algorithm sha256, encoding hex, source header, prefix sha256=');
		expect(description).toContain('Signed bytes received: 13 (application/json).');
		expect(description).toContain('answered HTTP 401');
		const shown = JSON.stringify({ message, description, workflowData });
		expect(shown).not.toContain('node-secret-5521');
		expect(shown).not.toContain('0'.repeat(64));
	});

	it('does the same for a caller refused by the allowlists, before any credential is read', async () => {
		const fake = testMode(fakeContext({ authentication: 'hmac', ipAllowlist: '10.0.0.0/8' }));
		const { workflowData } = await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(403);
		expect(fake.getCredentials).not.toHaveBeenCalled();
		await expect(trigger.execute.call(executeOn(workflowData![0]))).rejects.toThrow('Test call rejected: ip_not_allowed (HTTP 403)');
	});

	it('starts nothing for a production rejection (no workflow data, as before)', async () => {
		const fake = fakeContext({ authentication: 'hmac' });
		expect(await trigger.webhook.call(fake.context)).toEqual({ noWebhookResponse: true });
		expect(fake.sent.status).toBe(401);
	});

	it('starts nothing for a configuration error in test mode (its detail belongs in n8n\'s log)', async () => {
		const fake = testMode(fakeContext({ authentication: 'none', ipAllowlist: 'internal-host' }));
		expect(await trigger.webhook.call(fake.context)).toEqual({ noWebhookResponse: true });
		expect(fake.sent.status).toBe(500);
	});

	it('routes an accepted test call as usual', async () => {
		const fake = testMode(fakeContext({ authentication: 'none' }));
		const { workflowData } = await trigger.webhook.call(fake.context);
		expect(await trigger.execute.call(executeOn(workflowData![0]))).toEqual([workflowData![0]]);
	});
});

describe('the delivery-log record of a call refused before the credential is read (issue 26, finding 3)', () => {
	const HEADER_SECRET = 'REAL-SECRET-123';
	const QUERY_SECRET = 'REAL-QUERY-456';
	let recorded: jest.SpyInstance<boolean, Parameters<DeliveryLog['record']>>;
	// The process-wide log buffers the row; the spy takes it instead, so no store is opened.
	beforeEach(() => {
		recorded = jest.spyOn(DeliveryLog.prototype, 'record').mockReturnValue(true);
	});
	afterEach(() => recorded.mockRestore());

	function partnerCall(input: Record<string, unknown>) {
		const fake = fakeContext({ deliveryLog: true, store: 'embedded', options: { keepBodies: true }, ...input });
		const req = fake.context.getRequestObject();
		req.headers = { 'content-type': 'application/json', 'x-partner-key': HEADER_SECRET, 'x-request-id': 'req-3' };
		req.query = { partner_token: QUERY_SECRET, page: '2' };
		return fake;
	}

	const onlyRow = (): DeliveryRecord => {
		expect(recorded).toHaveBeenCalledTimes(1);
		return recorded.mock.calls[0][0];
	};

	it('keeps header and query names but no value a credential could name (IP allowlist refusal, Keep Bodies on)', async () => {
		const fake = partnerCall({ authentication: 'header', ipAllowlist: '10.0.0.0/8' });
		await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(403);
		expect(fake.getCredentials).not.toHaveBeenCalled();
		const row = onlyRow();
		expect(row).toMatchObject({ outcome: 'rejected', status: 403, reason: 'ip_not_allowed', workflowId: 'wf-77', nodeName: 'Orders In' });
		const dump = JSON.stringify(row);
		expect(dump).not.toContain(HEADER_SECRET);
		expect(dump).not.toContain(QUERY_SECRET);
		expect(row.headers).toEqual({ 'content-type': 'application/json', 'x-partner-key': '[redacted]', 'x-request-id': '[redacted]' });
		expect(row.item).toEqual({ body: { event: 'x' }, query: { partner_token: '[redacted]', page: '[redacted]' } });
	});

	it('does the same for a configuration error answered before the credential is read', async () => {
		const fake = partnerCall({ authentication: 'header', ipAllowlist: 'internal-host' });
		await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(500);
		const dump = JSON.stringify(onlyRow());
		expect(dump).not.toContain(HEADER_SECRET);
		expect(dump).not.toContain(QUERY_SECRET);
		expect(dump).toContain('x-partner-key');
		expect(dump).toContain('partner_token');
	});

	it('once the credential is read, hides what it names and keeps the other values', async () => {
		const fake = partnerCall({ authentication: 'header', ipAllowlist: '203.0.113.0/24' });
		fake.getCredentials.mockResolvedValueOnce({ headerName: 'X-Partner-Key', token: 'another-token' } as never);
		await trigger.webhook.call(fake.context);
		expect(fake.getCredentials).toHaveBeenCalledTimes(1);
		expect(fake.sent.status).toBe(401);
		const row = onlyRow();
		expect(JSON.stringify(row)).not.toContain(HEADER_SECRET);
		expect(row.headers).toEqual({ 'content-type': 'application/json', 'x-partner-key': '[redacted]', 'x-request-id': 'req-3' });
		expect(row.item).toMatchObject({ query: { page: '2' } });
	});
});
