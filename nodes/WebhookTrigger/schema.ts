/**
 * Optional JSON Schema check of the request body. ajv is required lazily, inside the function, so
 * workflows that never use a schema never load it; compiled validators are cached by schema text.
 */
import { isIP } from 'net';
import type AjvCore from 'ajv/dist/core';
import type { ErrorObject, Options, ValidateFunction } from 'ajv/dist/core';

export interface SchemaError {
	/** JSON Pointer into the body, as ajv's `instancePath` gives it (`''` is the body itself). */
	path: string;
	message: string;
}

export type ValidationResult = { valid: true } | { valid: false; errors: SchemaError[] };

/** A body failing many rules at once gets this many errors back, enough to act on. */
export const MAX_ERRORS = 20;
const MAX_CACHED = 100;
const cache = new Map<string, ValidateFunction>();

type AjvClass = new (options: Options) => AjvCore;

/** Picks the ajv build for the schema's `$schema` (draft-07 when absent). */
function loadAjv(dialect: unknown): AjvCore {
	const options: Options = { allErrors: true, strict: false, logger: false };
	const uri = typeof dialect === 'string' ? dialect.replace(/^https?:\/\//, '').replace(/#?$/, '') : '';
	/* eslint-disable @typescript-eslint/no-require-imports */
	let ajv: AjvCore;
	if (uri === '' || uri === 'json-schema.org/draft-07/schema' || uri === 'json-schema.org/schema') {
		ajv = new (require('ajv').default as AjvClass)(options);
	} else if (uri === 'json-schema.org/draft-06/schema') {
		ajv = new (require('ajv').default as AjvClass)(options);
		ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
	} else if (uri === 'json-schema.org/draft/2019-09/schema') {
		ajv = new (require('ajv/dist/2019').default as AjvClass)(options);
	} else if (uri === 'json-schema.org/draft/2020-12/schema') {
		ajv = new (require('ajv/dist/2020').default as AjvClass)(options);
	} else {
		throw new Error(`unsupported "$schema" ${JSON.stringify(dialect)} (use draft-06, draft-07, 2019-09 or 2020-12)`);
	}
	/* eslint-enable @typescript-eslint/no-require-imports */
	addFormats(ajv);
	return ajv;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isDate = (s: string): boolean => {
	const m = DATE.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
};

/**
 * The formats webhook payloads use most. ajv ships none (they live in ajv-formats, which we do not
 * depend on); any other format is ignored, as an annotation, instead of failing the schema.
 */
function addFormats(ajv: AjvCore): void {
	ajv.addFormat('date', isDate);
	ajv.addFormat('date-time', (s: string) => {
		const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
		return m !== null && isDate(m[1]) && +m[2] < 24 && +m[3] < 60 && +m[4] < 61;
	});
	ajv.addFormat('email', /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/);
	ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
	ajv.addFormat('uri', (s: string) => {
		if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) return false;
		try {
			new URL(s);
			return true;
		} catch {
			return false;
		}
	});
	ajv.addFormat('ipv4', (s: string) => isIP(s) === 4);
	ajv.addFormat('ipv6', (s: string) => isIP(s) === 6);
}

/** Runs `fn`, turning an exception into its message (so callers throw their own error outside a catch). */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; message: string } {
	try {
		return { ok: true, value: fn() };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}

/**
 * Compiles (or takes from the cache) the validator; throws a configuration error if it cannot.
 * A pure module has no node to build a NodeOperationError from: the node reports these.
 */
function getValidator(schemaText: string): ValidateFunction {
	const cached = cache.get(schemaText);
	if (cached) return cached;
	const parsed = attempt((): unknown => JSON.parse(schemaText));
	if (!parsed.ok) throw new Error(`Invalid JSON Schema: the text is not valid JSON (${parsed.message})`);
	const schema = parsed.value;
	if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
		throw new Error('Invalid JSON Schema: the schema must be a JSON object (or true/false)');
	}
	const dialect = typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined;
	// One ajv instance per schema, so two schemas with the same `$id` never collide.
	const compiled = attempt(() => loadAjv(dialect).compile(schema as object | boolean));
	if (!compiled.ok) throw new Error(`Invalid JSON Schema: ${compiled.message}`);
	if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
	cache.set(schemaText, compiled.value);
	return compiled.value;
}

function describe(error: ErrorObject): SchemaError {
	let message = error.message ?? `failed "${error.keyword}"`;
	// ajv leaves the offending property name out of these messages; it is what the user needs.
	const params = error.params as Record<string, unknown>;
	if (typeof params.additionalProperty === 'string') message += ` ("${params.additionalProperty}")`;
	if (typeof params.unevaluatedProperty === 'string') message += ` ("${params.unevaluatedProperty}")`;
	return { path: error.instancePath, message };
}

/**
 * Validates `body` against the schema in `schemaText` (blank text means no validation). Reports
 * every failure (up to {@link MAX_ERRORS}), not just the first. A schema that is not valid JSON or
 * not a valid JSON Schema throws: that is the node's configuration, not the caller's fault.
 */
export function validateBody(schemaText: string, body: unknown): ValidationResult {
	if (typeof schemaText !== 'string' || schemaText.trim() === '') return { valid: true };
	const validate = getValidator(schemaText);
	if (validate(body)) return { valid: true };
	const errors = (validate.errors ?? []).slice(0, MAX_ERRORS).map(describe);
	return { valid: false, errors };
}
