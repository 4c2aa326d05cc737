import { acknowledgement, answersAfterStart, responseModeField } from '../../nodes/WebhookTrigger/acknowledge';

describe('acknowledgement of an accepted call', () => {
	it('answers after the execution has started unless the user chose to answer before', () => {
		expect(answersAfterStart('onReceived', {})).toBe(true);
		expect(answersAfterStart('onReceived', { answerBeforeStart: false })).toBe(true);
		expect(answersAfterStart('onReceived', { answerBeforeStart: true })).toBe(false);
		expect(answersAfterStart('lastNode', {})).toBe(false);
		expect(answersAfterStart('responseNode', {})).toBe(false);
	});

	it('defaults to 200 {"received":true} as JSON', () => {
		expect(acknowledgement({})).toEqual({
			status: 200,
			headers: { 'Content-Type': 'application/json' },
			body: '{"received":true}',
		});
	});

	it('keeps the configured code, body and headers, and a Content-Type in any case', () => {
		const answer = acknowledgement({
			responseCode: 202,
			responseBody: 'ok',
			responseHeaders: { values: [{ name: 'content-type', value: 'text/plain' }, { name: 'X-Trace', value: '1' }, { name: '', value: 'x' }] },
		});
		expect(answer).toEqual({ status: 202, headers: { 'content-type': 'text/plain', 'X-Trace': '1' }, body: 'ok' });
	});

	it('sends no body with 204', () => {
		expect(acknowledgement({ responseCode: 204, responseBody: 'ignored' }).body).toBe('');
	});

	it('maps "Immediately" to n8n\'s Respond to Webhook mode unless answering before the start', () => {
		// The expression n8n evaluates: `$parameter` is the node's parameters.
		const source = responseModeField.template.replace(/^=\{\{/, '').replace(/\}\}$/, '');
		const evaluate = new Function('$parameter', `return (${source});`) as (p: unknown) => string;
		expect(evaluate({ responseMode: 'onReceived', options: {} })).toBe('responseNode');
		expect(evaluate({ responseMode: 'onReceived' })).toBe('responseNode');
		expect(evaluate({ responseMode: 'onReceived', options: { answerBeforeStart: true } })).toBe('onReceived');
		expect(evaluate({ responseMode: 'lastNode', options: {} })).toBe('lastNode');
		expect(evaluate({ responseMode: 'responseNode', options: { answerBeforeStart: true } })).toBe('responseNode');
	});
});
