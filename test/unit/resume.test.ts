import { createServer } from 'http';
import type { AddressInfo } from 'net';

import { HANDOVER_TOKEN_HEADER } from '../../nodes/shared/correlation';
import { keyHash as sha256 } from '../../nodes/shared/store/deliveryKeys';
import type { ClaimedWait } from '../../nodes/shared/store/waits';
import { postHandover, resumeSettingsOf, resumeWaiting } from '../../nodes/WebhookTrigger/delivery/resume';
import type { Handover, HandoverResult, ResumeSettings, WaitRegistry } from '../../nodes/WebhookTrigger/delivery/resume';

const WAIT: ClaimedWait = {
	id: '00000000-0000-4000-8000-000000000001',
	workflowId: 'wf-a',
	executionId: '77',
	nodeName: 'Wait for Webhook',
	resumeUrl: 'http://127.0.0.1:5678/webhook-waiting/77',
};

/** A registry holding `waiting` for key `order-42`, recording what it was asked. */
function registry(waiting: ClaimedWait | undefined = WAIT, released = true) {
	const calls = { claims: [] as Array<{ key: string | undefined; tokenHash: string }>, releases: [] as Array<{ id: string; tokenHash: string }> };
	const fake: WaitRegistry = {
		claim: async (key, tokenHash) => {
			calls.claims.push({ key, tokenHash });
			return key === 'order-42' ? waiting : undefined;
		},
		release: async (id, tokenHash) => {
			calls.releases.push({ id, tokenHash });
			return released;
		},
	};
	return { fake, calls };
}

/** A hand-over answering `results` in turn (the last one repeated), recording its calls. */
function handover(...results: HandoverResult[]) {
	const calls: Array<{ url: string; token: string; item: Record<string, unknown> }> = [];
	const fake: Handover = async (url, token, item) => {
		calls.push({ url, token, item });
		return results[Math.min(calls.length - 1, results.length - 1)];
	};
	return { fake, calls };
}

const settings = (overrides: Partial<ResumeSettings> = {}): ResumeSettings => ({
	keyPath: 'body.order.id',
	alsoStart: false,
	whenNotWaiting: 'startExecution',
	...overrides,
});
const call = (orderId: unknown) => ({
	root: { body: { order: { id: orderId } }, headers: {}, query: {}, params: {} },
	item: { body: { order: { id: orderId } }, verification: { scheme: 'hmac' } },
	now: Date.UTC(2026, 10, 24, 12),
});

describe('resume settings from the trigger options', () => {
	it('resumes nothing without a correlation path', () => {
		expect(resumeSettingsOf({})).toBeUndefined();
		expect(resumeSettingsOf({ resumeKeyPath: '  ' })).toBeUndefined();
	});

	it('defaults to starting this workflow when nothing waits, and not also starting it on a match', () => {
		expect(resumeSettingsOf({ resumeKeyPath: ' body.order.id ' })).toEqual({ keyPath: 'body.order.id', alsoStart: false, whenNotWaiting: 'startExecution' });
		expect(resumeSettingsOf({ resumeKeyPath: 'body.id', resumeAlsoStart: true, resumeWhenNotWaiting: 'reject409' })).toEqual({
			keyPath: 'body.id',
			alsoStart: true,
			whenNotWaiting: 'reject409',
		});
		expect(resumeSettingsOf({ resumeKeyPath: 'body.id', resumeWhenNotWaiting: 'bogus' })?.whenNotWaiting).toBe('startExecution');
	});
});

