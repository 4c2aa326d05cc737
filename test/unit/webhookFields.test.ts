import type { INodeParameters, IWebhookDescription } from 'n8n-workflow';
import { resolveWebhookDescriptionField, webhookDescriptionIsNativelyResolvable } from 'n8n-workflow';

import { webhookDescriptions } from '../../nodes/WebhookTrigger/description';
import { parameterField } from '../../nodes/WebhookTrigger/webhookFields';

/** The resolvers webhookFields attaches under n8n's registered symbol (what n8n 2.x reads). */
function resolversOf(description: IWebhookDescription): Record<string, unknown> | undefined {
	return (description as unknown as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('n8n.webhookDescriptionResolvers')];
}

/** What the expression engine computes for a `={{…}}` template, with `$parameter` bound. */
function evaluateTemplate(template: string, parameters: INodeParameters): unknown {
	const source = template.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return (new Function('$parameter', `return (${source});`) as (p: INodeParameters) => unknown)(parameters);
}

const parameterSets: INodeParameters[] = [
	{ path: 'orders', httpMethod: 'POST', responseMode: 'onReceived', options: {} },
	{ path: 'orders/new', httpMethod: 'PUT', responseMode: 'onReceived', options: { answerBeforeStart: true, responseCode: 202 } },
	{ path: 'x', httpMethod: 'PATCH', responseMode: 'lastNode', options: { responseCode: 0 } },
	{ path: 'y', httpMethod: 'DELETE', responseMode: 'responseNode', options: { answerBeforeStart: false } },
	{ path: 'inbox', httpMethod: 'POST', responseMode: 'onReceived', options: { inbox: true } },
	{ path: 'inbox-last', httpMethod: 'POST', responseMode: 'lastNode', options: { inbox: true } },
	{ path: '', httpMethod: 'POST', responseMode: 'lastNode', options: { responseCode: 204, answerBeforeStart: true } },
];

describe('webhook description fields resolved without the expression engine', () => {
	it.each(webhookDescriptions.map((description) => [description.name, description] as const))(
		'the %s webhook: every template field has a resolver n8n 2.x accepts',
		(_name, description) => {
			expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
			const resolvers = resolversOf(description) ?? {};
			const templated = Object.keys(description).filter((field) => String(description[field]).startsWith('='));
			expect(Object.keys(resolvers).sort()).toEqual(templated.sort());
		},
	);

	it.each(webhookDescriptions.map((description) => [description.name, description] as const))(
		'the %s webhook: each resolver gives what its template evaluates to',
		(_name, description) => {
			for (const parameters of parameterSets) {
				for (const field of Object.keys(resolversOf(description) ?? {})) {
					const native = resolveWebhookDescriptionField({ parameters }, description, field);
					expect(native).toEqual({ resolved: true, value: evaluateTemplate(String(description[field]), parameters) });
				}
			}
		},
	);

	it('leaves parameters that hold an expression to the engine', () => {
		const [description] = webhookDescriptions;
		const parameters = { path: '={{ "orders" }}', httpMethod: 'POST', responseMode: 'onReceived', options: {} };
		expect(resolveWebhookDescriptionField({ parameters }, description, 'path')).toEqual({ resolved: false });
	});

	it('keeps the templates the editor sees as plain strings (the resolvers are not serialised)', () => {
		const [description] = webhookDescriptions;
		expect(JSON.parse(JSON.stringify(description))).toEqual({
			name: 'default',
			httpMethod: '={{$parameter["httpMethod"]}}',
			responseMode:
				'={{$parameter["responseMode"] === "onReceived" && !($parameter["options"] || {})["answerBeforeStart"] && !($parameter["options"] || {})["inbox"] ? "responseNode" : $parameter["responseMode"]}}',
			responseData: '={{$parameter["responseMode"] === "lastNode" ? "firstEntryJson" : ""}}',
			responseCode: '={{$parameter["options"]["responseCode"] || 200}}',
			path: '={{$parameter["path"]}}',
			isFullPath: true,
		});
	});

	it('reads nested parameters with the template\'s truthiness fallback', () => {
		const field = parameterField(['options', 'method'], 'GET');
		expect(field.template).toBe('={{$parameter["options"]["method"] || "GET"}}');
		expect(field.resolve({ options: { method: 'PUT' } })).toBe('PUT');
		expect(field.resolve({ options: { method: '' } })).toBe('GET');
		expect(field.resolve({})).toBe('GET');
		expect(parameterField(['path']).resolve({})).toBeUndefined();
	});
});
