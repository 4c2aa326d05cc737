import { insertChunkSizes } from '../../../nodes/shared/store/deliveries';

describe('the delivery log INSERT sizes', () => {
	it('cover any batch exactly, in powers of two up to 256, so flushes share at most 9 statement texts', () => {
		const seen = new Set<number>();
		for (let count = 0; count <= 2_000; count++) {
			const sizes = insertChunkSizes(count);
			expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(count);
			for (const size of sizes) {
				expect(size & (size - 1)).toBe(0);
				expect(size).toBeLessThanOrEqual(256);
				seen.add(size);
			}
		}
		expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
	});
});
