/**
 * Parameter reads for one webhook call. n8n's getNodeParameter deep-copies the value and walks it
 * for expressions at every read, and a call reads a dozen parameters (profile of n8n 1.123 under
 * `npm run bench`: ~60 µs per call more than n8n's own Webhook node). The call already holds a
 * copy of the node (one getNode(), whose parameters n8n filled with their defaults): a value
 * without an expression is read from it; an expression, a missing value or a read with options
 * still goes to n8n, so what a parameter resolves to never differs.
 */
import type { INode, IWebhookFunctions } from 'n8n-workflow';

/** A string n8n evaluates (`={{ … }}`, `=text`), anywhere in the value. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** The value at a dotted name (`cases.values`), as n8n's lodash `get` reads it. */
function valueAt(parameters: unknown, name: string): unknown {
	let current = parameters;
	for (const segment of name.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

/**
 * `context` with getNodeParameter reading `node`'s parameters where that gives what n8n would.
 * `node` must be this call's own copy: its values are handed out, not copied again, so a caller
 * must not change what it reads. Everything else is the context itself (its prototype), so the
 * result passes wherever the context does.
 */
export function withNodeParameters(context: IWebhookFunctions, node: INode): IWebhookFunctions {
	const parameters = node.parameters;
	const fast = Object.create(context) as IWebhookFunctions;
	const read = (name: string, fallback?: unknown, options?: unknown): unknown => {
		const value = options === undefined ? valueAt(parameters, name) : undefined;
		if (value === undefined || holdsExpression(value)) {
			return options === undefined ? context.getNodeParameter(name, fallback) : context.getNodeParameter(name, fallback, options as never);
		}
		return value;
	};
	Object.defineProperty(fast, 'getNodeParameter', { value: read });
	return fast;
}
