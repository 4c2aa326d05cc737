/**
 * A small bounded least-recently-used map, for things that are parsed or compiled once per
 * configuration (schemas, allowlists) and looked up on every call. A `Map` keeps insertion order,
 * so re-inserting on each hit keeps the least recently used entry first, where eviction takes it.
 * FIFO would evict a schema that is used on every call as soon as enough others had been added.
 */
import { createHash } from 'crypto';

export class LruCache<K, V> {
	private readonly entries = new Map<K, V>();

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('LRU capacity must be a positive integer');
	}

	get size(): number {
		return this.entries.size;
	}

	/** The value, now marked as the most recently used; undefined when absent. */
	get(key: K): V | undefined {
		if (!this.entries.has(key)) return undefined;
		const value = this.entries.get(key) as V;
		this.entries.delete(key);
		this.entries.set(key, value);
		return value;
	}

	has(key: K): boolean {
		return this.entries.has(key);
	}

	/** Stores the value as the most recently used, evicting the least recently used beyond capacity. */
	set(key: K, value: V): this {
		this.entries.delete(key);
		this.entries.set(key, value);
		if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
		return this;
	}

	delete(key: K): boolean {
		return this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}

	/** Keys from least to most recently used (for tests and diagnostics). */
	keys(): K[] {
		return [...this.entries.keys()];
	}
}

/** A fixed-size cache key for (normalised) configuration text: its SHA-256, hex. */
export function cacheKey(normalisedText: string): string {
	return createHash('sha256').update(normalisedText, 'utf8').digest('hex');
}
