import { safeEqual } from '../../../nodes/WebhookTrigger/auth/compare';

describe('safeEqual', () => {
	it('is true for identical strings and for identical buffers', () => {
		expect(safeEqual('s3cr3t-token', 's3cr3t-token')).toBe(true);
		expect(safeEqual(Buffer.from([0, 1, 255]), Buffer.from([0, 1, 255]))).toBe(true);
	});

	it('is false for strings that differ in one character', () => {
		expect(safeEqual('s3cr3t-token', 's3cr3t-tokeN')).toBe(false);
	});

	it('is false, without throwing, for different lengths (timingSafeEqual alone would throw)', () => {
		expect(() => safeEqual('short', 'a much longer value')).not.toThrow();
		expect(safeEqual('short', 'a much longer value')).toBe(false);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', 'x')).toBe(false);
	});

	it('treats two empty values as equal (callers reject blank secrets before comparing)', () => {
		expect(safeEqual('', '')).toBe(true);
	});

	it('compares strings as UTF-8 bytes', () => {
		expect(safeEqual('çé✓', Buffer.from('çé✓', 'utf8'))).toBe(true);
		expect(safeEqual('çé✓', 'ce✓')).toBe(false);
	});

	it('is false for values that are not strings or buffers', () => {
		const cases: unknown[] = [undefined, null, 42, ['a'], { a: 1 }];
		for (const value of cases) {
			expect(safeEqual(value as string, 'a')).toBe(false);
			expect(safeEqual('a', value as string)).toBe(false);
		}
	});

	it('handles megabyte-sized inputs', () => {
		const big = 'x'.repeat(1024 * 1024);
		expect(safeEqual(big, big)).toBe(true);
		expect(safeEqual(big, `${big}y`)).toBe(false);
	});
});
