import { createHmac, randomUUID } from 'crypto';

import { handleCall } from '../../../nodes/WebhookTrigger/handleCall';
import type { CallNode } from '../../../nodes/WebhookTrigger/handleCall';
import type { IncomingCall } from '../../../nodes/WebhookTrigger/gate/gate';
import { parseIpAllowlist, parseOriginAllowlist } from '../../../nodes/WebhookTrigger/gate/allowlist';
import { enqueueDeliveries } from '../../../nodes/shared/store/inbox';
import { issueTestReplay, TEST_REPLAY_HEADER, TEST_REPLAY_TTL_MS } from '../../../nodes/shared/store/testReplays';
import type { Store } from '../../../nodes/shared/store/types';
import { requestConfig } from '../../support/gateConfig';
import { eachStore, truncate } from '../store/targets';

/**
 * Replay to the Test URL (issue 28) on each engine: Webhook Deliveries issues a one-time token for
 * a stored delivery; the trigger listening in the editor takes it and emits the stored item as its
 * test event, with replayOf. The token works once, for its own trigger, for 2 minutes; on the
 * production URL it means nothing; a refused or truncated item is never a test event.
 */
const WF = 'wf-test-replay';
const NODE = 'Webhook Trigger';
const SECRET = 'test-replay-secret';
const ITEM = { body: { id: 'evt_1', type: 'order.paid', customer: { email: 'ana@example.com' } }, headers: { 'content-type': 'application/json' }, query: {}, deliveryId: '' };

