import type { INode, IWebhookFunctions } from 'n8n-workflow';

import { holdsExpression, withNodeParameters } from '../../nodes/WebhookTrigger/nodeParameters';

/** A webhook context whose getNodeParameter answers from `resolved` and counts its reads. */
function contextOf(resolved: Record<string, unknown>) {
	const reads: string[] = [];
	const context = {
		marker: 'the context',
		getNodeParameter(name: string, fallback?: unknown) {
			reads.push(name);
			return name in resolved ? resolved[name] : fallback;
		},
		getWebhookName() {
			return (this as { marker: string }).marker;
		},
	} as unknown as IWebhookFunctions;
	return { context, reads };
}

const nodeWith = (parameters: Record<string, unknown>): INode =>
	({ id: 'n1', name: 'Trigger', type: 't', typeVersion: 1, position: [0, 0], parameters }) as INode;

describe('withNodeParameters', () => {
	it("reads a value without an expression from the call's copy of the node, not through n8n", () => {
		const { context, reads } = contextOf({});
		const options = { maxBodyBytes: 1024, inbox: true };
		const fast = withNodeParameters(context, nodeWith({ path: 'orders', options, cases: { values: [{ value: 'a' }] } }));
		expect(fast.getNodeParameter('path', '')).toBe('orders');
		expect(fast.getNodeParameter('options', {})).toBe(options);
		expect(fast.getNodeParameter('cases.values', [])).toEqual([{ value: 'a' }]);
		expect(reads).toEqual([]);
	});

	it('hands an expression, anywhere in the value, to n8n to resolve', () => {
		const { context, reads } = contextOf({ path: 'resolved-path', options: { responseCode: 201 } });
		const fast = withNodeParameters(context, nodeWith({ path: '={{ "p" }}', options: { nested: [{ code: '={{ 1 + 200 }}' }] } }));
		expect(fast.getNodeParameter('path', '')).toBe('resolved-path');
		expect(fast.getNodeParameter('options', {})).toEqual({ responseCode: 201 });
		expect(reads).toEqual(['path', 'options']);
	});

	it("asks n8n for a value the node does not hold, and for a read with options (n8n's fallback and extraction apply)", () => {
		const { context, reads } = contextOf({ eventPath: 'body.type' });
		const fast = withNodeParameters(context, nodeWith({ store: 'embedded' }));
		expect(fast.getNodeParameter('eventPath', '')).toBe('body.type');
		expect(fast.getNodeParameter('missing', 'fallback')).toBe('fallback');
		expect(fast.getNodeParameter('store', 'x', { extractValue: true })).toBe('x');
		expect(reads).toEqual(['eventPath', 'missing', 'store']);
	});

	it('is the context for everything else (its methods run with the context)', () => {
		const { context } = contextOf({});
		expect(withNodeParameters(context, nodeWith({})).getWebhookName()).toBe('the context');
		expect('getWebhookName' in withNodeParameters(context, nodeWith({}))).toBe(true);
	});

	it('holdsExpression finds "=" strings at any depth and nothing else', () => {
		expect(holdsExpression('={{ $json.a }}')).toBe(true);
		expect(holdsExpression({ a: [{ b: '=x' }] })).toBe(true);
		expect(holdsExpression({ a: ['x=', 1, null, true] })).toBe(false);
		expect(holdsExpression('plain')).toBe(false);
	});
});
