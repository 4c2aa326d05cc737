import { createHash, createHmac, randomBytes } from 'crypto';

import { DeliveryLog } from '../../../nodes/WebhookTrigger/delivery/deliveryLog';
import { deliveryRecord, newDeliveryId } from '../../../nodes/WebhookTrigger/delivery/deliveryRecord';
import { redactionsFor } from '../../../nodes/WebhookTrigger/auth';
import { getDelivery, insertChunkSizes, insertDeliveries, listDeliveries } from '../../../nodes/shared/store/deliveries';
import { pruneDeliveries } from '../../../nodes/shared/store/deliveryRetention';
import { claimDue, completeDeliveries, enqueueDeliveries, failDelivery } from '../../../nodes/shared/store/inbox';
import type { DeliveryRecord } from '../../../nodes/shared/store/deliveries';
import type { Store } from '../../../nodes/shared/store/types';
import { dumpRows, eachStore, truncate } from './targets';

/**
 * The delivery log on both stores: rows for each outcome, batching, the bounded buffer under a
 * forged flood, retention, execution links, no secret in any stored column, and kept bodies
 * bounded per record and per workflow (issue 26, finding 4).
 */

const SECRET = 'hmac-secret-in-no-row-4417';
const TOKEN = 'bearer-token-in-no-row-5528';
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function call(overrides: Record<string, unknown> = {}) {
	const raw = Buffer.from('{"event":"order_approved","order":{"id":42}}');
	return {
		method: 'post',
		headers: {
			'content-type': 'application/json',
			'x-signature': 'sha256=' + createHmac('sha256', SECRET).update(raw).digest('hex'),
			authorization: `Bearer ${TOKEN}`,
			cookie: `session=${TOKEN}`,
			'x-request-id': 'req-1',
		} as Record<string, string>,
		query: { token: TOKEN, page: '1' } as Record<string, unknown>,
		body: JSON.parse(raw.toString()) as unknown,
		rawBody: raw as Buffer | undefined,
		ip: '203.0.113.7',
		now: NOW,
		...overrides,
	};
}

