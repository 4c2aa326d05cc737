import { triggerOptionsProperty as optionFields } from '../../nodes/WebhookTrigger/optionFields';
import { DEFAULT_RATE_LIMIT_WINDOW_SECONDS, RateLimiter, limitsBeforeVerification, rateLimitOf } from '../../nodes/WebhookTrigger/gate/rateLimit';
import type { LeaseRequest } from '../../nodes/WebhookTrigger/gate/rateLimit';

/** The rate limit's settings and its local side; the shared counter runs on real stores (integration). */
const START = Date.UTC(2026, 10, 24, 12);
const scope = { workflowId: 'wf', nodeName: 'Webhook Trigger' };

describe('rateLimitOf', () => {
	it('is off at 0 or unset, and reads the key and window', () => {
		expect(rateLimitOf({})).toBeUndefined();
		expect(rateLimitOf({ rateLimit: 0, rateLimitKey: 'path' })).toBeUndefined();
		expect(rateLimitOf({ rateLimit: 10 })).toEqual({ limit: 10, windowMs: 60_000, key: 'ip', path: '' });
		expect(rateLimitOf({ rateLimit: 3, rateLimitWindowSeconds: 1, rateLimitKey: 'path', rateLimitKeyPath: ' body.tenant ' })).toEqual({
			limit: 3,
			windowMs: 1000,
			key: 'path',
			path: 'body.tenant',
		});
	});

	it.each([
		[{ rateLimit: 1.5 }, /whole number/],
		[{ rateLimit: -1 }, /whole number/],
		[{ rateLimit: 5, rateLimitWindowSeconds: 0 }, /1 to 86400/],
		[{ rateLimit: 5, rateLimitWindowSeconds: 86401 }, /1 to 86400/],
		[{ rateLimit: 5, rateLimitKey: 'cookie' }, /Unknown Rate Limit Key/],
		[{ rateLimit: 5, rateLimitKey: 'path' }, /Key Path is empty/],
	])('refuses %j', (options, message) => {
		expect(() => rateLimitOf(options)).toThrow(message);
	});

	it("has the node's literal defaults", () => {
		const field = (name: string) => optionFields.options?.find((option) => 'name' in option && option.name === name) as { default: unknown };
		expect(field('rateLimitWindowSeconds').default).toBe(DEFAULT_RATE_LIMIT_WINDOW_SECONDS);
		expect(field('rateLimit').default).toBe(0);
		expect(field('rateLimitKey').default).toBe('ip');
	});

	it('checks only the address before verification', () => {
		expect(limitsBeforeVerification({ limit: 1, windowMs: 1000, key: 'ip', path: '' })).toBe(true);
		expect(limitsBeforeVerification({ limit: 1, windowMs: 1000, key: 'path', path: 'body.a' })).toBe(false);
		expect(limitsBeforeVerification({ limit: 1, windowMs: 1000, key: 'node', path: '' })).toBe(false);
	});
});

describe('RateLimiter', () => {
	const settings = { limit: 40, windowMs: 60_000, key: 'ip' as const, path: '' };

	it('leases blocks of a tenth of the limit: a flood costs one lease per block and one refusal lease per window', async () => {
		const requests: LeaseRequest[] = [];
		let used = 0;
		const limiter = new RateLimiter(async (request) => {
			requests.push(request);
			const granted = Math.min(request.want, request.limit - used);
			used += granted;
			return granted;
		});
		const answers = [];
		for (let i = 0; i < 1000; i++) answers.push(await limiter.admit(scope, settings, '203.0.113.7', START + 5_000 + i));
		expect(answers.filter((a) => a.admitted)).toHaveLength(40);
		expect(requests).toHaveLength(11);
		expect(requests.every((r) => r.want === 4 && r.windowStart === START)).toBe(true);
		expect(answers[999]).toEqual({ admitted: false, retryAfterSeconds: 55, windowStart: START });
	});

	it('counts alone when the shared counter fails, and says so', async () => {
		const problems: string[] = [];
		const limiter = new RateLimiter(async () => await Promise.reject(new Error('connection refused')));
		const answers = [];
		for (let i = 0; i < 50; i++) answers.push(await limiter.admit(scope, settings, 'k', START + i, (m) => problems.push(m)));
		expect(answers.filter((a) => a.admitted)).toHaveLength(40);
		// One report when it starts counting alone, one when its own count is spent: not one per call.
		expect(problems).toEqual([expect.stringContaining('counts alone: connection refused'), expect.stringContaining('connection refused')]);
	});

	it('has one lease in flight per key: concurrent calls wait for it', async () => {
		let leases = 0;
		const limiter = new RateLimiter(async (request) => {
			leases++;
			await new Promise((resolve) => setTimeout(resolve, 5));
			return request.want;
		});
		const answers = await Promise.all(Array.from({ length: 4 }, async () => await limiter.admit(scope, settings, 'k', START)));
		expect(answers.every((a) => a.admitted)).toBe(true);
		expect(leases).toBe(1);
	});
});
