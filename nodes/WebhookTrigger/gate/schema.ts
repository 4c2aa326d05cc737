/**
 * Optional JSON Schema check of the request body, at a cost the caller cannot inflate:
 * - ajv stops at the first failing rule (`allErrors: false`): collecting every failure of a hostile
 *   1 MiB body cost ~85 MB of heap and ~240 ms; the caller gets the first error(s), which is enough
 *   to act on.
 * - `pattern`, `patternProperties` and `propertyNames.pattern` run on RE2JS, a linear-time engine
 *   (no backtracking, so `^(a+)+$` cannot explode), under a work budget per call.
 * - `uniqueItems` is checked in linear time (see `jsonEquality.ts`).
 * ajv and re2js are required lazily, so workflows that never use a schema never load them.
 * Compiled validators are cached by a hash of the normalised schema text in a bounded LRU.
 */
import { isIP } from 'net';
import type AjvCore from 'ajv/dist/core';
import type { ErrorObject, FuncKeywordDefinition, Options, ValidateFunction } from 'ajv/dist/core';
import type { RegExpEngine } from 'ajv/dist/types';
import type { RE2JS } from 're2js';
import { canonicalJson, findDuplicate } from './jsonEquality';
import { cacheKey, LruCache } from './lru';

export interface SchemaError {
	/** JSON Pointer into the body, as ajv's `instancePath` gives it (`''` is the body itself). */
	path: string;
	message: string;
}

export type ValidationResult = { valid: true } | { valid: false; errors: SchemaError[] };

/** ajv stops at the first failing rule, but `anyOf`/`oneOf` report one error per branch: cap those. */
export const MAX_ERRORS = 20;

/**
 * Pattern work allowed per call, in units of (characters + {@link CALL_OVERHEAD}) × compiled program
 * size. RE2's matchers are linear in both; the slowest measured 17–34 ns per unit on the 2-core
 * reference machine (bench/schema-hostile.ts), so 1M units stay under ~35 ms. A pattern of size 10
 * may check ~100k characters per call; a body needing more is refused (422) rather than blocking
 * the event loop. `maxLength` on long pattern-checked strings makes that explicit.
 */
export const PATTERN_WORK_BUDGET = 400_000;
/** Each match has a fixed cost (~1 µs) too: a body of many short keys must not slip under the budget. */
const CALL_OVERHEAD = 16;

/** Distinct compiled schemas kept (~15 KB each plus their patterns); past this the least recently used goes. */
export const MAX_CACHED_SCHEMAS = 256;

type Compiled = { validate: ValidateFunction } | { error: string };
/** By hash of the normalised text, so whitespace and key order do not compile a schema twice. */
const compiled = new LruCache<string, Compiled>(MAX_CACHED_SCHEMAS);
/** Raw text → normalised hash: a hit skips parsing and hashing the schema on every call. */
const keyOfText = new LruCache<string, string>(MAX_CACHED_SCHEMAS * 2);

type AjvClass = new (options: Options) => AjvCore;
type Re2Module = { RE2JS: typeof RE2JS };

/** Thrown from inside a validator when the call's pattern work exceeds the budget. */
class PatternBudgetExceeded extends Error {}

let patternWork = 0;
let re2: Re2Module | undefined;

/**
 * ajv's `code.regExp` hook: compiles each schema pattern with RE2JS (JavaScript syntax translated:
 * `\uXXXX`, named groups). Lookaround and backreferences cannot run in linear time, so such a
 * pattern is refused when the schema is compiled, as a configuration error.
 */
const re2Engine: RegExpEngine = Object.assign(
	(pattern: string) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		re2 ??= require('re2js') as Re2Module;
		const { RE2JS: Re2 } = re2;
		const compiledPattern = attempt(() => Re2.compile(Re2.translateRegExp(pattern)));
		if (!compiledPattern.ok) {
			throw new Error(
				`pattern ${JSON.stringify(pattern)} is not supported: patterns run on a linear-time engine (RE2), ` +
					`which has no lookahead, lookbehind or backreferences (${compiledPattern.message})`,
			);
		}
		const regex: RE2JS = compiledPattern.value;
		const size = regex.programSize();
		return {
			test(text: string): boolean {
				patternWork += (text.length + CALL_OVERHEAD) * size;
				if (patternWork > PATTERN_WORK_BUDGET) throw new PatternBudgetExceeded(pattern);
				// A matcher runs one-pass, bit-state or NFA matching, never the lazy DFA behind
				// `regex.test()`: filling that DFA's 8 MB state cache cost up to ~150 ns per unit
				// (300 ms per call) on patterns like `(a|b)*a(a|b){20}c`.
				return regex.matcher(text).find();
			},
			// ajv de-duplicates compiled patterns by this string.
			toString: () => pattern,
		};
	},
	{ code: 're2js' },
);

/**
 * `uniqueItems` in linear time (see {@link findDuplicate}); ajv's own check compares every pair of
 * object items (20k objects: 6.6 s). Chosen over requiring `maxItems` or checking only a prefix,
 * which would refuse valid schemas or let duplicates through. Messages match ajv's.
 */
