import { createHmac, randomUUID } from 'crypto';

import { handleCall } from '../../../nodes/WebhookTrigger/handleCall';
import type { CallNode } from '../../../nodes/WebhookTrigger/handleCall';
import type { IncomingCall } from '../../../nodes/WebhookTrigger/gate/gate';
import { parseIpAllowlist, parseOriginAllowlist } from '../../../nodes/WebhookTrigger/gate/allowlist';
import { startInboxPump } from '../../../nodes/WebhookTrigger/delivery/inboxPump';
import { verifyReplayedCall } from '../../../nodes/WebhookTrigger/delivery/refusedReplay';
import { claimDelivery } from '../../../nodes/WebhookTrigger/delivery/duplicates';
import { deliveryKeyOf } from '../../../nodes/WebhookTrigger/triggerOptions';
import type { TriggerOptions } from '../../../nodes/WebhookTrigger/triggerOptions';
import { MAX_REFUSED_KEPT } from '../../../nodes/shared/store/inbox';
import { acceptReplayRecord, replayDelivery, replayMatching } from '../../../nodes/shared/store/inboxReplay';
import type { Store } from '../../../nodes/shared/store/types';
import { requestConfig } from '../../support/gateConfig';
import type { RequestConfig } from '../../support/gateConfig';
import { eachStore, truncate } from '../store/targets';

/**
 * Replay of refused calls (issue 28) through the whole pipeline on each engine: in inbox mode a
 * call refused for its signature is kept as received; once the secret is fixed, a replay by filter
 * verifies each one again with the credential as it is then — signed timestamps against the
 * arrival time — and runs what passes once, while a forged call stays refused and a token scheme
 * keeps nothing.
 */
const WF = 'wf-refused';
const NODE = 'Webhook Trigger';
// Relative to the real clock: the pump prunes finished rows 7 days old, and kept refusals are finished at arrival.
const T0 = Date.now() - 60_000;
const OLD_SECRET = 'old-secret-typed-wrong';
const NEW_SECRET = 'whsec_the-right-one';
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

const hex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

const hmacConfig = (secret: string): RequestConfig =>
	requestConfig({ scheme: 'hmac', credentials: { secret, algorithm: 'sha256', source: 'header', parameterName: 'x-signature', encoding: 'hex', prefix: '' } });
const stripeConfig = (secret: string): RequestConfig => requestConfig({ scheme: 'stripe', credentials: { secret, toleranceSeconds: 300 } });
const bearerConfig = (token: string): RequestConfig => requestConfig({ scheme: 'bearer', credentials: { token } });

function signedCall(body: object, headers: Record<string, string>, now: number): IncomingCall {
	const raw = JSON.stringify(body);
	return {
		webhookName: 'default',
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		query: {},
		params: {},
		body,
		rawBody: Buffer.from(raw),
		ip: '10.0.0.1',
		now,
	};
}

const hmacCall = (body: object, secret: string, now: number) => signedCall(body, { 'x-signature': hex(secret, JSON.stringify(body)) }, now);
const stripeCall = (body: object, secret: string, now: number, signedAt = now) => {
	const t = Math.floor(signedAt / 1000);
	return signedCall(body, { 'stripe-signature': `t=${t},v1=${hex(secret, `${t}.${JSON.stringify(body)}`)}` }, now);
};

