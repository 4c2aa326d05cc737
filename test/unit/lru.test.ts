import { cacheKey, LruCache } from '../../nodes/WebhookTrigger/gate/lru';

describe('LruCache', () => {
	it('keeps at most `capacity` entries, evicting the least recently used', () => {
		const cache = new LruCache<string, number>(3);
		cache.set('a', 1).set('b', 2).set('c', 3).set('d', 4);
		expect(cache.size).toBe(3);
		expect(cache.has('a')).toBe(false);
		expect(cache.keys()).toEqual(['b', 'c', 'd']);
	});

	it('counts a read as a use, so an entry read on every call is never evicted (FIFO would)', () => {
		const cache = new LruCache<string, number>(3);
		cache.set('hot', 0);
		for (let i = 0; i < 100; i++) {
			expect(cache.get('hot')).toBe(0);
			cache.set(`one-off ${i}`, i);
		}
		expect(cache.has('hot')).toBe(true);
		expect(cache.keys()).toEqual(['one-off 98', 'hot', 'one-off 99']);
	});

	it('counts a write as a use and replaces the value', () => {
		const cache = new LruCache<string, number>(2);
		cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
		expect(cache.get('a')).toBe(10);
		expect(cache.has('b')).toBe(false);
	});

	it('stores undefined-like values faithfully and reports misses as undefined', () => {
		const cache = new LruCache<string, number | null>(2);
		cache.set('zero', 0).set('null', null);
		expect(cache.get('zero')).toBe(0);
		expect(cache.get('null')).toBeNull();
		expect(cache.get('absent')).toBeUndefined();
	});

	it('deletes and clears', () => {
		const cache = new LruCache<number, string>(4);
		cache.set(1, 'a').set(2, 'b');
		expect(cache.delete(1)).toBe(true);
		expect(cache.delete(1)).toBe(false);
		cache.clear();
		expect(cache.size).toBe(0);
	});

	it.each([0, -1, 1.5, NaN])('refuses capacity %p', (capacity) => {
		expect(() => new LruCache(capacity)).toThrow(RangeError);
	});
});

describe('cacheKey', () => {
	it('is the SHA-256 of the text, hex', () => {
		expect(cacheKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(cacheKey('é')).not.toBe(cacheKey('e'));
	});
});