const uniqueItemsKeyword: FuncKeywordDefinition = {
	keyword: 'uniqueItems',
	type: 'array',
	schemaType: 'boolean',
	errors: true,
	validate: function uniqueItems(schema: boolean, data: unknown[]): boolean {
		const self = uniqueItems as { errors?: Array<Partial<ErrorObject>> };
		self.errors = undefined;
		const pair = schema ? findDuplicate(data) : undefined;
		if (pair === undefined) return true;
		const [j, i] = pair;
		self.errors = [
			{
				keyword: 'uniqueItems',
				message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`,
				params: { i, j },
			},
		];
		return false;
	},
};

/** Picks the ajv build for the schema's `$schema` (draft-07 when absent). */
function loadAjv(dialect: unknown): AjvCore {
	const options: Options = { allErrors: false, strict: false, logger: false, code: { regExp: re2Engine } };
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
	ajv.removeKeyword('uniqueItems');
	ajv.addKeyword(uniqueItemsKeyword);
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
 * depend on); any other format (including `regex`) is ignored, as an annotation, instead of
 * failing the schema. These expressions are ours and linear, so they stay on V8's engine.
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

/** Runs `fn`, turning an exception into a value (so callers throw their own error outside a catch). */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; message: string; error: unknown } {
	try {
		return { ok: true, value: fn() };
	} catch (error) {
		return { ok: false, message: (error as Error)?.message, error };
	}
}

/** Parses and compiles; a failure is returned (and cached) as the configuration error's text. */
function compile(schemaText: string): { key: string; result: Compiled } {
	const parsed = attempt((): unknown => JSON.parse(schemaText));
	if (!parsed.ok) {
		const error = `Invalid JSON Schema: the text is not valid JSON (${parsed.message})`;
		return { key: `text:${cacheKey(schemaText)}`, result: { error } };
	}
	const schema = parsed.value;
	const normalised = attempt(() => canonicalJson(schema));
	const key = `json:${cacheKey(normalised.ok ? normalised.value : schemaText)}`;
	const known = compiled.get(key);
	if (known) return { key, result: known };
	if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
		return { key, result: { error: 'Invalid JSON Schema: the schema must be a JSON object (or true/false)' } };
	}
	const dialect = typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined;
	// One ajv instance per schema, so two schemas with the same `$id` never collide.
	const validator = attempt(() => loadAjv(dialect).compile(schema as object | boolean));
	if (!validator.ok) return { key, result: { error: `Invalid JSON Schema: ${validator.message}` } };
	return { key, result: { validate: validator.value } };
}

/**
 * The validator for this text (compiled at most once per normalised schema while it stays in the
 * cache). Throws a configuration error if it cannot be compiled; the failure is cached too, so a
 * misconfigured webhook does not recompile on every call. A pure module has no node to build a
 * NodeOperationError from: the node reports these.
 */
function getValidator(schemaText: string): ValidateFunction {
	const knownKey = keyOfText.get(schemaText);
	let result = knownKey === undefined ? undefined : compiled.get(knownKey);
	if (result === undefined) {
		const fresh = compile(schemaText);
		result = fresh.result;
		compiled.set(fresh.key, result);
		keyOfText.set(schemaText, fresh.key);
	}
	if ('error' in result) throw new Error(result.error);
	return result.validate;
}

function describe(error: ErrorObject): SchemaError {
	let message = error.message ?? `failed "${error.keyword}"`;
	// ajv leaves the offending property name out of these messages; it is what the user needs.
	const params = error.params as Record<string, unknown>;
	if (typeof params.additionalProperty === 'string') message += ` ("${params.additionalProperty}")`;
	if (typeof params.unevaluatedProperty === 'string') message += ` ("${params.unevaluatedProperty}")`;
	return { path: error.instancePath, message };
}

/** Runs the validator; a body whose checking would cost too much is reported as invalid, not run. */
function run(validate: ValidateFunction, body: unknown): boolean | SchemaError {
	patternWork = 0;
	const outcome = attempt(() => validate(body) as boolean);
	if (outcome.ok) return outcome.value;
	const { error } = outcome;
	if (error instanceof PatternBudgetExceeded) {
		return {
			path: '',
			message:
				`has too much text to check against pattern ${JSON.stringify(error.message)} ` +
				'within the validation budget (bound such strings with maxLength, objects with maxProperties)',
		};
	}
	if (error instanceof RangeError && /call stack/i.test(error.message)) {
		return { path: '', message: 'is nested too deeply to validate' };
	}
	throw error;
}

/**
 * Validates `body` against the schema in `schemaText` (blank text means no validation). Reports the
 * first failure (a few more for `anyOf`/`oneOf`, up to {@link MAX_ERRORS}). A schema that is not
 * valid JSON or not a valid JSON Schema throws: that is the node's configuration, not the caller's.
 */
export function validateBody(schemaText: string, body: unknown): ValidationResult {
	if (typeof schemaText !== 'string' || schemaText.trim() === '') return { valid: true };
	const validate = getValidator(schemaText);
	const outcome = run(validate, body);
	if (outcome === true) return { valid: true };
	if (outcome !== false) return { valid: false, errors: [outcome] };
	const errors = (validate.errors ?? []).slice(0, MAX_ERRORS).map(describe);
	return { valid: false, errors };
}
