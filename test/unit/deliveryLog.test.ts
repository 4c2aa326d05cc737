import { createHash, randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';

import type { DeliveryRecord, SerializedDeliveryRecord } from '../../nodes/shared/store/deliveries';
import type { Store } from '../../nodes/shared/store/types';
import { DEFAULT_LOG_OPTIONS, DeliveryLog } from '../../nodes/WebhookTrigger/delivery/deliveryLog';
import { keptRecord } from '../../nodes/WebhookTrigger/delivery/deliveryRecord';
import type { TruncatedItem } from '../../nodes/WebhookTrigger/delivery/deliveryRecord';

/**
 * The delivery log's memory bounds (issue 26, finding 4): the buffer is bounded in bytes as well
 * as records, counting the batch a stalled store is still writing; a record beyond either bound
 * is counted in the overflow row (calls and their body bytes); a kept body over its cap is held
 * and stored as a marker, never in full. The writes themselves run on both stores (integration).
 */

// What the log hands the store, captured: these tests need no database.
const written: Array<Array<DeliveryRecord | SerializedDeliveryRecord>> = [];
jest.mock('../../nodes/shared/store/deliveries', () => ({
	...jest.requireActual('../../nodes/shared/store/deliveries'),
	insertDeliveries: jest.fn(async (_db: unknown, records: Array<DeliveryRecord | SerializedDeliveryRecord>) => {
		written.push(records);
	}),
	setDeliveryExecutions: jest.fn(async () => new Set<string>()),
	addDropped: jest.fn(async (_db: unknown, counts: Array<{ id: string; count: number }>) => {
		added.push(...counts);
	}),
}));
const added: Array<{ id: string; count: number }> = [];

const MIB = 1024 * 1024;
const fakeStore = {} as Store;
/** A store that never opens: the first batch stays "being written", as against a stalled database. */
const stalled = async () => await new Promise<Store>(() => undefined);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function record(workflowId: string, body: unknown, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
	const raw = Buffer.from(JSON.stringify(body) ?? '');
	return {
		id: randomUUID(),
		workflowId,
		nodeName: 'Webhook Trigger',
		receivedAt: new Date(Date.UTC(2026, 10, 24, 12)),
		method: 'POST',
		outcome: 'rejected',
		status: 401,
		reason: 'signature_mismatch',
		clientIp: '203.0.113.7',
		origin: null,
		eventValue: null,
		eventCase: null,
		executionId: null,
		bodyBytes: raw.length,
		bodySha256: createHash('sha256').update(raw).digest('hex'),
		headers: { 'content-type': 'application/json', 'x-signature': '[redacted]' },
		item: body === undefined ? null : { body, query: {} },
		dropped: 0,
		...overrides,
	};
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
/** What docs/delivery-log.md documents a record costs beyond its item and headers. */
const RECORD_OVERHEAD_BYTES = 512;
/** The item a buffered record will write. */
const itemOf = (kept: { record: SerializedDeliveryRecord }) => (kept.record.itemJson === null ? null : (JSON.parse(kept.record.itemJson) as Record<string, unknown>));

beforeEach(() => {
	written.length = 0;
});

describe('keptRecord: a record\'s size, computed once, and its kept body capped', () => {
	it('keeps a body under the cap as it is, as JSON text; the size is that text\'s bytes plus the fixed overhead', () => {
		const original = record('wf', { order: { id: 42, note: 'ação' } });
		const kept = keptRecord(original, 64 * 1024);
		const { item, headers, ...rest } = original;
		expect(kept.record).toEqual({ ...rest, itemJson: JSON.stringify(item), headersJson: JSON.stringify(headers) });
		expect(kept.bytes).toBe(RECORD_OVERHEAD_BYTES + jsonBytes(original.item) + jsonBytes(original.headers));
		const bare = record('wf', undefined);
		expect(keptRecord(bare, 64 * 1024)).toMatchObject({ record: { itemJson: null }, bytes: RECORD_OVERHEAD_BYTES + jsonBytes(bare.headers) });
	});

	it('counts a text as it is held in memory when that is more than its UTF-8 bytes (beyond Latin-1)', () => {
		const size = (note: string) => keptRecord(record('wf', undefined, { item: { note } }), 64 * 1024).bytes - RECORD_OVERHEAD_BYTES - jsonBytes(record('wf', undefined).headers);
		const wrapped = '{"note":""}'.length;
		expect(size('plain')).toBe(wrapped + 5);
		// Latin-1: one byte a character in memory, its UTF-8 bytes count.
		expect(size('ação')).toBe(wrapped + 6);
		// One character beyond Latin-1 makes V8 hold the whole string at two bytes a character.
		expect(size('a'.repeat(100) + '✓')).toBe(2 * (wrapped + 101));
		// Where UTF-8 takes more (three bytes for each ✓), that counts.
		expect(size('✓'.repeat(100))).toBe(wrapped + 300);
	});

	it('replaces a body over the cap by a marker no larger than the cap: size, SHA-256 and the start of its JSON', () => {
		const hostile = record('wf', { blob: 'A'.repeat(MIB) });
		const json = JSON.stringify(hostile.item);
		const kept = keptRecord(hostile, 64 * 1024);
		const marker = itemOf(kept) as unknown as TruncatedItem;
		expect(marker).toEqual({
			truncated: true,
			itemBytes: Buffer.byteLength(json),
			itemSha256: createHash('sha256').update(json).digest('hex'),
			preview: expect.any(String),
		});
		expect(json.startsWith(marker.preview)).toBe(true);
		expect(jsonBytes(marker)).toBeLessThanOrEqual(64 * 1024);
		// Almost all the room is used for the preview.
		expect(jsonBytes(marker)).toBeGreaterThan(64 * 1024 - 16);
		expect(kept.bytes).toBe(RECORD_OVERHEAD_BYTES + jsonBytes(marker) + jsonBytes(hostile.headers));
		// The rest of the record is untouched (raw body's size and hash included); the caller's is not changed.
		const { item, headers, ...rest } = hostile;
		expect(kept.record).toEqual({ ...rest, itemJson: JSON.stringify(marker), headersJson: JSON.stringify(headers) });
		expect(item).toBe(hostile.item);
		expect(hostile.item).toEqual({ body: { blob: 'A'.repeat(MIB) }, query: {} });
	});

	it('cuts the preview within the cap whatever the characters (escapes, multi-byte, surrogate pairs)', () => {
		const texts = fc.array(fc.constantFrom('a', '"', '\\', '\n', '\u0001', 'é', '€', '😀', '𝄞'), { minLength: 1, maxLength: 400 }).map((parts) => parts.join(''));
		fc.assert(
			fc.property(texts, fc.integer({ min: 200, max: 1200 }), (text, cap) => {
				const kept = keptRecord(record('wf', { text }), cap);
				const item = itemOf(kept) as Record<string, unknown>;
				if (!item.truncated) {
					expect(jsonBytes(item)).toBeLessThanOrEqual(cap);
					return;
				}
				const marker = item as unknown as TruncatedItem;
				expect(jsonBytes(marker)).toBeLessThanOrEqual(cap);
				expect(JSON.stringify({ body: { text }, query: {} }).startsWith(marker.preview)).toBe(true);
				// No lone surrogate at the end (PostgreSQL refuses one in jsonb).
				const last = marker.preview.charCodeAt(marker.preview.length - 1);
				expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
			}),
			{ numRuns: 300 },
		);
	});

	it('never ends a preview on half a surrogate pair, wherever the cut falls', () => {
		for (const text of ['😀'.repeat(2000), 'a😀'.repeat(1000), '"😀'.repeat(1000)]) {
			for (let cap = 300; cap < 400; cap++) {
				const marker = itemOf(keptRecord(record('wf', { text }), cap)) as unknown as TruncatedItem;
				expect(marker.truncated).toBe(true);
				expect(marker.preview).toMatch(/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/);
				expect(jsonBytes(marker)).toBeLessThanOrEqual(cap);
			}
		}
	});

	it('keeps the row without its item when the item is not JSON', () => {
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		const kept = keptRecord({ ...record('wf', undefined), item: cyclic }, 64 * 1024);
		expect(kept.record.itemJson).toBeNull();
	});
});

describe('DeliveryLog byte bound', () => {
	it('never holds more than maxBufferedBytes, counting the batch a stalled store is writing', async () => {
		const maxBufferedBytes = 256 * 1024;
		const log = new DeliveryLog(stalled, { maxBuffered: 10_000, maxBufferedBytes, flushIntervalMs: 5, pruneIntervalMs: 60_000 });
		let held = 0;
		let accepted = 0;
		for (let i = 0; i < 300; i++) {
			const candidate = record('wf-bytes', { blob: 'x'.repeat(1000 + ((i * 7919) % 9000)) });
			const size = keptRecord(candidate, 64 * 1024).bytes;
			const fits = held + size <= maxBufferedBytes;
			expect(log.record(candidate)).toBe(fits);
			if (fits) {
				held += size;
				accepted++;
			}
			expect(log.stats.bufferedBytes).toBe(held);
			expect(log.stats.bufferedBytes).toBeLessThanOrEqual(maxBufferedBytes);
			// Let the flush timer fire now and then: its batch stalls in the store and stays counted.
			if (i % 50 === 0) await sleep(10);
		}
		expect(accepted).toBeGreaterThan(10);
		expect(accepted).toBeLessThan(300);
		expect(log.stats.buffered).toBeLessThan(accepted);
		expect(log.stats.dropped).toBe(300 - accepted);
	});

	it('caps a hostile body before it is buffered: 30 bodies of 1 MB hold 30 markers, not 30 MB', () => {
		const log = new DeliveryLog(stalled, { maxBuffered: 10_000, flushIntervalMs: 60_000, pruneIntervalMs: 60_000 });
		for (let i = 0; i < 30; i++) expect(log.record(record('wf-hostile', { blob: String(i).padEnd(MIB, 'A') }))).toBe(true);
		expect(log.stats.bufferedBytes).toBeLessThanOrEqual(30 * (DEFAULT_LOG_OPTIONS.maxKeptBodyBytes + 1024));
	});

	it('writes one overflow row per node counting the calls it refused and their body bytes', async () => {
		let release: (store: Store) => void = () => undefined;
		const opened = new Promise<Store>((resolve) => (release = resolve));
		const log = new DeliveryLog(async () => await opened, { maxBuffered: 10_000, maxBufferedBytes: 64 * 1024, flushIntervalMs: 5, pruneIntervalMs: 60_000 });
		const results = [];
		for (let i = 0; i < 40; i++) {
			const node = i % 2 === 0 ? 'A' : 'B';
			const call = record('wf-over', { blob: 'y'.repeat(8000 + i) }, { nodeName: node });
			results.push({ node, accepted: log.record(call), bodyBytes: call.bodyBytes });
		}
		const refused = results.filter((r) => !r.accepted);
		expect(refused.length).toBeGreaterThan(20);
		release(fakeStore);
		await sleep(20);
		await log.flush();
		const rows = written.flat();
		const overflow = rows.filter((row) => row.outcome === 'overflow');
		expect(overflow).toHaveLength(2);
		for (const node of ['A', 'B']) {
			const mine = refused.filter((r) => r.node === node);
			expect(overflow.find((row) => row.nodeName === node)).toMatchObject({
				reason: 'log_buffer_full',
				dropped: mine.length,
				// The raw bodies' bytes of the refused calls.
				bodyBytes: mine.reduce((sum, r) => sum + r.bodyBytes, 0),
				item: null,
			});
		}
		expect(rows.filter((row) => row.outcome === 'rejected')).toHaveLength(40 - refused.length);
		expect(log.stats).toMatchObject({ dropped: refused.length, buffered: 0, bufferedBytes: 0 });
	});

	it('frees the bytes of a written batch (and of a failed one) for the next records', async () => {
		const record1k = () => record('wf-free', { blob: 'z'.repeat(1000) });
		const size = keptRecord(record1k(), 64 * 1024).bytes;
		const ok = new DeliveryLog(async () => fakeStore, { maxBuffered: 100, maxBufferedBytes: 3 * size, flushIntervalMs: 60_000, pruneIntervalMs: 60_000 });
		for (let round = 0; round < 3; round++) {
			expect([ok.record(record1k()), ok.record(record1k()), ok.record(record1k()), ok.record(record1k())]).toEqual([true, true, true, false]);
			await ok.flush();
			expect(ok.stats.bufferedBytes).toBe(0);
		}
		const failing = new DeliveryLog(async () => { throw new Error('down'); }, { maxBuffered: 100, maxBufferedBytes: 3 * size, flushIntervalMs: 60_000, pruneIntervalMs: 60_000 });
		failing.record(record1k());
		await failing.flush();
		expect(failing.stats).toMatchObject({ failedWrites: 1, bufferedBytes: 0 });
		expect(failing.record(record1k())).toBe(true);
	});

	it('docs/delivery-log.md states the bounds the defaults have', () => {
		const page = readFileSync(join(__dirname, '../../docs/delivery-log.md'), 'utf8');
		const section = page.split('\n## ')[0];
		expect(DEFAULT_LOG_OPTIONS).toMatchObject({ maxBufferedBytes: 32 * MIB, maxKeptBodyBytes: 64 * 1024, maxKeptBodyBytesPerWorkflow: 64 * MIB });
		expect(section).toContain('10,000 records or 32 MiB');
		expect(section).toContain('64 KiB');
		expect(section).toContain('64 MiB');
		expect(page).toContain(`every ${DEFAULT_LOG_OPTIONS.flushIntervalMs} ms`);
		expect(page).toContain(`loses at most the last ${DEFAULT_LOG_OPTIONS.flushIntervalMs} ms of records`);
	});
});

describe('a folded flood (rate_limited)', () => {
	it('is one record per fold key, its dropped counting the calls after the first, before and after the write', async () => {
		written.length = 0;
		added.length = 0;
		const log = new DeliveryLog(async () => fakeStore, { ...DEFAULT_LOG_OPTIONS, flushIntervalMs: 60_000 });
		const first = record('wf-fold', undefined, { reason: 'rate_limited', status: 429 });
		log.recordFolded(first, 'ip-a\nwindow-1');
		for (let i = 0; i < 499; i++) log.recordFolded(record('wf-fold', undefined, { reason: 'rate_limited', status: 429 }), 'ip-a\nwindow-1');
		log.recordFolded(record('wf-fold', undefined, { reason: 'rate_limited', status: 429 }), 'ip-b\nwindow-1');
		await log.flush();
		const rows = written.flat();
		expect(rows.map((row) => [row.id === first.id, row.dropped])).toEqual([
			[true, 499],
			[false, 0],
		]);
		// After the write, the same key and window add to that record's count, not new rows.
		for (let i = 0; i < 300; i++) log.recordFolded(record('wf-fold', undefined), 'ip-a\nwindow-1');
		await log.flush();
		expect(written.flat()).toHaveLength(2);
		expect(added).toEqual([{ id: first.id, count: 300 }]);
		// A new window is a new record.
		log.recordFolded(record('wf-fold', undefined), 'ip-a\nwindow-2');
		await log.flush();
		expect(written.flat()).toHaveLength(3);
	});
});

describe('the default flush interval', () => {
	it('writes a buffered record 25 ms later: what a crash can lose (docs/delivery-log.md, checked above)', async () => {
		jest.useFakeTimers();
		try {
			written.length = 0;
			const log = new DeliveryLog(async () => fakeStore);
			const first = record('wf-interval', { n: 1 });
			log.record(first);
			await jest.advanceTimersByTimeAsync(24);
			expect(written.flat()).toHaveLength(0);
			await jest.advanceTimersByTimeAsync(1);
			expect(written.flat().map((row) => row.id)).toEqual([first.id]);
		} finally {
			jest.useRealTimers();
		}
	});
});
