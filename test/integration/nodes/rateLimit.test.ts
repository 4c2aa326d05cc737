import { randomUUID } from 'crypto';
import fc from 'fast-check';

import { parseIpAllowlist, parseOriginAllowlist } from '../../../nodes/WebhookTrigger/gate/allowlist';
import type { DeliveryLog } from '../../../nodes/WebhookTrigger/delivery/deliveryLog';
import { RateLimiter, leaseBlock } from '../../../nodes/WebhookTrigger/gate/rateLimit';
import type { RateLimitSettings } from '../../../nodes/WebhookTrigger/gate/rateLimit';
import { handleCall } from '../../../nodes/WebhookTrigger/handleCall';
import type { CallNode } from '../../../nodes/WebhookTrigger/handleCall';
import type { IncomingCall } from '../../../nodes/WebhookTrigger/gate/gate';
import type { TriggerOptions } from '../../../nodes/WebhookTrigger/triggerOptions';
import type { DeliveryRecord } from '../../../nodes/shared/store/deliveries';
import { keyHash } from '../../../nodes/shared/store/deliveryKeys';
import { leaseSlots, pruneRateLimits } from '../../../nodes/shared/store/rateLimits';
import type { Store } from '../../../nodes/shared/store/types';
import { dumpRows, eachStore, truncate } from '../store/targets';
import { requestConfig } from '../../support/gateConfig';

/**
 * Caller rate limits against each real store: the shared counter never passes the limit, several
 * limiters ("processes") on one store admit exactly the limit together, and the order of the
 * checks keeps forged calls from spending a real caller's quota (handleCall.ts).
 */
const NOW = Date.UTC(2026, 10, 24, 12, 0, 5);
const MINUTE = 60_000;
const TOKEN = 'tenant-token-8c1f';

