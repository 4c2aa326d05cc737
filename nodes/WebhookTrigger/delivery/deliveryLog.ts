/**
 * The delivery log's write side: records are buffered in memory and written in batches, off the
 * HTTP answer's path. The buffer is bounded in records and in bytes (each record's estimated size,
 * counting the batch being written, see {@link keptRecord}); a kept body over its cap is stored as
 * a marker. A flood of calls beyond the bounds is counted per node and written as one `overflow`
 * row with the count and their body bytes, never silently dropped and never growing memory.
 * Retention (age, rows and kept body bytes per workflow) is pruned in the background after writes.
 *
 * One log per store per process (see {@link deliveryLogFor}); n8n's trigger and execute steps of
 * every workflow in the process share it. What is lost on a crash: at most one flush interval; a
 * clean stop of n8n (SIGTERM, SIGINT) writes what is buffered first (see flushOnStop.ts).
 */
import type { DeliveryRecord, SerializedDeliveryRecord } from '../../shared/store/deliveries';
import { addDropped, insertDeliveries, setDeliveryExecutions } from '../../shared/store/deliveries';
import { pruneDeliveries } from '../../shared/store/deliveryRetention';
import type { Retention } from '../../shared/store/deliveryRetention';
import type { Store } from '../../shared/store/types';
import { keptRecord, overflowRecord } from './deliveryRecord';
import type { Overflow } from './deliveryRecord';
import { flushOnStop } from './flushOnStop';

export interface DeliveryLogOptions {
	/** Records held at most; beyond, calls are counted as dropped. */
	maxBuffered: number;
	/** Estimated bytes held at most (buffered and being written); beyond, calls are counted as dropped. */
	maxBufferedBytes?: number;
	/** A kept body (the item's JSON) larger than this is stored as a marker: size, SHA-256, preview. */
	maxKeptBodyBytes?: number;
	/** Per workflow, kept bodies beyond this many bytes (newest first) are removed by the prune; rows stay. */
	maxKeptBodyBytesPerWorkflow?: number;
	/** Delay between a record and its write. */
	flushIntervalMs: number;
	/** Minimum time between two prunes of one workflow. */
	pruneIntervalMs: number;
	/** Milliseconds since the epoch: retention and link deadlines are measured on it (tests pass one). */
	clock?: () => number;
}

/** How long a link waits for its record, written by another process in queue mode. */
const LINK_WAIT_MS = 60_000;

const MIB = 1024 * 1024;

export const DEFAULT_LOG_OPTIONS: Required<Omit<DeliveryLogOptions, 'clock'>> = {
	maxBuffered: 10_000,
	maxBufferedBytes: 32 * MIB,
	maxKeptBodyBytes: 64 * 1024,
	maxKeptBodyBytesPerWorkflow: 64 * MIB,
	// Short: a flush is a synchronous INSERT on n8n's event loop (SQLite), and a record buffered
	// longer may outlive young-generation GCs (the runs did not tell the two apart). Inbox answers'
	// p99 on n8n 1.123, ÷ the floor's, 4 runs each: 1.15–1.84× (median 1.46×) at 250 ms,
	// 0.99–1.23× (1.09×) at 25 ms. docs/performance.md.
	flushIntervalMs: 25,
	pruneIntervalMs: 60_000,
};

export interface DeliveryLogStats {
	written: number;
	dropped: number;
	failedWrites: number;
	buffered: number;
	/** Estimated bytes of the buffered records and of the batch being written. */
	bufferedBytes: number;
}

/** Where a write failure is reported (n8n's logger in the node; rate-limited there). */
export type LogProblem = (message: string) => void;

export class DeliveryLog {
	private buffer: SerializedDeliveryRecord[] = [];

	/** Buffered records by id, so an execution id arriving before the write lands in the row. */
	private byId = new Map<string, SerializedDeliveryRecord>();

	/** Links to write; one whose record is not there yet is retried until `until`. */
	private links: Array<{ id: string; executionId: string; until: number }> = [];

	/** Calls the full buffer could not hold, per workflow + node, until their overflow row is written. */
	private overflow = new Map<string, Overflow>();

