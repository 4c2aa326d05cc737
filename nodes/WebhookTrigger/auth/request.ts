import type { VerificationRequest } from './types';

/** One field read from headers, query or credentials: absent, usable text, or unusable. */
export type FieldRead = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'present'; value: string };

const MISSING: FieldRead = { kind: 'missing' };
const MALFORMED: FieldRead = { kind: 'malformed' };

/** Own properties only, so names like `constructor` or `__proto__` never reach Object.prototype. */
function own(record: unknown, key: string): unknown {
	if (record === null || typeof record !== 'object') return undefined;
	return Object.prototype.hasOwnProperty.call(record, key)
		? (record as Record<string, unknown>)[key]
		: undefined;
}

/** Repeated values (arrays), qs-nested objects and non-text are malformed: which one would we check? */
function classify(value: unknown): FieldRead {
	if (value === undefined || value === null || value === '') return MISSING;
	if (typeof value !== 'string') return MALFORMED;
	return { kind: 'present', value };
}

export function readHeader(request: VerificationRequest, name: string): FieldRead {
	const headers: unknown = request?.headers;
	const wanted = name.toLowerCase();
	const direct = own(headers, wanted);
	if (direct !== undefined) return classify(direct);
	// Node lower-cases header names; other callers (tests, proxies) may keep the sender's casing.
	if (headers !== null && typeof headers === 'object') {
		for (const key of Object.keys(headers)) {
			if (key.toLowerCase() === wanted) return classify(own(headers, key));
		}
	}
	return MISSING;
}

export function readQuery(request: VerificationRequest, name: string): FieldRead {
	return classify(own(request?.query, name));
}

/**
 * `hub.mode` as n8n's query parser leaves it (the literal key `'hub.mode'`) or as qs with dot
 * expansion nests it (`query.hub.mode`). The literal key wins when both are present.
 */
export function readDottedQuery(request: VerificationRequest, path: string): FieldRead {
	const flat = own(request?.query, path);
	if (flat !== undefined) return classify(flat);
	let node: unknown = request?.query;
	for (const part of path.split('.')) node = own(node, part);
	return classify(node);
}

/** The signed bytes; anything but a Buffer counts as an empty body rather than throwing. */
export function rawBytes(request: VerificationRequest): Buffer {
	const raw: unknown = request?.rawBody;
	return Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
}

export function methodOf(request: VerificationRequest): string {
	const method: unknown = request?.method;
	return typeof method === 'string' ? method.toUpperCase() : '';
}

/** A credential field as text; missing or non-text values become '' so callers reject as not configured. */
export function credentialString(credentials: unknown, key: string): string {
	const value = own(credentials, key);
	return typeof value === 'string' ? value : '';
}

/**
 * A secret from the credential: '' (not configured) when it is missing or blank after trimming, so a
 * credential saved as " " never verifies a caller who sends a blank token. The value itself is
 * returned untrimmed: a secret is compared exactly as it was saved.
 */
export function credentialSecret(credentials: unknown, key: string): string {
	const value = credentialString(credentials, key);
	return value.trim() === '' ? '' : value;
}
