/**
 * Hides secrets (tokens, signatures) from the headers and query the node puts in its output item,
 * so they never reach saved execution data. Works on copies; the request itself is left intact
 * because the verifiers need the real values.
 */

export const REDACTED = '[redacted]';

export interface RequestParts<H extends object = Record<string, unknown>, Q extends object = Record<string, unknown>> {
	headers: H;
	query: Q;
}

/** Which names to hide; the same shape as the `Redactions` that auth verifiers return. */
export interface RedactionNames {
	headers: string[];
	query: string[];
}

/**
 * Names that say they carry a credential (`x-api-key`, `x-amz-security-token`, `access_token`,
 * `stripe-signature`, …): hidden too, as a safety net for providers no scheme names yet and for
 * calls refused before the node's own credential (and its configured names) was read.
 */
export const CREDENTIAL_NAME = /auth|token|secret|passw|signature|cookie|session|api[-_]?key|hmac|^sig$/i;

function redact<T extends object>(
	source: T,
	names: readonly string[],
	normalize: (name: string) => string,
	pattern: RegExp | undefined,
): T {
	if (source === null || typeof source !== 'object') return {} as T;
	const hidden = new Set(names.map(normalize));
	const isHidden = (key: string) => hidden.has(normalize(key)) || (pattern !== undefined && pattern.test(key));
	// fromEntries (not `out[key] = ...`) so a `__proto__` key is copied as data.
	return Object.fromEntries(
		Object.entries(source).map(([key, value]): [string, unknown] =>
			isHidden(key) && value !== undefined ? [key, REDACTED] : [key, value],
		),
	) as T;
}

/**
 * Returns shallow copies of `headers` and `query` in which each listed name's value (a string,
 * an array of repeated values, anything) is the string `[redacted]`. Header names match
 * case-insensitively, as HTTP defines them; query names are case-sensitive, as servers read them.
 * Names that are not present are not added. The copies keep the input types (n8n's header and
 * query types both allow a string value).
 */
export function redactRequest<H extends object, Q extends object>(
	request: RequestParts<H, Q>,
	names: RedactionNames,
	/** Also hide every name this matches (e.g. {@link CREDENTIAL_NAME}). */
	pattern?: RegExp,
): RequestParts<H, Q> {
	return {
		headers: redact(request.headers, names.headers ?? [], (name) => name.toLowerCase(), pattern),
		query: redact(request.query, names.query ?? [], (name) => name, pattern),
	};
}
