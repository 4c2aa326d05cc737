import { MAX_TIMEOUT_MS, waitSettings, WaitSettingsError } from '../../nodes/WaitForWebhook/waitSettings';
import { keyText, scopeOf } from '../../nodes/shared/correlation';

const valid = { triggerPath: 'payments', correlationKey: 'order-42', timeoutAmount: 2, timeoutUnit: 'hours' };

describe('Wait for Webhook parameters', () => {
	it('turns them into a scope, a key and a timeout', () => {
		expect(waitSettings(valid)).toEqual({ scope: 'payments', key: 'order-42', timeoutMs: 2 * 3_600_000 });
		expect(waitSettings({ ...valid, triggerPath: ' /payments/ ', timeoutAmount: 1.5, timeoutUnit: 'minutes' })).toEqual({
			scope: 'payments',
			key: 'order-42',
			timeoutMs: 90_000,
		});
		expect(waitSettings({ ...valid, correlationKey: 42 }).key).toBe('42');
		expect(waitSettings({ ...valid, correlationKey: ' spaced ' }).key).toBe(' spaced ');
	});

	it.each([
		['an empty trigger path', { triggerPath: ' / ' }, 'Trigger Path is empty'],
		['an empty key', { correlationKey: '' }, 'The correlation key is empty'],
		['a key that is an object', { correlationKey: { id: 1 } }, 'The correlation key is empty'],
		['a null key', { correlationKey: null }, 'The correlation key is empty'],
		['an unknown unit', { timeoutUnit: 'weeks' }, 'The timeout is invalid'],
		['a zero amount', { timeoutAmount: 0 }, 'The timeout is invalid'],
		['a negative amount', { timeoutAmount: -1 }, 'The timeout is invalid'],
		['a text amount', { timeoutAmount: 'soon' }, 'The timeout is invalid'],
		['under a second', { timeoutAmount: 0.4, timeoutUnit: 'seconds' }, 'The timeout is out of range'],
		['over 365 days', { timeoutAmount: 366, timeoutUnit: 'days' }, 'The timeout is out of range'],
	])('refuses %s', (_label, change, message) => {
		const attempt = () => waitSettings({ ...valid, ...change });
		expect(attempt).toThrow(WaitSettingsError);
		expect(attempt).toThrow(message);
	});

	it('accepts exactly 365 days', () => {
		expect(waitSettings({ ...valid, timeoutAmount: 365, timeoutUnit: 'days' }).timeoutMs).toBe(MAX_TIMEOUT_MS);
	});
});

describe('correlation: what the node and the trigger agree on', () => {
	it('files a trigger path without surrounding slashes or spaces', () => {
		expect(scopeOf('/payments/')).toBe('payments');
		expect(scopeOf(' shop/orders ')).toBe('shop/orders');
	});

	it('reads keys as text: strings as given, numbers and booleans as written, nothing else', () => {
		expect(keyText('order-42')).toBe('order-42');
		expect(keyText('')).toBeUndefined();
		expect(keyText(42)).toBe('42');
		expect(keyText(true)).toBe('true');
		expect(keyText(BigInt('9007199254740993'))).toBe('9007199254740993');
		expect(keyText(null)).toBeUndefined();
		expect(keyText({ id: 1 })).toBeUndefined();
		expect(keyText(['a'])).toBeUndefined();
	});
});
