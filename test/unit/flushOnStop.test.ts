import { EventEmitter } from 'events';

import { DeliveryLog, DEFAULT_LOG_OPTIONS, deliveryLogFor, flushDeliveryLogsBeforeStop } from '../../nodes/WebhookTrigger/delivery/deliveryLog';
import * as flushOnStopModule from '../../nodes/WebhookTrigger/delivery/flushOnStop';
import { flushOnStop, type SignalTarget, type StopRegistry, type StopSignal } from '../../nodes/WebhookTrigger/delivery/flushOnStop';

/** A registry of this test's own, apart from the process's. */
const newStopRegistry = (): StopRegistry => ({ tasks: new Set(), hooked: new Set() });
import type { DeliveryRecord } from '../../nodes/shared/store/deliveries';
import type { Queryable, Store } from '../../nodes/shared/store/types';

/**
 * The last flush on a clean stop, through the seam (a fake `process`): no real signal is sent to
 * the jest process, and `process` itself gets no listener from these tests.
 */

/** A process stand-in: an EventEmitter for the signals, and `raise` recorded. */
function fakeProcess() {
	const emitter = new EventEmitter();
	const raised: StopSignal[] = [];
	const target: SignalTarget = {
		listenerCount: (signal) => emitter.listenerCount(signal),
		prependOnceListener: (signal, listener) => emitter.prependOnceListener(signal, listener),
		raise: (signal) => void raised.push(signal),
	};
	return { emitter, target, raised };
}

/** A store that keeps the ids of the rows inserted. */
function fakeStore(fail = false) {
	const inserted: string[] = [];
	const db: Queryable = {
		query: async <R>(sql: string, params: readonly unknown[] = []) => {
			if (fail) throw new Error('database is gone');
			if (sql.startsWith('INSERT INTO deliveries')) inserted.push(...params.filter((value): value is string => typeof value === 'string' && /^rec-/.test(value)));
			return { rows: [] as R[], rowCount: 0 };
		},
	};
	const store = { ...db, kind: 'postgres', schema: 'public', transaction: async (fn) => await fn(db), close: async () => undefined } as Store;
	return { store, inserted };
}

function record(n: number): DeliveryRecord {
	return {
		id: `rec-${n}`,
		workflowId: 'wf1',
		nodeName: 'Webhook Trigger',
		receivedAt: new Date(0),
		method: 'POST',
		outcome: 'accepted',
		status: 200,
		reason: null,
		clientIp: null,
		origin: null,
		eventValue: null,
		eventCase: null,
		executionId: null,
		bodyBytes: 0,
		bodySha256: null,
		headers: {},
		item: null,
		dropped: 0,
	};
}

const settle = async () => await new Promise((resolve) => setImmediate(resolve));

/** A log whose interval never ends within a test: only the stop writes its records. */
const slowLog = (store: Store, onProblem?: (message: string) => void) =>
	new DeliveryLog(async () => store, { ...DEFAULT_LOG_OPTIONS, flushIntervalMs: 3_600_000 }, onProblem);