eachStore()('replay of refused calls on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['inbox', 'deliveries', 'delivery_keys']));

	const trigger = () => ({ key: `refused:${target.kind}`, open: async () => store });

	/** The trigger in inbox mode with `config` as its gate. */
	function nodeWith(config: () => RequestConfig, options: TriggerOptions = {}): CallNode {
		return {
			workflowId: WF,
			nodeName: NODE,
			path: 'refused',
			test: false,
			responseMode: 'onReceived',
			options: { inbox: true, ...options },
			log: undefined,
			callerRules: () => ({ ipAllowlist: parseIpAllowlist(''), originAllowlist: parseOriginAllowlist('') }),
			gateConfig: async () => config(),
			rawBody: async () => undefined,
			delivery: { store: trigger() },
		};
	}

	const send = async (node: CallNode, call: IncomingCall) => {
		const raw = call.rawBody;
		const result = await handleCall({ ...node, rawBody: async () => raw }, { ...call }, randomUUID(), { rejected: () => undefined, misconfigured: () => undefined, problem: (m) => { throw new Error(m); } });
		return result.answer?.status;
	};

	const rows = async () =>
		(await store.query<{ id: string; state: string; replay_of: string | null; last_error: string | null }>('SELECT id, state, replay_of, last_error FROM inbox ORDER BY seq')).rows;

	/** Runs the pump with the gate as configured now until nothing is due; returns the items run. */
	async function pumpOnce(config: () => RequestConfig, options: TriggerOptions = {}): Promise<Array<Record<string, unknown>>> {
		const ran: Array<Record<string, unknown>> = [];
		const pump = startInboxPump(WF, NODE, { concurrency: 1, maxAttempts: 3, retryBaseMs: 0, retryMaxMs: 0, batchSize: 1, batchWindowMs: 0, perMinute: 0, holdMs: 0 }, {
			open: async () => store,
			run: async (items) => {
				ran.push(...items);
				return { ok: true };
			},
			verify: async (call, delivery) =>
				await verifyReplayedCall(call, { deliveryId: delivery.id, replayOf: delivery.replayOf }, {
					gateConfig: async () => config(),
					claimKey: async (root, scheme) => {
						const key = deliveryKeyOf(options, scheme, root);
						if (key === undefined) return undefined;
						return await claimDelivery(trigger(), { workflowId: WF, nodeName: NODE, key, deliveryId: delivery.id, now: Date.now(), windowHours: 24, started: true }, 0);
					},
				}),
			now: Date.now,
			problem: (m) => {
				throw new Error(m);
			},
		});
		try {
			const deadline = Date.now() + 20_000;
			while ((await rows()).some((row) => ['queued', 'running', 'retrying'].includes(row.state))) {
				if (Date.now() > deadline) throw new Error('the pump did not finish');
				await sleep(20);
			}
		} finally {
			pump.stop();
			await pump.settled();
		}
		return ran;
	}

	it('wrong secret → fixed → replay by filter runs the refused calls once; a forged one stays refused', async () => {
		let secret = OLD_SECRET;
		const node = nodeWith(() => hmacConfig(secret));
		// The provider signs with the right secret; the node still has the wrong one.
		expect(await send(node, hmacCall({ order: 1 }, NEW_SECRET, T0))).toBe(401);
		expect(await send(node, hmacCall({ order: 2 }, NEW_SECRET, T0 + 1))).toBe(401);
		// Forged: signed with a secret nobody configured.
		expect(await send(node, hmacCall({ order: 666 }, 'forger', T0 + 2))).toBe(401);
		// A missing signature can never verify: not kept.
		expect(await send(node, signedCall({ order: 3 }, {}, T0 + 3))).toBe(401);
		const kept = await rows();
		expect(kept.map((row) => row.state)).toEqual(['refused', 'refused', 'refused']);
		// Refused rows never run by themselves.
		expect(await pumpOnce(() => hmacConfig(secret))).toEqual([]);

		secret = NEW_SECRET;
		const replays = await replayMatching(store, { workflowId: WF, outcome: 'refused', limit: 100 }, new Date(), randomUUID);
		expect(replays.map((r) => r.replayOf)).toEqual(kept.map((row) => row.id));
		const ran = await pumpOnce(() => hmacConfig(secret));
		expect(ran.map((item) => (item.body as { order: number }).order)).toEqual([1, 2]);
		expect(ran.map((item) => item.replayOf)).toEqual([kept[0].id, kept[1].id]);
		expect(ran.map((item) => item.deliveryId)).toEqual([replays[0].id, replays[1].id]);
		const after = await rows();
		const forgedReplay = after.find((row) => row.replay_of === kept[2].id);
		expect(forgedReplay).toMatchObject({ state: 'failed', last_error: 'refused again: signature_mismatch (401)' });
		// Run again, the filter finds nothing: each refusal is replayed once.
		expect(await replayMatching(store, { workflowId: WF, outcome: 'refused', limit: 100 }, new Date(), randomUUID)).toEqual([]);
		// The default filter (failed or done) leaves refusals alone.
		const { rows: counted } = await store.query<{ n: number }>(`SELECT count(*) AS n FROM inbox WHERE state = 'refused'`);
		expect(Number(counted[0].n)).toBe(3);
	});

	it("keeps no Authorization or Cookie header of a refused call, unless the scheme reads its signature from it", async () => {
		const body = { order: 7 };
		const withCredentials = (signature: Record<string, string>) =>
			signedCall(body, { ...signature, authorization: 'Basic dXNlcjpwYXNz', cookie: 'session=s3cr3t', 'proxy-authorization': 'Basic eDp5', 'x-request-id': 'r-1' }, T0);
		expect(await send(nodeWith(() => hmacConfig(OLD_SECRET)), withCredentials({ 'x-signature': hex(NEW_SECRET, JSON.stringify(body)) }))).toBe(401);
		const storedHeaders = async () =>
			(await store.query<{ call: unknown }>("SELECT call FROM inbox WHERE state = 'refused' ORDER BY seq")).rows.map((row) => {
				const call = (typeof row.call === 'string' ? JSON.parse(row.call) : row.call) as { headers: Record<string, unknown> };
				return call.headers;
			});
		const [kept] = await storedHeaders();
		expect(Object.keys(kept).sort()).toEqual(['content-type', 'x-request-id', 'x-signature']);

		// A generic HMAC credential that reads its signature from Authorization keeps that one (only).
		await truncate(store, ['inbox']);
		const inAuthorization = (secret: string): RequestConfig =>
			requestConfig({ scheme: 'hmac', credentials: { secret, algorithm: 'sha256', source: 'header', parameterName: 'Authorization', encoding: 'hex', prefix: '' } });
		const signed = signedCall(body, { authorization: hex(NEW_SECRET, JSON.stringify(body)), cookie: 'session=s3cr3t' }, T0);
		expect(await send(nodeWith(() => inAuthorization(OLD_SECRET)), signed)).toBe(401);
		const [keptSigned] = await storedHeaders();
		expect(Object.keys(keptSigned).sort()).toEqual(['authorization', 'content-type']);
		// And it still verifies once the secret is fixed.
		await replayMatching(store, { workflowId: WF, outcome: 'refused', limit: 100 }, new Date(), randomUUID);
		expect((await pumpOnce(() => inAuthorization(NEW_SECRET))).map((item) => item.body)).toEqual([body]);
	});

	it('judges a signed timestamp against the arrival time, not the replay', async () => {
		let secret = OLD_SECRET;
		// Arrived an hour ago with a fresh timestamp (Stripe's tolerance is 5 minutes).
		const arrival = Date.now() - 60 * 60_000;
		const node = nodeWith(() => stripeConfig(secret));
		expect(await send(node, stripeCall({ id: 'evt_1' }, NEW_SECRET, arrival))).toBe(401);
		// Signed two hours before it arrived: refused for its age; still too old when replayed.
		expect(await send(node, stripeCall({ id: 'evt_old' }, NEW_SECRET, arrival, arrival - 2 * 60 * 60_000))).toBe(401);
		const kept = await rows();
		secret = NEW_SECRET;
		await replayMatching(store, { workflowId: WF, outcome: 'refused', limit: 100 }, new Date(), randomUUID);
		const ran = await pumpOnce(() => stripeConfig(secret));
		expect(ran.map((item) => (item.body as { id: string }).id)).toEqual(['evt_1']);
		expect((await rows()).find((row) => row.replay_of === kept[1].id)).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/^refused again: timestamp_outside_tolerance/) });
	});

	it('does not run a replayed refusal whose delivery key already ran (the provider retried after the fix)', async () => {
		let secret = OLD_SECRET;
		const options: TriggerOptions = { suppressDuplicates: true, duplicateKeyPath: 'body.event_id' };
		const node = nodeWith(() => hmacConfig(secret), options);
		expect(await send(node, hmacCall({ event_id: 'e1' }, NEW_SECRET, Date.now()))).toBe(401);
		secret = NEW_SECRET;
		// The provider's retry, after the fix, is accepted and stored.
		expect(await send(node, hmacCall({ event_id: 'e1' }, NEW_SECRET, Date.now()))).toBe(202);
		const [refused] = await rows();
		const replay = await replayDelivery(store, refused.id, randomUUID(), new Date());
		expect(replay.kind).toBe('replayed');
		const ran = await pumpOnce(() => hmacConfig(secret), options);
		// The accepted retry ran; the replay of the refusal did not.
		expect(ran.map((item) => item.replayOf ?? null)).toEqual([null]);
		const replayed = (await rows()).find((row) => row.replay_of === refused.id);
		expect(replayed?.state).toBe('failed');
		expect(replayed?.last_error).toMatch(/^not run: delivery .* with the same key ran$/);
	});

	it('keeps nothing for a token scheme, or outside inbox mode, or beyond the cap', async () => {
		const bearer = nodeWith(() => bearerConfig('right-token'));
		expect(await send(bearer, signedCall({}, { authorization: 'Bearer wrong' }, T0))).toBe(401);
		const plain = { ...nodeWith(() => hmacConfig(OLD_SECRET)), options: {} };
		expect(await send(plain, hmacCall({ n: 1 }, NEW_SECRET, T0))).toBe(401);
		expect(await rows()).toEqual([]);
		// The cap: a flood of forged calls keeps at most MAX_REFUSED_KEPT of them.
		const { rowCount } = await store.query(
			`INSERT INTO inbox (id, workflow_id, node_name, received_at, item, state, available_at, finished_at, call)
			SELECT $1::uuid, $2, $3, $4::timestamptz, 'null'::jsonb, 'refused', $4::timestamptz, $4::timestamptz, '{}'::jsonb`,
			[randomUUID(), WF, NODE, new Date(T0).toISOString()],
		);
		expect(rowCount).toBe(1);
		for (let n = 1; n < MAX_REFUSED_KEPT; n++) {
			await store.query(
				`INSERT INTO inbox (id, workflow_id, node_name, received_at, item, state, available_at, finished_at, call)
				SELECT $1::uuid, $2, $3, $4::timestamptz, 'null'::jsonb, 'refused', $4::timestamptz, $4::timestamptz, '{}'::jsonb`,
				[randomUUID(), WF, NODE, new Date(T0).toISOString()],
			);
		}
		const node = nodeWith(() => hmacConfig(OLD_SECRET));
		// A day before the other cases' calls: the minute this trigger is known full ends before them.
		const dayBefore = T0 - 24 * 60 * 60_000;
		expect(await send(node, hmacCall({ n: 2 }, 'forger', dayBefore))).toBe(401);
		const { rows: counted } = await store.query<{ n: number }>(`SELECT count(*) AS n FROM inbox WHERE state = 'refused'`);
		expect(Number(counted[0].n)).toBe(MAX_REFUSED_KEPT);
		// Room again (pruned): kept once the minute is over, not before.
		await store.query(`DELETE FROM inbox WHERE seq IN (SELECT seq FROM inbox WHERE state = 'refused' ORDER BY seq LIMIT 1)`);
		expect(await send(node, hmacCall({ n: 3 }, 'forger', dayBefore + 30_000))).toBe(401);
		expect(await send(node, hmacCall({ n: 4 }, 'forger', dayBefore + 61_000))).toBe(401);
		const { rows: kept } = await store.query<{ call: unknown }>(`SELECT call FROM inbox WHERE state = 'refused' ORDER BY seq DESC LIMIT 1`);
		const last = (typeof kept[0].call === 'string' ? JSON.parse(kept[0].call) : kept[0].call) as { body: { n: number } };
		expect(last.body.n).toBe(4);
	}, 60_000);

	it('marks the log record of a replayed refusal accepted once it verifies', async () => {
		const id = randomUUID();
		await store.query(
			`INSERT INTO deliveries (id, workflow_id, node_name, received_at, method, outcome, status, reason, headers) VALUES ($1::uuid, $2, $3, $4::timestamptz, 'POST', 'rejected', 401, 'replay', '{}'::jsonb)`,
			[id, WF, NODE, new Date(T0).toISOString()],
		);
		await acceptReplayRecord(store, id);
		const { rows: logged } = await store.query<{ outcome: string; status: number }>('SELECT outcome, status FROM deliveries WHERE id = $1::uuid', [id]);
		expect(logged[0]).toMatchObject({ outcome: 'accepted' });
		expect(Number(logged[0].status)).toBe(0);
	});
});