eachStore()('rate limits on the %s store', (_kind, target) => {
	let store: Store;
	let workflowId: string;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => {
		workflowId = `wf-${randomUUID()}`;
		await truncate(store, ['rate_limits']);
	});

	const lease = (key: string, want: number, limit: number, windowStart = NOW - (NOW % MINUTE)) =>
		leaseSlots(store, { workflowId, nodeName: 'Webhook Trigger', key, windowStart, limit, want });

	it('grants concurrent leases up to the limit and not one slot more, per key and window', async () => {
		const granted = await Promise.all(Array.from({ length: 40 }, async () => await lease('203.0.113.7', 3, 100)));
		expect(granted.every((n) => n >= 0 && n <= 3)).toBe(true);
		expect(granted.reduce((a, b) => a + b, 0)).toBe(100);
		expect(await lease('203.0.113.7', 3, 100)).toBe(0);
		// Another key and the next window are untouched.
		expect(await lease('198.51.100.1', 3, 100)).toBe(3);
		expect(await lease('203.0.113.7', 3, 100, NOW - (NOW % MINUTE) + MINUTE)).toBe(3);
	});

	it('stores only a hash of the key and prunes ended windows', async () => {
		await lease('acct_secret_991', 1, 5);
		const [dump] = await dumpRows(store, 'rate_limits');
		expect(dump).not.toContain('acct_secret_991');
		expect(dump).toContain(keyHash('acct_secret_991'));
		expect(await pruneRateLimits(store, NOW - (NOW % MINUTE))).toBe(0);
		expect(await pruneRateLimits(store, NOW - (NOW % MINUTE) + 1)).toBe(1);
	});

	it('admits exactly the limit per window across several processes, whatever the interleaving', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 30 }),
				fc.integer({ min: 1, max: 4 }),
				fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 0, max: 2 * MINUTE - 1 })), { minLength: 1, maxLength: 90 }),
				async (limit, processes, calls) => {
					const wf = `wf-${randomUUID()}`;
					const limiters = Array.from({ length: processes }, () => new RateLimiter(async (request) => await leaseSlots(store, request)));
					const settings: RateLimitSettings = { limit, windowMs: MINUTE, key: 'ip', path: '' };
					const start = NOW - (NOW % MINUTE);
					const sorted = [...calls].sort((a, b) => a[1] - b[1]);
					// Concurrent within each process batch: the lease must hold under interleaving.
					const results = await Promise.all(
						sorted.map(async ([p, offset]) => ({
							window: Math.floor(offset / MINUTE),
							admission: await limiters[p % processes].admit({ workflowId: wf, nodeName: 'n' }, settings, 'k', start + offset),
						})),
					);
					for (const window of [0, 1]) {
						const inWindow = results.filter((r) => r.window === window);
						const admitted = inWindow.filter((r) => r.admission.admitted).length;
						// Never over; under only by the blocks other processes leased and did not spend.
						expect(admitted).toBeLessThanOrEqual(limit);
						expect(admitted).toBeGreaterThanOrEqual(Math.min(inWindow.length, limit - (processes - 1) * leaseBlock(limit)));
						for (const r of inWindow) if (!r.admission.admitted) expect(r.admission.retryAfterSeconds).toBeGreaterThanOrEqual(1);
					}
				},
			),
			{ numRuns: 25 },
		);
	});

	it('two processes alternating 60 calls at 20 per minute admit 20', async () => {
		const limiters = [0, 1].map(() => new RateLimiter(async (request) => await leaseSlots(store, request)));
		const settings: RateLimitSettings = { limit: 20, windowMs: MINUTE, key: 'node', path: '' };
		let admitted = 0;
		for (let i = 0; i < 60; i++) {
			const admission = await limiters[i % 2].admit({ workflowId, nodeName: 'n' }, settings, '', NOW + i * 100);
			if (admission.admitted) admitted++;
			else expect(admission.retryAfterSeconds).toBe(Math.ceil((MINUTE - ((NOW + i * 100) % MINUTE)) / 1000));
		}
		expect(admitted).toBe(20);
	});

	describe('in the call pipeline', () => {
		const rows: DeliveryRecord[] = [];
		const folded: Array<{ row: DeliveryRecord; foldKey: string }> = [];
		const log = {
			record: (row: DeliveryRecord) => rows.push(row),
			recordFolded: (row: DeliveryRecord, foldKey: string) => folded.push({ row, foldKey }),
			linkExecution: () => undefined,
		} as unknown as DeliveryLog;
		let credentialReads = 0;

		const nodeWith = (options: TriggerOptions): CallNode => ({
			workflowId,
			nodeName: 'Webhook Trigger',
			path: 'orders',
			test: false,
			responseMode: 'onReceived',
			options: { answerBeforeStart: true, ...options },
			log,
			callerRules: () => ({ ipAllowlist: parseIpAllowlist(''), originAllowlist: parseOriginAllowlist('') }),
			gateConfig: async () => {
				credentialReads++;
				return requestConfig({ scheme: 'header', credentials: { headerName: 'x-token', token: TOKEN } });
			},
			rawBody: async () => Buffer.from('{}'),
			delivery: { store: { key: `rate-test:${workflowId}`, open: async () => store } },
		});
		const callOf = (ip: string, token: string, tenant: string, at = NOW): IncomingCall => ({
			webhookName: 'default',
			method: 'POST',
			headers: { 'x-token': token, 'content-type': 'application/json' },
			query: {},
			params: {},
			body: { tenant },
			rawBody: Buffer.from(JSON.stringify({ tenant })),
			ip,
			now: at,
		});
		const send = async (node: CallNode, call: IncomingCall) => {
			const quiet = () => undefined;
			const result = await handleCall(node, call, randomUUID(), { rejected: quiet, misconfigured: quiet, problem: quiet });
			return { status: result.answer?.status, retryAfter: result.answer?.headers['Retry-After'], runs: result.workflowData !== undefined };
		};

		beforeEach(() => {
			rows.length = 0;
			folded.length = 0;
			credentialReads = 0;
		});

		it('keyed on the address: refuses a flood before verification, another address unaffected', async () => {
			const node = nodeWith({ rateLimit: 10, rateLimitWindowSeconds: 60 });
			const flood = [];
			for (let i = 0; i < 100; i++) flood.push(await send(node, callOf('203.0.113.9', TOKEN, 'a', NOW + i)));
			expect(flood.filter((r) => r.runs)).toHaveLength(10);
			const refused = flood.filter((r) => r.status === 429);
			expect(refused).toHaveLength(90);
			expect(refused.every((r) => r.retryAfter === '55' && !r.runs)).toBe(true);
			// Refused before the credential is read: the flooder costs no decryption, no verification.
			expect(credentialReads).toBe(10);
			// Forged calls from the flooding address are refused too (by the limit, not the token).
			expect((await send(node, callOf('203.0.113.9', 'forged', 'a', NOW + 200))).status).toBe(429);
			expect((await send(node, callOf('198.51.100.4', TOKEN, 'a', NOW + 300))).runs).toBe(true);
			// The log gets the flood as records folded by key and window, each with the reason.
			expect(new Set(folded.map((f) => f.foldKey)).size).toBe(1);
			expect(folded.every((f) => f.row.reason === 'rate_limited' && f.row.status === 429)).toBe(true);
			// The next window admits again.
			expect((await send(node, callOf('203.0.113.9', TOKEN, 'a', NOW + 55_000))).runs).toBe(true);
		});

		it("keyed on a body path: forged calls carrying tenant A's id do not spend tenant A's quota", async () => {
			const node = nodeWith({ rateLimit: 3, rateLimitKey: 'path', rateLimitKeyPath: 'body.tenant' });
			for (let i = 0; i < 50; i++) expect((await send(node, callOf(`192.0.2.${i}`, 'forged', 'tenant-a', NOW + i))).status).toBe(401);
			const genuine = [];
			for (let i = 0; i < 5; i++) genuine.push(await send(node, callOf('198.51.100.7', TOKEN, 'tenant-a', NOW + 100 + i)));
			expect(genuine.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
			// Tenant B has its own quota.
			expect((await send(node, callOf('198.51.100.7', TOKEN, 'tenant-b', NOW + 200))).runs).toBe(true);
		});

		it('keyed on the whole node: forged calls spend nothing', async () => {
			const node = nodeWith({ rateLimit: 2, rateLimitKey: 'node' });
			for (let i = 0; i < 20; i++) expect((await send(node, callOf('192.0.2.1', 'forged', 'x', NOW + i))).status).toBe(401);
			const genuine = [];
			for (let i = 0; i < 3; i++) genuine.push((await send(node, callOf('192.0.2.1', TOKEN, 'x', NOW + 50 + i))).status);
			expect(genuine).toEqual([200, 200, 429]);
		});

		it('answers a bad setting as a configuration error, starting nothing', async () => {
			const node = nodeWith({ rateLimit: 5, rateLimitKey: 'path', rateLimitKeyPath: ' ' });
			expect(await send(node, callOf('192.0.2.1', TOKEN, 'x'))).toMatchObject({ status: 500, runs: false });
		});
	});
});