	/**
	 * Folded records (a rate-limited flood) by fold key: the one record of each key, and the calls
	 * counted since it was buffered or last written. Bounded like the buffer.
	 */
	private folds = new Map<string, { id: string; record?: SerializedDeliveryRecord; more: number }>();

	/** Estimated bytes of the buffered records, and of the batch being written (one at a time). */
	private bufferBytes = 0;

	private writingBytes = 0;

	private retention = new Map<string, Retention>();

	private lastPrune = new Map<string, number>();

	private timer: NodeJS.Timeout | undefined;

	private flushing: Promise<void> | undefined;

	/** The process is stopping: each record is written at once, not one interval later. */
	private stopping = false;

	readonly stats: DeliveryLogStats = { written: 0, dropped: 0, failedWrites: 0, buffered: 0, bufferedBytes: 0 };

	constructor(
		private readonly openStore: () => Promise<Store>,
		private readonly options: DeliveryLogOptions = DEFAULT_LOG_OPTIONS,
		private readonly onProblem: LogProblem = () => undefined,
	) {}

	private now(): number {
		return (this.options.clock ?? Date.now)();
	}

	/** Queues one record; never waits, never throws. Returns whether it was buffered. */
	record(record: DeliveryRecord, retention?: Retention): boolean {
		if (retention) this.retention.set(record.workflowId, retention);
		const kept =
			this.buffer.length < this.options.maxBuffered
				? keptRecord(record, this.options.maxKeptBodyBytes ?? DEFAULT_LOG_OPTIONS.maxKeptBodyBytes)
				: undefined;
		const maxBytes = this.options.maxBufferedBytes ?? DEFAULT_LOG_OPTIONS.maxBufferedBytes;
		if (kept === undefined || this.bufferBytes + this.writingBytes + kept.bytes > maxBytes) {
			const key = `${record.workflowId}\n${record.nodeName}`;
			const entry = this.overflow.get(key) ?? { workflowId: record.workflowId, nodeName: record.nodeName, count: 0, bodyBytes: 0, since: record.receivedAt };
			entry.count++;
			entry.bodyBytes += record.bodyBytes;
			this.overflow.set(key, entry);
			this.stats.dropped++;
			this.schedule();
			return false;
		}
		this.buffer.push(kept.record);
		this.byId.set(record.id, kept.record);
		this.bufferBytes += kept.bytes;
		this.stats.buffered = this.buffer.length;
		this.stats.bufferedBytes = this.bufferBytes + this.writingBytes;
		this.schedule();
		return true;
	}

	/**
	 * Records a call as the first of `foldKey` (one per key and window, say), or counts it in that
	 * record's `dropped`: a flood adds counts, not rows. Never waits, never throws.
	 */
	recordFolded(record: DeliveryRecord, foldKey: string, retention?: Retention): void {
		const fold = this.folds.get(foldKey);
		if (fold) {
			if (fold.record) fold.record.dropped++;
			else fold.more++;
			this.schedule();
			return;
		}
		if (this.folds.size >= this.options.maxBuffered) this.forgetWrittenFolds();
		if (!this.record(record, retention) || this.folds.size >= this.options.maxBuffered) return;
		this.folds.set(foldKey, { id: record.id, record: this.byId.get(record.id), more: 0 });
	}

	/** Folds whose record is written and whose counts are too: a later call of their key starts a new record. */
	private forgetWrittenFolds(): void {
		for (const [key, fold] of this.folds) if (!fold.record && fold.more === 0) this.folds.delete(key);
	}

	/** The execution an accepted delivery started, once n8n has created it. */
	linkExecution(id: string, executionId: string): void {
		const buffered = this.byId.get(id);
		if (buffered) buffered.executionId = executionId;
		else if (this.links.length < this.options.maxBuffered) this.links.push({ id, executionId, until: this.now() + LINK_WAIT_MS });
		this.schedule();
	}

