import { KeyObject } from 'crypto';

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

describe('safeEqual key (PERF-FACTS: Buffer keys cost 13–15 µs per createHmac on Node 24, a KeyObject 2.3 µs)', () => {
	it('HMACs every comparison with one KeyObject made when the module loads', () => {
		const keys: unknown[] = [];
		let secretKeysMade = 0;
		jest.isolateModules(() => {
			jest.doMock('crypto', () => {
				const actual = jest.requireActual('crypto');
				return {
					...actual,
					createSecretKey: (...args: unknown[]) => {
						secretKeysMade++;
						return actual.createSecretKey(...args);
					},
					createHmac: (algorithm: string, key: unknown, ...rest: unknown[]) => {
						keys.push(key);
						return actual.createHmac(algorithm, key, ...rest);
					},
				};
			});
			const fresh = require('../../../nodes/WebhookTrigger/auth/compare') as typeof import('../../../nodes/WebhookTrigger/auth/compare');
			expect(fresh.safeEqual('token', 'token')).toBe(true);
			expect(fresh.safeEqual('token', 'other')).toBe(false);
			expect(fresh.safeEqual(Buffer.from('x'), 'x')).toBe(true);
		});
		jest.dontMock('crypto');
		expect(keys).toHaveLength(6);
		expect(keys.every((key) => key instanceof KeyObject && key.type === 'secret')).toBe(true);
		expect(new Set(keys).size).toBe(1);
		expect(secretKeysMade).toBe(1);
	});
});