eachStore()('replay to the Test URL on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['inbox', 'deliveries', 'test_replays']));

	function nodeOf(overrides: Partial<CallNode> = {}): CallNode {
		return {
			workflowId: WF,
			nodeName: NODE,
			path: 'orders',
			test: true,
			responseMode: 'onReceived',
			options: {},
			log: undefined,
			// Only the replay's own address may call: the token, not the allowlist, admits it.
			callerRules: () => ({ ipAllowlist: parseIpAllowlist('203.0.113.7'), originAllowlist: parseOriginAllowlist('') }),
			gateConfig: async () =>
				requestConfig({ scheme: 'hmac', credentials: { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'x-signature', encoding: 'hex', prefix: '' } }),
			rawBody: async () => Buffer.from('{}'),
			delivery: { store: { key: `test-replay:${target.kind}`, open: async () => store } },
			...overrides,
		};
	}

	const replayCall = (token: string | undefined, now = Date.now()): IncomingCall => ({
		webhookName: 'default',
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { [TEST_REPLAY_HEADER]: token }) },
		query: {},
		params: {},
		body: {},
		rawBody: Buffer.from('{}'),
		ip: '127.0.0.1',
		now,
	});

	const send = async (node: CallNode, call: IncomingCall) =>
		await handleCall(node, call, randomUUID(), { rejected: () => undefined, misconfigured: () => undefined, problem: (m) => { throw new Error(m); } });

	const stored = async (item: unknown = ITEM, workflowId = WF, nodeName = NODE) => {
		const id = randomUUID();
		await enqueueDeliveries(store, [{ id, workflowId, nodeName, receivedAt: new Date(), item }]);
		return id;
	};

	const logged = async (outcome: string, item: unknown) => {
		const id = randomUUID();
		await store.query(
			`INSERT INTO deliveries (id, workflow_id, node_name, received_at, method, outcome, status, item)
			VALUES ($1::uuid, $2, $3, $4::timestamptz, 'POST', $5, 200, $6::jsonb)`,
			[id, WF, NODE, new Date().toISOString(), outcome, JSON.stringify(item)],
		);
		return id;
	};

	const tokenFor = async (id: string, now = new Date()) => {
		const issued = await issueTestReplay(store, id, now);
		if (issued.kind !== 'issued') throw new Error(`no token for ${id}`);
		return issued;
	};

	it('makes an inbox delivery the test event once: its item with replayOf, answered 200; the token then holds no more', async () => {
		const id = await stored();
		const issued = await tokenFor(id);
		expect(issued).toMatchObject({ workflowId: WF, nodeName: NODE });
		const first = await send(nodeOf(), replayCall(issued.token));
		expect(first.answer?.status).toBe(200);
		const item = first.workflowData?.[0][0].json as Record<string, unknown>;
		expect(item).toMatchObject({ body: ITEM.body, replayOf: id });
		expect(item.deliveryId).not.toBe(id);
		expect(JSON.parse(first.answer!.body)).toEqual({ replayed: id, deliveryId: item.deliveryId });

		const again = await send(nodeOf(), replayCall(issued.token));
		expect(again.answer?.status).toBe(401);
		expect(JSON.parse(again.answer!.body)).toMatchObject({ error: 'replay_token_invalid' });
		// The editor stops listening and shows why (a test rejection item, not the delivery).
		expect(again.workflowData?.[0][0].json).not.toHaveProperty('body');
	});

	it('takes the delivery id in either case (a UUID pasted in upper case)', async () => {
		const id = await stored();
		const issued = await tokenFor(id.toUpperCase());
		const result = await send(nodeOf(), replayCall(issued.token));
		expect(JSON.parse(result.answer!.body)).toMatchObject({ replayed: id });
	});

	it('holds only for the trigger of the delivery, only for 2 minutes, and never for a made-up token', async () => {
		const id = await stored();
		const other = await tokenFor(id);
		expect((await send(nodeOf({ nodeName: 'Another Trigger' }), replayCall(other.token))).answer?.status).toBe(401);
		expect((await send(nodeOf({ workflowId: 'another-workflow' }), replayCall(other.token))).answer?.status).toBe(401);
		// Refused for another trigger, the token stays for its own.
		expect((await send(nodeOf(), replayCall(other.token))).answer?.status).toBe(200);

		const issuedAt = Date.now();
		const late = await tokenFor(id, new Date(issuedAt));
		expect((await send(nodeOf(), replayCall(late.token, issuedAt + TEST_REPLAY_TTL_MS + 1))).answer?.status).toBe(401);
		const onTime = await tokenFor(id, new Date(issuedAt));
		expect((await send(nodeOf(), replayCall(onTime.token, issuedAt + TEST_REPLAY_TTL_MS - 1_000))).answer?.status).toBe(200);

		expect((await send(nodeOf(), replayCall(createHmac('sha256', 'x').update('y').digest('base64url')))).answer?.status).toBe(401);
		// Only hashes are stored: no row holds a token.
		const { rows } = await store.query<{ token_hash: string }>('SELECT token_hash FROM test_replays');
		for (const row of rows) expect([other.token, late.token, onTime.token]).not.toContain(row.token_hash);
	});

	it('on the production URL the header means nothing: the call is verified as any other, and the token stays unused', async () => {
		const id = await stored();
		const issued = await tokenFor(id);
		const production = await send(nodeOf({ test: false, callerRules: () => ({ ipAllowlist: parseIpAllowlist(''), originAllowlist: parseOriginAllowlist('') }) }), replayCall(issued.token));
		expect(production.answer?.status).toBe(401);
		expect(JSON.parse(production.answer!.body)).toMatchObject({ error: 'missing_signature' });
		expect(production.workflowData).toBeUndefined();
		expect((await send(nodeOf(), replayCall(issued.token))).answer?.status).toBe(200);
	});

	it('takes an accepted call the delivery log kept (Keep Bodies), never a refused or truncated one, nor an unknown id', async () => {
		const accepted = await logged('accepted', ITEM);
		const fromLog = await tokenFor(accepted);
		const result = await send(nodeOf(), replayCall(fromLog.token));
		expect(result.workflowData?.[0][0].json).toMatchObject({ body: ITEM.body, replayOf: accepted });

		const rejected = await logged('rejected', { body: { forged: true }, query: {} });
		const truncated = await logged('accepted', { truncated: true, itemBytes: 2_000_000, itemSha256: 'ab', preview: '{"body"' });
		const refusedInInbox = await stored(null);
		for (const id of [rejected, truncated, refusedInInbox, randomUUID(), 'not-an-id']) {
			expect(await issueTestReplay(store, id, new Date())).toEqual({ kind: 'missing' });
		}
	});
});