	private schedule(): void {
		if (this.timer !== undefined) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.flush();
		}, this.stopping ? 0 : this.options.flushIntervalMs);
		// Never keep n8n (or a test process) alive for the log.
		this.timer.unref();
	}

	/** Writes everything buffered so far; resolves when written (or given up). One flush at a time. */
	async flush(): Promise<void> {
		while (this.flushing) await this.flushing;
		if (this.buffer.length === 0 && this.links.length === 0 && this.overflow.size === 0 && !this.foldsToCount()) return;
		this.flushing = this.writeBatch().finally(() => {
			this.flushing = undefined;
		});
		await this.flushing;
	}

	private foldsToCount(): boolean {
		for (const fold of this.folds.values()) if (fold.more > 0) return true;
		return false;
	}

	private async writeBatch(): Promise<void> {
		// Folds whose record goes now count further calls by update; those already written send their counts.
		const counts: Array<{ id: string; count: number }> = [];
		for (const fold of this.folds.values()) {
			fold.record = undefined;
			if (fold.more > 0) counts.push({ id: fold.id, count: fold.more });
			fold.more = 0;
		}
		const records = this.buffer;
		const links = this.links;
		const overflow = [...this.overflow.values()];
		this.buffer = [];
		this.byId = new Map();
		this.links = [];
		this.overflow.clear();
		this.writingBytes = this.bufferBytes;
		this.bufferBytes = 0;
		this.stats.buffered = 0;
		const overflowRows = overflow.map((entry) => overflowRecord(entry));
		try {
			const store = await this.openStore();
			await insertDeliveries(store, [...records, ...overflowRows]);
			await addDropped(store, counts);
			const linked = await setDeliveryExecutions(store, links);
			// Queue mode: another process (the webhook processor) may not have written the record yet.
			const now = this.now();
			const waiting = links.filter((link) => !linked.has(link.id) && link.until > now);
			if (waiting.length) {
				this.links.push(...waiting);
				this.schedule();
			}
			this.stats.written += records.length;
			await this.prune(store, records);
		} catch (error) {
			this.stats.failedWrites++;
			this.stats.dropped += records.length;
			this.report(`could not write ${records.length} delivery records: ${(error as Error).message}`);
		} finally {
			this.writingBytes = 0;
			this.stats.bufferedBytes = this.bufferBytes;
		}
	}

	/** flush() for a stopping process: never rejects; a failure goes to the problem reporter. */
	async flushBeforeStop(): Promise<void> {
		// Calls n8n still answers while it shuts down are written without the batching delay.
		this.stopping = true;
		try {
			await this.flush();
		} catch (error) {
			this.report(`could not write the buffered delivery records before n8n stopped: ${(error as Error).message}`);
		}
	}

	private report(message: string): void {
		try {
			this.onProblem(message);
		} catch {
			// A reporter that fails must not fail a write (or n8n's shutdown).
		}
	}

	private async prune(store: Store, records: SerializedDeliveryRecord[]): Promise<void> {
		const now = this.now();
		for (const workflowId of new Set(records.map((record) => record.workflowId))) {
			const retention = this.retention.get(workflowId);
			if (!retention || now - (this.lastPrune.get(workflowId) ?? 0) < this.options.pruneIntervalMs) continue;
			this.lastPrune.set(workflowId, now);
			const maxKeptBodyBytes = this.options.maxKeptBodyBytesPerWorkflow ?? DEFAULT_LOG_OPTIONS.maxKeptBodyBytesPerWorkflow;
			await pruneDeliveries(store, workflowId, { maxKeptBodyBytes, ...retention }, new Date(now));
		}
	}
}


/** One log per store key (embedded folder, or PostgreSQL connection) per process. */
const logs = new Map<string, DeliveryLog>();

export function deliveryLogFor(key: string, openStore: () => Promise<Store>, onProblem?: LogProblem): DeliveryLog {
	let log = logs.get(key);
	if (log === undefined) {
		log = new DeliveryLog(openStore, DEFAULT_LOG_OPTIONS, onProblem);
		logs.set(key, log);
		flushOnStop(flushDeliveryLogsBeforeStop);
	}
	return log;
}

/** Flushes every log of this process as it stops (see flushOnStop.ts); never rejects. */
export async function flushDeliveryLogsBeforeStop(): Promise<void> {
	await Promise.all([...logs.values()].map(async (log) => await log.flushBeforeStop()));
}
