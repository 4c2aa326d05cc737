import { randomUUID } from 'crypto';

import { startInboxPump } from '../../../nodes/WebhookTrigger/delivery/inboxPump';
import type { ExecutionOutcome } from '../../../nodes/WebhookTrigger/delivery/inboxPump';
import { enqueueDeliveries } from '../../../nodes/shared/store/inbox';
import type { Store } from '../../../nodes/shared/store/types';
import { eachStore, truncate } from '../store/targets';

/**
 * The inbox pump against a real store: arrival order, at most `concurrency` executions at once,
 * a failed execution retried with the next attempt number, failed for good after the last one,
 * and nothing run again after it succeeded.
 */
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

eachStore()('the inbox pump on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncate(store, ['inbox']));

	async function enqueue(workflowId: string, count: number): Promise<string[]> {
		const ids = Array.from({ length: count }, () => randomUUID());
		await store.transaction(async (tx) => await enqueueDeliveries(tx, ids.map((id, n) => ({ id, workflowId, nodeName: 'Trigger', receivedAt: new Date(), item: { n } }))));
		return ids;
	}

	async function states(workflowId: string): Promise<Record<string, number>> {
		const { rows } = await store.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM inbox WHERE workflow_id = $1 GROUP BY state', [workflowId]);
		return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
	}

	async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!(await check())) {
			if (Date.now() > deadline) throw new Error('timed out');
			await sleep(20);
		}
	}

	it('runs every delivery in arrival order, never more than `concurrency` at once, retrying failures', async () => {
		await enqueue('wf-pump', 30);
		const started: Array<{ n: number; attempt: number }> = [];
		let running = 0;
		let most = 0;
		const run = async (item: Record<string, unknown>): Promise<ExecutionOutcome> => {
			started.push({ n: item.n as number, attempt: item.attempt as number });
			most = Math.max(most, ++running);
			await sleep(5);
			running--;
			// Every fifth delivery fails its first attempt.
			return (item.n as number) % 5 === 0 && item.attempt === 1 ? { ok: false, error: 'first attempt fails' } : { ok: true };
		};
		const pump = startInboxPump('wf-pump', 'Trigger', { concurrency: 3, maxAttempts: 3, retryBaseMs: 0, retryMaxMs: 0 }, { open: async () => store, run, now: Date.now, problem: (m) => { throw new Error(m); } });
		try {
			await until(async () => (await states('wf-pump')).done === 30);
		} finally {
			pump.stop();
			await pump.settled();
		}
		expect(most).toBeLessThanOrEqual(3);
		expect(most).toBeGreaterThan(1);
		const firsts = started.filter((s) => s.attempt === 1).map((s) => s.n);
		expect(firsts).toEqual(Array.from({ length: 30 }, (_, n) => n));
		expect(started.filter((s) => s.attempt === 2).map((s) => s.n).sort((a, b) => a - b)).toEqual([0, 5, 10, 15, 20, 25]);
		expect(started).toHaveLength(36);
	});

	it('marks a delivery failed once its attempts are used up, and runs nothing after', async () => {
		const [id] = await enqueue('wf-failing', 1);
		const attempts: number[] = [];
		const pump = startInboxPump('wf-failing', 'Trigger', { concurrency: 2, maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 20 }, {
			open: async () => store,
			run: async (item) => {
				attempts.push(item.attempt as number);
				throw new Error(`attempt ${item.attempt as number} broke`);
			},
			now: Date.now,
			problem: (m) => { throw new Error(m); },
		});
		try {
			await until(async () => (await states('wf-failing')).failed === 1);
			await sleep(1_200);
		} finally {
			pump.stop();
			await pump.settled();
		}
		expect(attempts).toEqual([1, 2, 3]);
		const { rows } = await store.query<{ last_error: string; attempts: number }>('SELECT last_error, attempts FROM inbox WHERE id = $1', [id]);
		expect(rows[0]).toEqual({ last_error: 'attempt 3 broke', attempts: 3 });
	});
});
