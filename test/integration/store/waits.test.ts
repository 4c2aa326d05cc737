import { randomUUID } from 'crypto';

import { keyHash as sha256 } from '../../../nodes/shared/store/deliveryKeys';
import { acceptHandover, claimWait, pruneWaits, registerWait, releaseWait } from '../../../nodes/shared/store/waits';
import type { Store } from '../../../nodes/shared/store/types';
import { dumpRows, eachStore, truncate } from './targets';

/**
 * The correlated-resume registry. The concurrency case proves something only on PostgreSQL (PGlite
 * runs one statement at a time per process): there 20 parallel claims of one key from a pool of 20
 * connections must yield exactly one winner — and a naive read-then-write claim, run the same way,
 * must not, which shows the test can fail.
 */
const MINUTE = 60 * 1000;
const NOW = new Date(Date.UTC(2026, 10, 24, 12));

eachStore()('waiting executions on the %s store', (kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['waiting_executions']));

	const register = async (executionId: string, key = 'order-42', options: { scope?: string; at?: Date; ttlMs?: number } = {}) =>
		await registerWait(store, {
			scope: options.scope ?? 'payments',
			key,
			workflowId: 'wf-a',
			executionId,
			nodeName: 'Wait for Webhook',
			resumeUrl: `http://127.0.0.1:5678/webhook-waiting/${executionId}`,
			now: options.at ?? NOW,
			expiresAt: new Date((options.at ?? NOW).getTime() + (options.ttlMs ?? 10 * MINUTE)),
		});
	const claim = async (key: string | undefined, token: string = randomUUID(), options: { scope?: string; now?: Date } = {}) =>
		await claimWait(store, { scope: options.scope ?? 'payments', key, tokenHash: sha256(token), now: options.now ?? NOW });

	it('claims the waiting execution once: exact key, same scope, before it expires', async () => {
		await register('101');
		expect(await claim('order-4')).toBeUndefined();
		expect(await claim('ORDER-42')).toBeUndefined();
		expect(await claim('order-42', 't', { scope: 'shipping' })).toBeUndefined();
		expect(await claim(undefined)).toBeUndefined();
		expect(await claim('order-42')).toMatchObject({ executionId: '101', workflowId: 'wf-a', nodeName: 'Wait for Webhook', resumeUrl: 'http://127.0.0.1:5678/webhook-waiting/101' });
		expect(await claim('order-42')).toBeUndefined();
	});

	it('does not claim an expired wait, and prunes it', async () => {
		await register('102', 'order-7', { ttlMs: MINUTE });
		expect(await claim('order-7', 't', { now: new Date(NOW.getTime() + MINUTE) })).toBeUndefined();
		expect(await pruneWaits(store, new Date(NOW.getTime() + MINUTE - 1))).toBe(0);
		expect(await pruneWaits(store, new Date(NOW.getTime() + MINUTE))).toBe(1);
	});

	it('resumes two executions waiting for one key in the order they started waiting', async () => {
		await register('202', 'order-9', { at: new Date(NOW.getTime() + 1000) });
		await register('201', 'order-9', { at: NOW });
		expect((await claim('order-9', 'a', { now: new Date(NOW.getTime() + 2000) }))?.executionId).toBe('201');
		expect((await claim('order-9', 'b', { now: new Date(NOW.getTime() + 2000) }))?.executionId).toBe('202');
		expect(await claim('order-9', 'c', { now: new Date(NOW.getTime() + 2000) })).toBeUndefined();
	});

	it('hands over only with the claim token, once; a released claim can be claimed again', async () => {
		await register('301');
		const handover = async (token: string | undefined) =>
			await acceptHandover(store, { executionId: '301', nodeName: 'Wait for Webhook', token, now: NOW });
		expect(await handover('anything')).toBe(false); // nothing claimed yet: the bare resume URL resumes nothing

		const claimed = await claim('order-42', 'token-1');
		expect(claimed).toBeDefined();
		expect(await releaseWait(store, claimed!.id, sha256('token-1'))).toBe(true);
		expect(await handover('token-1')).toBe(false);

		const again = await claim('order-42', 'token-2');
		expect(again?.executionId).toBe('301');
		expect(await handover(undefined)).toBe(false);
		expect(await handover('token-1')).toBe(false);
		expect(await handover('token-2')).toBe(true);
		expect(await handover('token-2')).toBe(false);
		// Handed over: releasing no longer makes it claimable.
		expect(await releaseWait(store, again!.id, sha256('token-2'))).toBe(false);
		expect(await claim('order-42')).toBeUndefined();
	});

	it('a second wait of the same execution and node replaces the first', async () => {
		await register('401', 'order-1');
		await register('401', 'order-2');
		expect(await claim('order-1')).toBeUndefined();
		expect((await claim('order-2'))?.executionId).toBe('401');
	});

	it('stores only hashes of keys and tokens', async () => {
		await register('501', 'secret-looking-key-771');
		await claim('secret-looking-key-771', 'secret-looking-token-993');
		const [dump] = await dumpRows(store, 'waiting_executions');
		expect(dump).not.toContain('secret-looking-key-771');
		expect(dump).not.toContain('secret-looking-token-993');
		expect(dump).toContain(sha256('secret-looking-key-771'));
	});

	it('20 concurrent claims of one key: exactly one winner', async () => {
		await register('601', 'order-race');
		const results = await Promise.all(Array.from({ length: 20 }, async (_, i) => await claim('order-race', `t${i}`)));
		expect(results.filter((result) => result !== undefined)).toHaveLength(1);
	});

	(kind === 'postgres' ? it : it.skip)('a naive read-then-write claim, run the same way, lets several win (the check can fail)', async () => {
		await register('701', 'order-naive');
		const naive = async () => {
			const { rows } = await store.query<{ id: string }>(
				"SELECT id FROM waiting_executions WHERE key_hash = $1 AND resumed_at IS NULL",
				[sha256('order-naive')],
			);
			if (!rows[0]) return false;
			await store.query('SELECT pg_sleep(0.05)');
			const { rowCount } = await store.query('UPDATE waiting_executions SET resumed_at = now() WHERE id = $1::uuid', [rows[0].id]);
			return rowCount > 0;
		};
		const results = await Promise.all(Array.from({ length: 20 }, naive));
		expect(results.filter(Boolean).length).toBeGreaterThan(1);
	});
});