const hmacCredentials = { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' };

function record(workflowId: string, overrides: Partial<DeliveryRecord> = {}, keepBodies = false): DeliveryRecord {
	const item = { body: { event: 'order_approved' }, event: { path: 'body.event', value: 'order_approved', case: 'Approved' } };
	return {
		...deliveryRecord(newDeliveryId(), call(), { outcome: 'accepted', status: 200, reason: null, item }, {
			workflowId,
			nodeName: 'Webhook Trigger',
			redactions: redactionsFor('hmac', hmacCredentials),
			keepBodies,
		}),
		...overrides,
	};
}

/** A forged call refused with Keep Bodies on: its record carries the body (`{body, query}`). */
function forged(workflowId: string, body: unknown, receivedAt = NOW): DeliveryRecord {
	const raw = Buffer.from(JSON.stringify(body));
	return deliveryRecord(newDeliveryId(), call({ body, rawBody: raw, now: receivedAt }), { outcome: 'rejected', status: 401, reason: 'signature_mismatch' }, {
		workflowId,
		nodeName: 'Webhook Trigger',
		redactions: redactionsFor('hmac', hmacCredentials),
		keepBodies: true,
	});
}

/** Random, so the database cannot compress it: stored sizes are predictable. */
const noise = (bytes: number) => randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64').slice(0, bytes);

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

eachStore()('delivery log on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['deliveries']));

	it('writes 300 records in power-of-two INSERTs, each once; a retried part keeps one row and takes its execution id', async () => {
		const records = Array.from({ length: 300 }, () => record('wf-many'));
		await insertDeliveries(store, records);
		const retried = records.slice(100, 203).map((r) => ({ ...r, executionId: `exec-${r.id}` }));
		await insertDeliveries(store, retried);
		const { rows } = await store.query<{ id: string; execution_id: string | null }>('SELECT id, execution_id FROM deliveries WHERE workflow_id = $1', ['wf-many']);
		expect(rows).toHaveLength(300);
		const linked = rows.filter((row) => row.execution_id !== null);
		expect(linked.map((row) => row.execution_id).sort()).toEqual(retried.map((r) => `exec-${r.id}`).sort());
		expect(insertChunkSizes(300)).toEqual([256, 32, 8, 4]);
		expect(insertChunkSizes(103)).toEqual([64, 32, 4, 2, 1]);
	});

	it('records each outcome with its status and reason, newest first, filtered', async () => {
		const log = new DeliveryLog(async () => store, { maxBuffered: 100, flushIntervalMs: 10, pruneIntervalMs: 0 });
		const outcomes = [
			{ outcome: 'accepted', status: 200, reason: null },
			{ outcome: 'rejected', status: 401, reason: 'signature_mismatch' },
			{ outcome: 'rejected', status: 403, reason: 'ip_not_allowed' },
			{ outcome: 'handshake', status: 200, reason: 'handshake' },
			{ outcome: 'duplicate', status: 200, reason: 'duplicate' },
			{ outcome: 'error', status: 500, reason: 'configuration_error' },
		] as const;
		outcomes.forEach((o, i) => log.record(record('wf-a', { ...o, receivedAt: new Date(NOW + i * 1000) })));
		log.record(record('wf-b'));
		await log.flush();
		expect(log.stats).toMatchObject({ written: 7, dropped: 0, failedWrites: 0 });

		const all = await listDeliveries(store, { workflowId: 'wf-a' });
		expect(all.map((row) => row.reason)).toEqual([
			'configuration_error',
			'duplicate',
			'handshake',
			'ip_not_allowed',
			'signature_mismatch',
			null,
		]);
		expect(all[5]).toMatchObject({
			workflowId: 'wf-a',
			nodeName: 'Webhook Trigger',
			method: 'POST',
			outcome: 'accepted',
			status: 200,
			clientIp: '203.0.113.7',
			eventValue: 'order_approved',
			eventCase: 'Approved',
			executionId: null,
			bodyBytes: 44,
			receivedAt: new Date(NOW).toISOString(),
			item: null,
		});
		expect(all[5].bodySha256).toMatch(/^[0-9a-f]{64}$/);
		expect(await listDeliveries(store, { workflowId: 'wf-a', outcome: 'rejected' })).toHaveLength(2);
		expect(await listDeliveries(store, { reason: 'ip_not_allowed' })).toHaveLength(1);
		expect(await listDeliveries(store, { since: new Date(NOW + 4000) })).toHaveLength(2);
		expect(await listDeliveries(store, { workflowId: 'wf-a', until: new Date(NOW + 1000) })).toHaveLength(1);
		expect(await listDeliveries(store, { limit: 3 })).toHaveLength(3);
		expect(await getDelivery(store, all[1].id)).toEqual(all[1]);
		expect(await getDelivery(store, 'not-a-uuid')).toBeUndefined();
	});

	it('stores no secret, token, cookie or signature in any column', async () => {
		const log = new DeliveryLog(async () => store, { maxBuffered: 100, flushIntervalMs: 10, pruneIntervalMs: 0 });
		log.record(record('wf-secrets', {}, true));
		// A call refused before the node's credential was read: whatever header or parameter that
		// credential names (here x-partner-key, partner_token), no value but the harmless ones is kept.
		const refused = call({
			headers: { 'content-type': 'application/json', 'x-partner-key': TOKEN, 'x-my-api-key': TOKEN, authorization: `Basic ${TOKEN}` },
			query: { partner_token: TOKEN, page: '1' },
		});
		log.record({
			...deliveryRecord(newDeliveryId(), refused, { outcome: 'rejected', status: 403, reason: 'ip_not_allowed' }, {
				workflowId: 'wf-secrets',
				nodeName: 'Webhook Trigger',
				redactions: 'unknown',
				keepBodies: true,
			}),
		});
		await log.flush();
		const rows = (await dumpRows(store, 'deliveries')).map((dump) => ({ dump }));
		expect(rows).toHaveLength(2);
		const signature = createHmac('sha256', SECRET).update('{"event":"order_approved","order":{"id":42}}').digest('hex');
		for (const { dump } of rows) {
			expect(dump).not.toContain(SECRET);
			expect(dump).not.toContain(TOKEN);
			expect(dump).not.toContain(signature);
			expect(dump).toContain('[redacted]');
		}
		const [kept] = await listDeliveries(store, { outcome: 'accepted' });
		expect(kept.item).toMatchObject({ event: { value: 'order_approved' } });
		expect(kept.headers['x-request-id']).toBe('req-1');
		const [early] = await listDeliveries(store, { outcome: 'rejected' });
		expect(early.headers).toEqual({ 'content-type': 'application/json', 'x-partner-key': '[redacted]', 'x-my-api-key': '[redacted]', authorization: '[redacted]' });
		expect(early.item).toEqual({ body: { event: 'order_approved', order: { id: 42 } }, query: { partner_token: '[redacted]', page: '[redacted]' } });
	});

	it('writes in batches off the caller\'s path: record() returns at once, rows land after the interval', async () => {
		let writes = 0;
		const counting: Store = { ...store, query: async (...args: Parameters<Store['query']>) => {
			if (/^INSERT INTO deliveries/.test(args[0].trim())) writes++;
			return await store.query(...args);
		} } as Store;
		const log = new DeliveryLog(async () => counting, { maxBuffered: 10_000, flushIntervalMs: 50, pruneIntervalMs: 60_000 });
		for (let i = 0; i < 1200; i++) expect(log.record(record('wf-batch'))).toBe(true);
		expect((await listDeliveries(store, { workflowId: 'wf-batch' })).length).toBe(0);
		await sleep(150);
		await log.flush();
		const { rows } = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE workflow_id = 'wf-batch'");
		expect(rows[0].n).toBe(1200);
		// 1,200 rows in power-of-two statements (256 × 4, 128, 32, 16): 7 INSERTs, not 1,200.
		expect(writes).toBe(7);
	});

	it('bounds the buffer under a forged flood and writes the overflow as a counted row', async () => {
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		// The store is slow to open (a server far away, a first open): the buffer fills meanwhile.
		const log = new DeliveryLog(async () => { await gate; return store; }, { maxBuffered: 1000, flushIntervalMs: 10, pruneIntervalMs: 60_000 });
		let buffered = 0;
		for (let i = 0; i < 20_000; i++) if (log.record(record('wf-flood', { outcome: 'rejected', status: 401, reason: 'signature_mismatch' }))) buffered++;
		expect(buffered).toBe(1000);
		expect(log.stats.dropped).toBe(19_000);
		release();
		await sleep(50);
		await log.flush();
		const rows = await listDeliveries(store, { workflowId: 'wf-flood', limit: 1000 });
		const overflow = rows.filter((row) => row.outcome === 'overflow');
		expect(overflow).toHaveLength(1);
		expect(overflow[0]).toMatchObject({ reason: 'log_buffer_full', dropped: 19_000, nodeName: 'Webhook Trigger' });
		expect(rows.filter((row) => row.outcome === 'rejected')).toHaveLength(999);
		// 20,000 records built and 1,000 written: seconds on a loaded 2-core machine.
	}, 60_000);

	it('links an accepted delivery to its execution, buffered or already written', async () => {
		const log = new DeliveryLog(async () => store, { maxBuffered: 100, flushIntervalMs: 10_000, pruneIntervalMs: 60_000 });
		const early = record('wf-link');
		const late = record('wf-link');
		log.record(early);
		log.linkExecution(early.id, '101');
		log.record(late);
		await log.flush();
		log.linkExecution(late.id, '102');
		await log.flush();
		expect((await getDelivery(store, early.id))?.executionId).toBe('101');
		expect((await getDelivery(store, late.id))?.executionId).toBe('102');
	});

	it('shows where an inbox delivery stands (queued, retrying with its next attempt, done); other records have no inbox status', async () => {
		await truncate(store, ['inbox']);
		const log = new DeliveryLog(async () => store, { maxBuffered: 100, flushIntervalMs: 10_000, pruneIntervalMs: 60_000 });
		const stored = record('wf-inbox-log');
		const plain = record('wf-inbox-log');
		log.record(stored);
		log.record(plain);
		await log.flush();
		const at = (ms: number) => new Date(NOW + ms);
		await store.transaction(async (tx) => await enqueueDeliveries(tx, [{ id: stored.id, workflowId: 'wf-inbox-log', nodeName: 'Trigger', receivedAt: at(0), item: {} }]));
		expect((await getDelivery(store, stored.id))?.inbox).toEqual({ state: 'queued', attempts: 0, lastError: null, startedAt: null, finishedAt: null, nextAttemptAt: null });
		const claim = async (ms: number) => (await claimDue(store, { workflowId: 'wf-inbox-log', nodeName: 'Trigger', now: at(ms), limit: 1, leaseMs: 30_000, maxAttempts: 3 }))[0];
		const first = await claim(1_000);
		await failDelivery(store, { id: stored.id, attempt: first.attempt, now: at(2_000), error: 'boom', maxAttempts: 3, retryInMs: 30_000 });
		expect((await getDelivery(store, stored.id))?.inbox).toEqual({
			state: 'retrying',
			attempts: 1,
			lastError: 'boom',
			startedAt: at(1_000).toISOString(),
			finishedAt: null,
			nextAttemptAt: at(32_000).toISOString(),
		});
		const second = await claim(32_000);
		await completeDeliveries(store, [second], at(33_000));
		const [newest, oldest] = await listDeliveries(store, { workflowId: 'wf-inbox-log' });
		const byId = new Map([newest, oldest].map((row) => [row.id, row]));
		expect(byId.get(stored.id)?.inbox).toMatchObject({ state: 'done', attempts: 2, lastError: null, finishedAt: at(33_000).toISOString() });
		expect(byId.get(plain.id)).not.toHaveProperty('inbox');
	});

	it('links an execution whose record another process writes later (n8n queue mode: webhook processor and worker)', async () => {
		const options = { maxBuffered: 100, flushIntervalMs: 10_000, pruneIntervalMs: 60_000 };
		const webhookProcessor = new DeliveryLog(async () => store, options);
		const worker = new DeliveryLog(async () => store, options);
		const delivery = record('wf-queue-link');
		webhookProcessor.record(delivery);
		worker.linkExecution(delivery.id, '201');
		await worker.flush(); // the record is not written yet: the link waits
		await webhookProcessor.flush();
		expect((await getDelivery(store, delivery.id))?.executionId).toBeNull();
		await worker.flush();
		expect((await getDelivery(store, delivery.id))?.executionId).toBe('201');
	});

	it('prunes by age and by rows per workflow, leaving other workflows alone', async () => {
		// The log's clock and the records' times are one fixed instant: the real date never matters.
		const log = new DeliveryLog(async () => store, { maxBuffered: 100, flushIntervalMs: 10_000, pruneIntervalMs: 0, clock: () => NOW });
		const day = 24 * 60 * 60 * 1000;
		for (let i = 0; i < 10; i++) log.record(record('wf-old', { receivedAt: new Date(NOW - i * day) }));
		for (let i = 0; i < 5; i++) log.record(record('wf-other', { receivedAt: new Date(NOW - 30 * day) }));
		await log.flush();
		expect(await pruneDeliveries(store, 'wf-old', { maxAgeMs: 7 * day + 60_000, maxRows: 5 }, new Date(NOW))).toBe(5);
		const kept = await listDeliveries(store, { workflowId: 'wf-old' });
		expect(kept).toHaveLength(5);
		expect(await listDeliveries(store, { workflowId: 'wf-other' })).toHaveLength(5);
		// The log prunes on its own after a write, with the retention the node passed.
		log.record(record('wf-other'), { maxAgeMs: 7 * day, maxRows: 10_000 });
		await log.flush();
		expect(await listDeliveries(store, { workflowId: 'wf-other' })).toHaveLength(1);
	});

	it('stores a kept body over 64 KiB as a marker (its size, SHA-256 and beginning), never in full', async () => {
		const log = new DeliveryLog(async () => store, { maxBuffered: 100, flushIntervalMs: 10_000, pruneIntervalMs: 60_000 });
		// 1 MB, the cut falling among characters PostgreSQL is strict about in jsonb (surrogate pairs,
		// escapes); the second is shifted by one character, so one cut lands inside a pair.
		const hostileBody = { order: 'forged', blob: '😀𝄞"\\\n'.repeat(20_000) + noise(1024 * 1024) };
		const hostile = forged('wf-cap', hostileBody);
		const shifted = forged('wf-cap', { order: 'forged!', blob: hostileBody.blob }, NOW - 500);
		const small = forged('wf-cap', { order: 'fine', blob: noise(60_000) }, NOW - 1000);
		log.record(hostile);
		log.record(shifted);
		log.record(small);
		await log.flush();
		expect(log.stats).toMatchObject({ written: 3, failedWrites: 0 });
		expect((await getDelivery(store, shifted.id))?.item).toMatchObject({ truncated: true });

		const capped = await getDelivery(store, hostile.id);
		const json = JSON.stringify({ body: hostileBody, query: { token: '[redacted]', page: '1' } });
		expect(capped?.item).toEqual({
			truncated: true,
			itemBytes: Buffer.byteLength(json),
			itemSha256: createHash('sha256').update(json).digest('hex'),
			preview: expect.any(String),
		});
		expect(json.startsWith(capped?.item?.preview as string)).toBe(true);
		// The preview takes the room: the marker is just under the cap.
		expect(Buffer.byteLength(JSON.stringify(capped?.item))).toBeGreaterThan(64 * 1024 - 64);
		expect(Buffer.byteLength(JSON.stringify(capped?.item))).toBeLessThanOrEqual(64 * 1024);
		// The raw body's own size and hash are still there.
		expect(capped).toMatchObject({ bodyBytes: Buffer.byteLength(JSON.stringify(hostileBody)), bodySha256: hostile.bodySha256 });
		const { rows } = await store.query<{ id: string; bytes: number }>(
			"SELECT id, octet_length(item::text) AS bytes FROM deliveries WHERE workflow_id = 'wf-cap'",
		);
		// jsonb's text adds a space after each ':' and ','.
		for (const row of rows) expect(Number(row.bytes)).toBeLessThanOrEqual(64 * 1024 + 16);

		// Under the cap: kept exactly.
		expect((await getDelivery(store, small.id))?.item).toEqual({ body: { order: 'fine', blob: (small.item?.body as { blob: string }).blob }, query: { token: '[redacted]', page: '1' } });

		// Cuts at every position among surrogate pairs: the database takes each preview (a lone
		// surrogate would fail the whole batch).
		const tight = new DeliveryLog(async () => store, { maxBuffered: 100, maxKeptBodyBytes: 400, flushIntervalMs: 10_000, pruneIntervalMs: 60_000 });
		for (let shift = 0; shift < 12; shift++) tight.record(forged('wf-cap-pairs', { text: 'a'.repeat(shift) + '😀𝄞'.repeat(500) }));
		await tight.flush();
		expect(tight.stats).toMatchObject({ written: 12, failedWrites: 0 });
		const pairs = await listDeliveries(store, { workflowId: 'wf-cap-pairs' });
		expect(pairs.map((row) => row.item?.truncated)).toEqual(Array(12).fill(true));
	}, 60_000);

	it('keeps the bodies of the newest records up to the per-workflow bound; older rows stay without their item', async () => {
		const log = new DeliveryLog(async () => store, {
			maxBuffered: 100,
			maxKeptBodyBytesPerWorkflow: 50_000,
			flushIntervalMs: 10_000,
			pruneIntervalMs: 0,
			clock: () => NOW,
		});
		const retention = { maxAgeMs: 7 * 24 * 60 * 60 * 1000, maxRows: 10_000 };
		// Ten bodies of 20 KB (the newest first), and another workflow's, which stays untouched.
		const mine = Array.from({ length: 10 }, (_, i) => forged('wf-bodies', { blob: noise(20_000) }, NOW - i * 1000));
		for (const delivery of mine) log.record(delivery, retention);
		for (let i = 0; i < 5; i++) log.record(forged('wf-bodies-other', { blob: noise(20_000) }, NOW - i * 1000));
		await log.flush();

		const rows = await listDeliveries(store, { workflowId: 'wf-bodies' });
		expect(rows.map((row) => row.id)).toEqual(mine.map((delivery) => delivery.id));
		// 2 × 20 KB fit in 50,000 bytes, a third does not.
		expect(rows.map((row) => row.item !== null)).toEqual([true, true, false, false, false, false, false, false, false, false]);
		expect(rows[0].item).toEqual(mine[0].item);
		expect(rows.every((row) => row.bodySha256 !== null && row.bodyBytes > 20_000)).toBe(true);
		expect((await listDeliveries(store, { workflowId: 'wf-bodies-other' })).every((row) => row.item !== null)).toBe(true);

		// The prune itself, with the bound in the retention (0: no body kept at all).
		expect(await pruneDeliveries(store, 'wf-bodies-other', { ...retention, maxKeptBodyBytes: 0 }, new Date(NOW))).toBe(0);
		const other = await listDeliveries(store, { workflowId: 'wf-bodies-other' });
		expect(other).toHaveLength(5);
		expect(other.every((row) => row.item === null)).toBe(true);
	}, 60_000);

	it('counts the body bytes of the calls an overflow row stands for (saturating the integer column)', async () => {
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const log = new DeliveryLog(async () => { await gate; return store; }, { maxBuffered: 2, flushIntervalMs: 10, pruneIntervalMs: 60_000 });
		for (let i = 0; i < 5; i++) log.record(record('wf-overflow-bytes', { bodyBytes: 1000 + i }));
		for (let i = 0; i < 3; i++) log.record(record('wf-overflow-huge', { bodyBytes: 1_500_000_000 }));
		release();
		await sleep(50);
		await log.flush();
		const [bytes] = await listDeliveries(store, { workflowId: 'wf-overflow-bytes', outcome: 'overflow' });
		expect(bytes).toMatchObject({ dropped: 3, bodyBytes: 1002 + 1003 + 1004 });
		const [huge] = await listDeliveries(store, { workflowId: 'wf-overflow-huge', outcome: 'overflow' });
		// docs/delivery-log.md: stored up to 2,147,483,647 (an integer column); the batch is not lost to it.
		expect(huge).toMatchObject({ dropped: 3, bodyBytes: 2_147_483_647 });
		expect(log.stats.failedWrites).toBe(0);
	});

	it('counts a failed write and reports it, without throwing at the caller', async () => {
		const problems: string[] = [];
		const log = new DeliveryLog(async () => { throw new Error('store down'); }, { maxBuffered: 100, flushIntervalMs: 10, pruneIntervalMs: 0 }, (m) => problems.push(m));
		log.record(record('wf-down'));
		await log.flush();
		expect(log.stats).toMatchObject({ failedWrites: 1, dropped: 1, written: 0 });
		expect(problems).toEqual(['could not write 1 delivery records: store down']);
	});
});
