/**
 * Hides secrets (tokens, signatures) from the headers and query the node puts in its output item
 * and its delivery-log records, so they never reach saved execution data or the log. Works on copies; the request itself is left intact
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
 * `stripe-signature`, …): hidden too, as a safety net for providers no scheme names yet. (A call
 * refused before the node's own credential was read keeps no such value at all: {@link redactUnread}.)
 */
export const CREDENTIAL_NAME = /auth|token|secret|passw|signature|cookie|session|api[-_]?key|hmac|^sig$/i;

function redact<T extends object>(source: T, isHidden: (key: string) => boolean): T {
	if (source === null || typeof source !== 'object') return {} as T;
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
	const named = (list: readonly string[] | undefined, normalize: (name: string) => string) => {
		const hidden = new Set((list ?? []).map(normalize));
		return (key: string) => hidden.has(normalize(key)) || (pattern !== undefined && pattern.test(key));
	};
	return {
		headers: redact(request.headers, named(names.headers, (name) => name.toLowerCase())),
		query: redact(request.query, named(names.query, (name) => name)),
	};
}

/**
 * Headers whose values are kept in a record made before the node's credential was read (see
 * {@link redactUnread}). Each is one no credential of this package can usefully name:
 * - `content-type`: n8n parses the body by it; a token there would break reading the body.
 * - `content-length`: HTTP framing; Node's parser accepts only a decimal number that matches the body.
 * - `origin`: what the Origin allowlist checks; the record already keeps it in its own `origin` field.
 * Left out on purpose: `user-agent` (free text, and Custom Header may name any header), `referer`
 * (a URL, whose query may carry a token), `authorization`, `cookie` and every `x-*` header.
 */
export const HARMLESS_HEADERS: readonly string[] = ['content-type', 'content-length', 'origin'];

/**
 * Copies for a call refused before the node's credential was read, when the names that credential
 * makes secret are unknown (a Custom Header or Query Parameter credential may name any header or
 * parameter): every header and query parameter keeps its name, but only the values of
 * {@link HARMLESS_HEADERS} are kept; every other value is `[redacted]`.
 */
export function redactUnread<H extends object, Q extends object>(request: RequestParts<H, Q>): RequestParts<H, Q> {
	const harmless = new Set(HARMLESS_HEADERS);
	return {
		headers: redact(request.headers, (name) => !harmless.has(name.toLowerCase())),
		query: redact(request.query, () => true),
	};
}
