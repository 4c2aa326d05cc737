import { randomUUID } from 'crypto';

import { claimDeliveryKey, keyHash, markDeliveriesStarted, pruneDeliveryKeys, readDeliveryKey } from '../../../nodes/shared/store/deliveryKeys';
import type { Store } from '../../../nodes/shared/store/types';
import { dumpRows, eachStore, truncate } from './targets';

/**
 * Duplicate suppression's one atomic statement. The concurrency case proves something only on
 * PostgreSQL (PGlite runs one statement at a time per process); there 50 parallel claims of one key
 * from a pool of 20 connections must yield exactly one "first".
 */
const HOUR = 60 * 60 * 1000;
const NOW = new Date(Date.UTC(2026, 10, 24, 12));

eachStore()('delivery keys on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['delivery_keys']));

	const PENDING = 10 * 60 * 1000;
	const claim = async (key: string, now = NOW, workflowId = 'wf-1', deliveryId: string = randomUUID(), started = true) =>
		await claimDeliveryKey(store, { workflowId, nodeName: 'Webhook Trigger', key, deliveryId, now, windowMs: 24 * HOUR, started, pendingMs: PENDING });

	it('gives the first claim of a key "first" and later ones the first delivery', async () => {
		const firstId = randomUUID();
		expect(await claim('evt_1', NOW, 'wf-1', firstId)).toEqual({ first: true });
		expect(await claim('evt_1', new Date(NOW.getTime() + HOUR))).toEqual({ first: false, started: true, firstDeliveryId: firstId, firstSeen: NOW.toISOString() });
		// Keys are per workflow (and node).
		expect(await claim('evt_1', NOW, 'wf-2')).toEqual({ first: true });
		expect(await claim('evt_2')).toEqual({ first: true });
	});

	it('lets a key be claimed again once its window has passed', async () => {
		expect(await claim('evt_1')).toEqual({ first: true });
		expect((await claim('evt_1', new Date(NOW.getTime() + 24 * HOUR - 1))).first).toBe(false);
		expect(await claim('evt_1', new Date(NOW.getTime() + 24 * HOUR))).toEqual({ first: true });
	});

	it('holds an unstarted claim as in progress, then as a duplicate once its execution started', async () => {
		const firstId = randomUUID();
		expect(await claim('evt_p', NOW, 'wf-1', firstId, false)).toEqual({ first: true });
		const copy = await claim('evt_p', new Date(NOW.getTime() + 1000), 'wf-1', randomUUID(), false);
		expect(copy).toEqual({ first: false, started: false, firstDeliveryId: firstId, firstSeen: NOW.toISOString() });
		// The copy's own id never started anything: marking it changes nothing.
		expect(await markDeliveriesStarted(store, [randomUUID()])).toBe(0);
		expect(await markDeliveriesStarted(store, [firstId])).toBe(1);
		expect(await markDeliveriesStarted(store, [firstId])).toBe(0);
		expect(await readDeliveryKey(store, { workflowId: 'wf-1', nodeName: 'Webhook Trigger', key: 'evt_p' })).toMatchObject({ started: true, firstDeliveryId: firstId });
		// Started: a copy long after the pending time is still a duplicate, for the whole window.
		expect(await claim('evt_p', new Date(NOW.getTime() + 2 * PENDING), 'wf-1', randomUUID(), false)).toMatchObject({ first: false, started: true });
	});

	it('lets the next copy take over a claim whose execution never started (nothing lost)', async () => {
		const lostId = randomUUID();
		expect(await claim('evt_lost', NOW, 'wf-1', lostId, false)).toEqual({ first: true });
		expect(await claim('evt_lost', new Date(NOW.getTime() + PENDING - 1), 'wf-1', randomUUID(), false)).toMatchObject({ first: false, started: false });
		const retryId = randomUUID();
		expect(await claim('evt_lost', new Date(NOW.getTime() + PENDING), 'wf-1', retryId, false)).toEqual({ first: true });
		// The abandoned claim's late start (if n8n ever ran it) no longer confirms the key.
		expect(await markDeliveriesStarted(store, [lostId])).toBe(0);
		expect(await readDeliveryKey(store, { workflowId: 'wf-1', nodeName: 'Webhook Trigger', key: 'evt_lost' })).toMatchObject({ started: false, firstDeliveryId: retryId });
	});

	it('claims a key exactly once among 50 concurrent claims', async () => {
		const results = await Promise.all(Array.from({ length: 50 }, async () => await claim('evt_concurrent', NOW, 'wf-1', randomUUID(), false)));
		expect(results.filter((result) => result.first)).toHaveLength(1);
		expect(results.filter((result) => !result.first && !result.started)).toHaveLength(49);
	});

	it('stores only a hash of the key and prunes expired keys', async () => {
		await claim('secret-looking-key-771');
		const [dump] = await dumpRows(store, 'delivery_keys');
		expect(dump).not.toContain('secret-looking-key-771');
		expect(dump).toContain(keyHash('secret-looking-key-771'));
		expect(await pruneDeliveryKeys(store, new Date(NOW.getTime() + 23 * HOUR))).toBe(0);
		expect(await pruneDeliveryKeys(store, new Date(NOW.getTime() + 25 * HOUR))).toBe(1);
	});
});
