import { INBOX_DEFAULTS, inboxSettingsOf } from '../../nodes/WebhookTrigger/delivery/inbox';
import { triggerOptionsProperty } from '../../nodes/WebhookTrigger/optionFields';
import { acknowledgement, answersAfterStart, responseModeField } from '../../nodes/WebhookTrigger/acknowledge';

describe('inbox settings', () => {
	it('apply only in "Immediately" mode with the inbox option on', () => {
		expect(inboxSettingsOf('onReceived', {})).toBeUndefined();
		expect(inboxSettingsOf('lastNode', { inbox: true })).toBeUndefined();
		expect(inboxSettingsOf('onReceived', { inbox: true })).toEqual({ concurrency: 5, maxAttempts: 3, retryBaseMs: 30_000, retryMaxMs: 3_600_000, batchSize: 1, batchWindowMs: 0, perMinute: 0, holdMs: 10_000 });
		expect(inboxSettingsOf('onReceived', { inbox: true, inboxConcurrency: 0, inboxAttempts: 2.7, inboxRetrySeconds: -4, inboxHoldSeconds: -1 })).toMatchObject({ concurrency: 1, maxAttempts: 2, retryBaseMs: 0, holdMs: 0 });
		expect(inboxSettingsOf('onReceived', { inbox: true, inboxHoldSeconds: 2.5 })).toMatchObject({ holdMs: 2_500 });
	});

	it('show the same defaults in the editor as the node applies', () => {
		const defaults = Object.fromEntries((triggerOptionsProperty.options ?? []).map((option) => [option.name, (option as { default?: unknown }).default]));
		expect([defaults.inboxConcurrency, defaults.inboxAttempts, defaults.inboxRetrySeconds, defaults.inboxBatchSize, defaults.inboxBatchWindowMs, defaults.inboxPerMinute, defaults.inboxHoldSeconds]).toEqual([
			INBOX_DEFAULTS.concurrency,
			INBOX_DEFAULTS.maxAttempts,
			INBOX_DEFAULTS.retrySeconds,
			INBOX_DEFAULTS.batchSize,
			INBOX_DEFAULTS.batchWindowMs,
			INBOX_DEFAULTS.perMinute,
			INBOX_DEFAULTS.holdSeconds,
		]);
	});

	it('make webhook() answer (202 unless set), not the execution', () => {
		expect(answersAfterStart('onReceived', { inbox: true })).toBe(false);
		expect(responseModeField.resolve({ responseMode: 'onReceived', options: { inbox: true } })).toBe('onReceived');
		expect(acknowledgement({}, true).status).toBe(202);
		expect(acknowledgement({ responseCode: 200 }, true).status).toBe(200);
		expect(acknowledgement({}).status).toBe(200);
	});
});