describe('flushOnStop', () => {
	it('writes the buffered records when the process gets SIGTERM, before its own handler runs', async () => {
		const { emitter, target, raised } = fakeProcess();
		const order: string[] = [];
		emitter.once('SIGTERM', () => order.push('n8n'));
		const { store, inserted } = fakeStore();
		const log = slowLog(store);
		for (let i = 0; i < 5; i++) log.record(record(i));
		flushOnStop(async () => {
			order.push('flush');
			await log.flushBeforeStop();
		}, target, newStopRegistry());

		emitter.emit('SIGTERM', 'SIGTERM');
		await settle();

		expect(order).toEqual(['flush', 'n8n']);
		expect(inserted.sort()).toEqual(['rec-0', 'rec-1', 'rec-2', 'rec-3', 'rec-4']);
		expect(log.stats).toMatchObject({ written: 5, buffered: 0 });
		expect(raised).toEqual([]);
		// `once`, like n8n's: a second SIGTERM finds Node's default again.
		expect(emitter.listenerCount('SIGTERM')).toBe(0);
	});

	it('flushes on SIGINT too, and runs every task registered in the process', async () => {
		const { emitter, target } = fakeProcess();
		emitter.once('SIGINT', () => undefined);
		const registry = newStopRegistry();
		const ran: string[] = [];
		flushOnStop(async () => void ran.push('a'), target, registry);
		flushOnStop(async () => void ran.push('b'), target, registry);
		emitter.emit('SIGINT', 'SIGINT');
		await settle();
		expect(ran.sort()).toEqual(['a', 'b']);
	});

	it('adds one listener per signal, however many logs are created', () => {
		const { emitter, target } = fakeProcess();
		emitter.on('SIGTERM', () => undefined);
		emitter.on('SIGINT', () => undefined);
		const registry = newStopRegistry();
		const task = async () => undefined;
		for (let i = 0; i < 10; i++) flushOnStop(task, target, registry);
		flushOnStop(async () => undefined, target, registry);
		expect(emitter.listenerCount('SIGTERM')).toBe(2);
		expect(emitter.listenerCount('SIGINT')).toBe(2);
		expect(registry.tasks.size).toBe(2);
	});

	it('adds nothing to a process that does not handle the signal itself (Node then terminates at once)', () => {
		const { emitter, target } = fakeProcess();
		emitter.on('SIGINT', () => undefined);
		flushOnStop(async () => undefined, target, newStopRegistry());
		expect(emitter.listenerCount('SIGTERM')).toBe(0);
		expect(emitter.listenerCount('SIGINT')).toBe(2);
	});

	it('raises the signal again, flushing nothing, when the process stopped handling it since', async () => {
		const { emitter, target, raised } = fakeProcess();
		const own = () => undefined;
		emitter.on('SIGTERM', own);
		const task = jest.fn(async () => undefined);
		flushOnStop(task, target, newStopRegistry());
		emitter.off('SIGTERM', own);
		emitter.emit('SIGTERM', 'SIGTERM');
		await settle();
		expect(raised).toEqual(['SIGTERM']);
		expect(task).not.toHaveBeenCalled();
	});

	it('reports a failed last write to the problem reporter and never throws', async () => {
		const { emitter, target } = fakeProcess();
		emitter.once('SIGTERM', () => undefined);
		const problems: string[] = [];
		const { store } = fakeStore(true);
		const log = slowLog(store, (message) => problems.push(message));
		log.record(record(1));
		const rejected = jest.fn();
		process.on('unhandledRejection', rejected);
		try {
			flushOnStop(async () => await log.flushBeforeStop(), target, newStopRegistry());
			// A task that rejects anyway (it must not) is swallowed too.
			flushOnStop(async () => await Promise.reject(new Error('task bug')), target, newStopRegistry());
			expect(() => emitter.emit('SIGTERM', 'SIGTERM')).not.toThrow();
			await settle();
			await settle();
		} finally {
			process.off('unhandledRejection', rejected);
		}
		expect(problems).toEqual(['could not write 1 delivery records: database is gone']);
		expect(rejected).not.toHaveBeenCalled();
	});

	it('a reporter that throws does not make the last flush throw', async () => {
		const { store } = fakeStore(true);
		const log = slowLog(store, () => {
			throw new Error('logger broken');
		});
		log.record(record(1));
		await expect(log.flushBeforeStop()).resolves.toBeUndefined();
	});

	it('writes records that arrive after the stop began without the batching delay', async () => {
		const { store, inserted } = fakeStore();
		const log = slowLog(store);
		await log.flushBeforeStop();
		log.record(record(7));
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(inserted).toEqual(['rec-7']);
	});
});

describe('delivery logs and the stop hook', () => {
	it('each new log hands the stop hook the flush of every log (a task is kept once); it writes every buffer', async () => {
		const spy = jest.spyOn(flushOnStopModule, 'flushOnStop').mockImplementation(() => undefined);
		try {
			const first = fakeStore();
			const second = fakeStore();
			const a = deliveryLogFor('unit:flushOnStop:a', async () => first.store);
			deliveryLogFor('unit:flushOnStop:a', async () => first.store);
			const b = deliveryLogFor('unit:flushOnStop:b', async () => second.store);
			expect(spy.mock.calls.map(([task]) => task)).toEqual([flushDeliveryLogsBeforeStop, flushDeliveryLogsBeforeStop]);
			a.record(record(1));
			b.record(record(2));
			await flushDeliveryLogsBeforeStop();
			expect(first.inserted).toEqual(['rec-1']);
			expect(second.inserted).toEqual(['rec-2']);
		} finally {
			spy.mockRestore();
		}
	});
});
