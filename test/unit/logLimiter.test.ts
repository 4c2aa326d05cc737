import { LogLimiter } from '../../nodes/WebhookTrigger/logLimiter';

describe('LogLimiter', () => {
	it('logs the first event of a key per interval and counts the rest for the next line', () => {
		const limiter = new LogLimiter(1_000);
		expect(limiter.take('a', 0)).toEqual({ log: true, suppressed: 0 });
		expect(limiter.take('a', 10)).toEqual({ log: false, suppressed: 1 });
		expect(limiter.take('a', 999)).toEqual({ log: false, suppressed: 2 });
		expect(limiter.take('b', 999)).toEqual({ log: true, suppressed: 0 });
		expect(limiter.take('a', 1_000)).toEqual({ log: true, suppressed: 2 });
		expect(limiter.take('a', 1_001)).toEqual({ log: false, suppressed: 1 });
	});

	it('yields one line per interval for a flood of 100,000 events', () => {
		const limiter = new LogLimiter(60_000);
		let lines = 0;
		for (let i = 0; i < 100_000; i++) if (limiter.take('flood', i).log) lines++;
		expect(lines).toBe(2);
	});

	it('tracks a bounded number of keys', () => {
		const limiter = new LogLimiter(60_000, 3);
		for (const key of ['a', 'b', 'c', 'd']) expect(limiter.take(key, 0).log).toBe(true);
		// 'a' was dropped to make room, so it logs again; 'd' is still tracked.
		expect(limiter.take('a', 1).log).toBe(true);
		expect(limiter.take('d', 1).log).toBe(false);
	});
});
