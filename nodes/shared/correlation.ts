/**
 * What the Wait for Webhook node and the Webhook Trigger must agree on to find each other: the
 * scope (the trigger's path) and the text of a key.
 */

/**
 * A trigger path as the store files it: no surrounding slashes or spaces (`/payments/` = `payments`).
 * Test-URL calls and executions started from the editor live in a scope of their own, so a test
 * call never resumes a production execution, nor a production call an editor one.
 */
export function scopeOf(path: string, test = false): string {
	const scope = path.trim().replace(/^\/+|\/+$/g, '');
	return test ? `test:${scope}` : scope;
}

/** A key as text: strings as given (empty = none), numbers and booleans as written; anything else none. */
export function keyText(value: unknown): string | undefined {
	if (typeof value === 'string') return value === '' ? undefined : value;
	if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	return undefined;
}

/**
 * The header the Webhook Trigger's hand-over carries to the waiting execution's resume URL: the
 * token of its claim, whose hash the store holds. Without it the resume URL resumes nothing.
 */
export const HANDOVER_TOKEN_HEADER = 'x-webhook-gateway-handover';
