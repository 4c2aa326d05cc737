import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { HANDOVER_TOKEN_HEADER } from '../../nodes/shared/correlation';
import { acceptHandover, registerWait } from '../../nodes/shared/store/waits';
import { WaitForWebhook } from '../../nodes/WaitForWebhook/WaitForWebhook.node';

/**
 * The node's wiring with a fake n8n context and a fake registry: what it registers and how it
 * waits (execute), and that its resume webhook lets only the trigger's hand-over through.
 */
jest.mock('../../nodes/shared/store/waits', () => ({ registerWait: jest.fn(), acceptHandover: jest.fn() }));
jest.mock('../../nodes/shared/storeResolver', () => ({
	storeOfNode: () => ({ key: 'fake', open: async () => ({ kind: 'fake' }) }),
}));

const register = registerWait as jest.MockedFunction<typeof registerWait>;
const accept = acceptHandover as jest.MockedFunction<typeof acceptHandover>;
const node = new WaitForWebhook();

function executeContext(parameters: Record<string, unknown>, mode = 'webhook') {
	const input = [{ json: { orderId: 'order-42' } }];
	const putExecutionToWait = jest.fn(async () => undefined);
	const context = {
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getNode: () => ({ name: 'Wait for Webhook', type: 'waitForWebhook', typeVersion: 1, parameters: {} }),
		getWorkflow: () => ({ id: 'wf-a' }),
		getExecutionId: () => '77',
		getMode: () => mode,
		getInputData: () => input,
		evaluateExpression: jest.fn(() => 'http://127.0.0.1:5678/webhook-waiting/77?signature=n8n-token'),
		putExecutionToWait,
	};
	return { context: context as unknown as IExecuteFunctions, input, putExecutionToWait };
}

const valid = { triggerPath: '/payments', correlationKey: 'order-42', timeoutAmount: 30, timeoutUnit: 'minutes' };

describe('Wait for Webhook: execute', () => {
	beforeEach(() => register.mockReset());

	it('registers key → execution and resume URL until the timeout, then waits until then with its input', async () => {
		const fake = executeContext(valid);
		const before = Date.now();
		const output = await node.execute.call(fake.context);
		expect(output).toEqual([fake.input]);
		expect(register).toHaveBeenCalledTimes(1);
		const wait = register.mock.calls[0][1];
		expect(wait).toMatchObject({
			scope: 'payments',
			key: 'order-42',
			workflowId: 'wf-a',
			executionId: '77',
			nodeName: 'Wait for Webhook',
			resumeUrl: 'http://127.0.0.1:5678/webhook-waiting/77?signature=n8n-token',
		});
		expect(wait.expiresAt.getTime() - wait.now.getTime()).toBe(30 * 60_000);
		expect(wait.now.getTime()).toBeGreaterThanOrEqual(before);
		expect(fake.putExecutionToWait).toHaveBeenCalledWith(wait.expiresAt);
	});

	it('files an execution started from the editor apart: only the trigger\'s test URL resumes it', async () => {
		await node.execute.call(executeContext(valid, 'manual').context);
		expect(register.mock.calls[0][1]).toMatchObject({ scope: 'test:payments', key: 'order-42' });
	});

	it('fails with a node error naming the problem, registering nothing and not waiting', async () => {
		const fake = executeContext({ ...valid, correlationKey: '' });
		const attempt = node.execute.call(fake.context);
		await expect(attempt).rejects.toBeInstanceOf(NodeOperationError);
		await expect(attempt).rejects.toThrow('The correlation key is empty');
		expect(register).not.toHaveBeenCalled();
		expect(fake.putExecutionToWait).not.toHaveBeenCalled();
	});

	it('does not wait when the store cannot register the wait', async () => {
		register.mockRejectedValueOnce(new Error('connection refused'));
		const fake = executeContext(valid);
		await expect(node.execute.call(fake.context)).rejects.toThrow('connection refused');
		expect(fake.putExecutionToWait).not.toHaveBeenCalled();
	});
});

describe('Wait for Webhook: resume webhook', () => {
	beforeEach(() => accept.mockReset());

	function webhookContext(headers: Record<string, string>) {
		const sent: { status?: number; body?: unknown } = {};
		const res = {
			status(code: number) {
				sent.status = code;
				return res;
			},
			json(body: unknown) {
				sent.body = body;
			},
		};
		const context = {
			getResponseObject: () => res,
			getHeaderData: () => headers,
			getBodyData: () => ({ body: { order: { id: 'order-42' } }, correlation: { path: 'body.order.id', key: 'order-42' } }),
			getNode: () => ({ name: 'Wait for Webhook' }),
			getExecutionId: () => '77',
			getNodeParameter: () => 'embedded',
			logger: { warn: jest.fn() },
		};
		return { context: context as unknown as IWebhookFunctions, sent };
	}

	it('resumes with the handed-over item when the store accepts the token', async () => {
		accept.mockResolvedValueOnce(true);
		const fake = webhookContext({ [HANDOVER_TOKEN_HEADER]: 'tok-1' });
		const result = await node.webhook.call(fake.context);
		expect(accept.mock.calls[0][1]).toMatchObject({ executionId: '77', nodeName: 'Wait for Webhook', token: 'tok-1' });
		expect(result).toEqual({ workflowData: [[{ json: { body: { order: { id: 'order-42' } }, correlation: { path: 'body.order.id', key: 'order-42' } } }]] });
	});

	it('answers 403 and resumes nothing without the right token', async () => {
		accept.mockResolvedValueOnce(false);
		const fake = webhookContext({});
		const result = await node.webhook.call(fake.context);
		expect(accept.mock.calls[0][1].token).toBeUndefined();
		expect(result).toEqual({ noWebhookResponse: true });
		expect(fake.sent.status).toBe(403);
	});

	it('answers 503 and resumes nothing when the store cannot be read', async () => {
		accept.mockRejectedValueOnce(new Error('connection refused'));
		const fake = webhookContext({ [HANDOVER_TOKEN_HEADER]: 'tok-1' });
		expect(await node.webhook.call(fake.context)).toEqual({ noWebhookResponse: true });
		expect(fake.sent.status).toBe(503);
	});
});
