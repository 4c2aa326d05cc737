import type { INodeParameters } from 'n8n-workflow';

/**
 * Webhook-description fields that n8n 2.x resolves without its expression engine.
 *
 * A webhook description's `path`, `httpMethod`, `responseMode`, … are expression templates
 * (`={{$parameter["path"]}}`): the editor needs those strings. On n8n 2.x, evaluating them runs
 * the sandboxed expression engine (an isolate per webhook call), which made every rejected call
 * cost about twice what n8n's own Webhook node pays. n8n-workflow 2.41 lets a description carry a
 * native resolver per field, under `Symbol.for('n8n.webhookDescriptionResolvers')`; n8n uses it
 * when the field still holds the exact template and the node's parameters contain no expression,
 * and falls back to the engine otherwise. n8n 1.x ignores the symbol and evaluates the templates.
 *
 * We attach the resolvers ourselves instead of calling n8n-workflow's `webhookDescriptionFields`:
 * the n8n-workflow of n8n 1.x has no such export, and the key is a registered symbol, so one
 * description serves both lines. test/unit/webhookFields.test.ts evaluates every template and
 * compares it with its resolver.
 */
export interface WebhookField {
	/** What the editor and the expression engine see. */
	template: string;
	/** The same value computed from the node's parameters. */
	resolve: (parameters: INodeParameters) => unknown;
}

const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

/** `={{$parameter["a"]["b"]}}` (or `… || "fallback"`), and the same read in plain code. */
export function parameterField(path: string[], fallback?: string): WebhookField {
	const tail = fallback === undefined ? '' : ` || ${JSON.stringify(fallback)}`;
	return {
		template: `={{$parameter${path.map((segment) => `["${segment}"]`).join('')}${tail}}}`,
		resolve: (parameters) => {
			let current: unknown = parameters;
			for (const segment of path) {
				if (current === null || current === undefined) return fallback;
				current = (current as Record<string, unknown>)[segment];
			}
			// `||` in the template is JavaScript truthiness, not a nullish check.
			return fallback !== undefined && !current ? fallback : current;
		},
	};
}

/** The templates for the editor plus, under n8n's symbol, their native resolvers. */
export function webhookFields<K extends string>(fields: Record<K, WebhookField>): Record<K, string> {
	const templates = {} as Record<K, string>;
	for (const name of Object.keys(fields) as K[]) templates[name] = fields[name].template;
	// A symbol key survives the spread into a description and never reaches the editor's JSON.
	return Object.assign(templates, { [WEBHOOK_RESOLVERS]: fields });
}
