import { checkTimestampSeconds } from '../../../nodes/WebhookTrigger/auth/timestamp';

const T = 1531420618;

describe('checkTimestampSeconds', () => {
	it('accepts whole seconds inside the window, boundaries included', () => {
		expect(checkTimestampSeconds(String(T), T * 1000, 300)).toEqual({ kind: 'ok', seconds: T });
		expect(checkTimestampSeconds(String(T), (T + 300) * 1000, 300).kind).toBe('ok');
		expect(checkTimestampSeconds(String(T), (T - 300) * 1000, 300).kind).toBe('ok');
	});

	it('rejects timestamps more than the tolerance away in either direction', () => {
		expect(checkTimestampSeconds(String(T), (T + 301) * 1000, 300).kind).toBe('outside');
		expect(checkTimestampSeconds(String(T), (T + 300) * 1000 + 1, 300).kind).toBe('outside');
		expect(checkTimestampSeconds(String(T), (T - 301) * 1000, 300).kind).toBe('outside');
	});

	it('rejects non-integer text', () => {
		for (const value of ['', 'abc', '1531420618.5', '-1531420618', '+1531420618', ' 1531420618', '1e9', '1'.repeat(13)]) {
			expect(checkTimestampSeconds(value, T * 1000, 300).kind).toBe('malformed');
		}
	});

	it('rejects when the clock is not a finite number', () => {
		expect(checkTimestampSeconds(String(T), Number.NaN, 300).kind).toBe('outside');
		expect(checkTimestampSeconds(String(T), Number.POSITIVE_INFINITY, 300).kind).toBe('outside');
	});
});