describe('resuming the waiting execution', () => {
	it('claims with the hash of the token it hands over, with the item and its correlation', async () => {
		const store = registry();
		const post = handover('delivered');
		expect(await resumeWaiting(store.fake, settings(), call('order-42'), post.fake)).toEqual({ kind: 'resumed', executionId: '77' });
		expect(post.calls).toHaveLength(1);
		expect(post.calls[0].url).toBe(WAIT.resumeUrl);
		expect(store.calls.claims).toEqual([{ key: 'order-42', tokenHash: sha256(post.calls[0].token) }]);
		expect(post.calls[0].token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(post.calls[0].item).toEqual({ ...call('order-42').item, correlation: { path: 'body.order.id', key: 'order-42' } });
		expect(store.calls.releases).toEqual([]);
	});

	it('uses a new token for every call', async () => {
		const store = registry();
		const post = handover('delivered');
		await resumeWaiting(store.fake, settings(), call('order-42'), post.fake);
		await resumeWaiting(store.fake, settings(), call('order-42'), post.fake);
		expect(post.calls[0].token).not.toBe(post.calls[1].token);
	});

	it('also starts this workflow after resuming when asked to', async () => {
		expect(await resumeWaiting(registry().fake, settings({ alsoStart: true }), call('order-42'), handover('delivered').fake)).toEqual({
			kind: 'start',
			reason: 'resumed',
		});
	});

	it('answers every miss alike: unknown key, no key, a key that is not text', async () => {
		for (const whenNotWaiting of ['reject404', 'reject409'] as const) {
			const status = whenNotWaiting === 'reject404' ? 404 : 409;
			for (const orderId of ['order-4', undefined, { nested: true }]) {
				const store = registry();
				const post = handover('delivered');
				const decision = await resumeWaiting(store.fake, settings({ whenNotWaiting }), call(orderId), post.fake);
				expect(decision).toEqual({
					kind: 'answer',
					reply: expect.objectContaining({ status, code: 'not_waiting', body: '{"error":"not_waiting","message":"No execution is waiting for this call"}' }),
				});
				// The same single claim ran for every miss; nothing was handed over.
				expect(store.calls.claims).toHaveLength(1);
				expect(post.calls).toEqual([]);
			}
		}
		expect(await resumeWaiting(registry().fake, settings(), call('order-4'), handover('delivered').fake)).toEqual({ kind: 'start', reason: 'not_waiting' });
	});

	it('compares numbers as their text', async () => {
		const store = registry();
		await resumeWaiting(store.fake, settings(), call(42), handover('delivered').fake);
		expect(store.calls.claims[0].key).toBe('42');
	});

	it('releases the claim and answers 503 when the hand-over fails', async () => {
		const store = registry();
		const post = handover('failed');
		const decision = await resumeWaiting(store.fake, settings({ whenNotWaiting: 'reject404' }), call('order-42'), post.fake);
		expect(decision).toEqual({ kind: 'answer', reply: expect.objectContaining({ status: 503, code: 'resume_failed', headers: { 'Retry-After': '30' } }) });
		expect(store.calls.releases).toEqual([{ id: WAIT.id, tokenHash: sha256(post.calls[0].token) }]);
	});

	it('counts a failed answer as resumed when the node had taken the hand-over (nothing to release)', async () => {
		const decision = await resumeWaiting(registry(WAIT, false).fake, settings(), call('order-42'), handover('failed').fake);
		expect(decision).toEqual({ kind: 'resumed', executionId: '77' });
	});

	it('retries while n8n is still saving the wait, and gives up (released, 503) at the deadline', async () => {
		const post = handover('busy', 'busy', 'delivered');
		expect(await resumeWaiting(registry().fake, settings(), call('order-42'), post.fake)).toEqual({ kind: 'resumed', executionId: '77' });
		expect(post.calls).toHaveLength(3);

		const store = registry();
		const stuck = handover('busy');
		const decision = await resumeWaiting(store.fake, settings(), call('order-42'), stuck.fake, 250);
		expect(decision).toMatchObject({ kind: 'answer', reply: { status: 503 } });
		expect(stuck.calls.length).toBeGreaterThanOrEqual(2);
		expect(store.calls.releases).toHaveLength(1);
	});

	it('treats an execution n8n no longer has waiting as a miss, without releasing it', async () => {
		const store = registry();
		const decision = await resumeWaiting(store.fake, settings({ whenNotWaiting: 'reject409' }), call('order-42'), handover('gone').fake);
		expect(decision).toMatchObject({ kind: 'answer', reply: { status: 409, code: 'not_waiting' } });
		expect(store.calls.releases).toEqual([]);
	});
});

describe('the hand-over POST', () => {
	const serve = async (status: number, body: string) => {
		const seen: Array<{ token: unknown; body: string; type: unknown }> = [];
		const server = createServer((req, res) => {
			let text = '';
			req.on('data', (chunk: Buffer) => (text += chunk.toString()));
			req.on('end', () => {
				seen.push({ token: req.headers[HANDOVER_TOKEN_HEADER], body: text, type: req.headers['content-type'] });
				res.statusCode = status;
				res.end(body);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook-waiting/77`;
		return { url, seen, close: async () => await new Promise((resolve) => server.close(resolve)) };
	};

	it.each([
		[200, '{"message":"Workflow was started"}', 'delivered'],
		[409, '{"code":409,"message":"The execution \\"77\\" is running already."}', 'busy'],
		[409, '{"code":409,"message":"The execution \\"77\\" has finished already."}', 'gone'],
		[404, '{"code":404,"message":"The execution \\"77\\" does not exist."}', 'gone'],
		[403, '{"error":"forbidden"}', 'failed'],
		[500, 'oops', 'failed'],
	])('n8n answers %d %s → %s', async (status, body, expected) => {
		const server = await serve(status, body);
		try {
			expect(await postHandover(server.url, 'tok-1', { body: { a: 1 } })).toBe(expected);
			expect(server.seen).toEqual([{ token: 'tok-1', body: '{"body":{"a":1}}', type: 'application/json' }]);
		} finally {
			await server.close();
		}
	});

	it('fails when n8n cannot be reached', async () => {
		const server = await serve(200, '');
		await server.close();
		expect(await postHandover(server.url, 'tok', {})).toBe('failed');
	});
});
