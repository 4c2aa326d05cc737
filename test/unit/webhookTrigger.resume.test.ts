import type { IWebhookFunctions } from 'n8n-workflow';

import { resumeWaiting } from '../../nodes/WebhookTrigger/delivery/resume';
import type { ResumeDecision } from '../../nodes/WebhookTrigger/delivery/resume';
import { WebhookTrigger } from '../../nodes/WebhookTrigger/WebhookTrigger.node';

/**
 * The trigger's wiring of correlated resume (resume.ts has its own tests): resumed only after
 * every check, and what each decision makes the trigger answer and return to n8n.
 */
jest.mock('../../nodes/WebhookTrigger/delivery/resume', () => ({
	...jest.requireActual('../../nodes/WebhookTrigger/delivery/resume'),
	resumeWaiting: jest.fn(),
}));
const decide = resumeWaiting as jest.MockedFunction<typeof resumeWaiting>;

function fakeContext(options: Record<string, unknown>, authentication = 'none') {
	const parameters: Record<string, unknown> = { deliveryLog: false, path: 'payments', authentication, responseMode: 'onReceived', options };
	const sent: { status?: number; body?: string } = {};
	const res = {
		writeHead(code: number) {
			sent.status = code;
			return res;
		},
		end(body?: Buffer) {
			if (body !== undefined) sent.body = body.toString('utf8');
			return res;
		},
	};
	const body = { order: { id: 'order-42' } };
	const req = {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
		query: {},
		params: {},
		body,
		rawBody: Buffer.from(JSON.stringify(body)),
		ip: '203.0.113.7',
		is: () => false,
	};
	const context = {
		getRequestObject: () => req,
		getResponseObject: () => res,
		getWebhookName: () => 'default',
		getNode: () => ({ name: 'Payments' }),
		getWorkflow: () => ({ id: 'wf-b', active: true }),
		getMode: () => 'webhook',
		getCredentials: async () => ({ token: 'right-token' }),
		logger: { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() },
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parameters);
			return value === undefined ? fallback : value;
		},
	};
	return { context: context as unknown as IWebhookFunctions, sent };
}

const trigger = new WebhookTrigger();
const resumeOn = { resumeKeyPath: 'body.order.id', answerBeforeStart: true };

describe('Webhook Trigger: resume waiting executions', () => {
	beforeEach(() => decide.mockReset());

	it('is not consulted without a correlation path', async () => {
		const fake = fakeContext({ answerBeforeStart: true });
		const result = await trigger.webhook.call(fake.context);
		expect(decide).not.toHaveBeenCalled();
		expect(result.workflowData).toBeDefined();
	});

	it('is not consulted for a call that fails a check', async () => {
		const fake = fakeContext(resumeOn, 'bearer');
		await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(401);
		expect(decide).not.toHaveBeenCalled();
	});

	it('hands the verified call (its item and paths) to the registry of this trigger\'s path', async () => {
		decide.mockResolvedValueOnce({ kind: 'resumed', executionId: '77' });
		const fake = fakeContext(resumeOn);
		await trigger.webhook.call(fake.context);
		const [, settings, call] = decide.mock.calls[0];
		expect(settings).toEqual({ keyPath: 'body.order.id', alsoStart: false, whenNotWaiting: 'startExecution' });
		expect(call.root.body).toEqual({ order: { id: 'order-42' } });
		expect(call.item).toMatchObject({ body: { order: { id: 'order-42' } }, verification: { scheme: 'none' } });
	});

	it.each<[string, ResumeDecision, number | undefined, boolean]>([
		['resumed: answers with the acknowledgement and starts nothing', { kind: 'resumed', executionId: '77' }, 200, false],
		['a miss rejected: answers it and starts nothing', { kind: 'answer', reply: { kind: 'reply', status: 404, headers: {}, contentType: 'application/json', body: '{}', code: 'not_waiting' } }, 404, false],
		['also start after resuming: runs the workflow', { kind: 'start', reason: 'resumed' }, 200, true],
		['a miss that starts the workflow: runs it', { kind: 'start', reason: 'not_waiting' }, 200, true],
	])('%s', async (_label, decision, status, runs) => {
		decide.mockResolvedValueOnce(decision);
		const fake = fakeContext(resumeOn);
		const result = await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(status);
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData !== undefined).toBe(runs);
	});

	it('answers 503 when the store cannot be reached, starting nothing', async () => {
		decide.mockRejectedValueOnce(new Error('connection refused'));
		const fake = fakeContext(resumeOn);
		const result = await trigger.webhook.call(fake.context);
		expect(fake.sent.status).toBe(503);
		expect(JSON.parse(fake.sent.body!)).toMatchObject({ error: 'store_unavailable' });
		expect(result).toEqual({ noWebhookResponse: true });
	});
});
