import {
	MAX_CACHED_SCHEMAS,
	MAX_ERRORS,
	PATTERN_WORK_BUDGET,
	validateBody,
} from '../../nodes/WebhookTrigger/gate/schema';
import { RE2JS } from 're2js';

const orderSchema = JSON.stringify({
	type: 'object',
	required: ['event', 'customer'],
	properties: {
		event: { type: 'string', enum: ['order_approved', 'order_refunded'] },
		customer: {
			type: 'object',
			required: ['email'],
			properties: { email: { type: 'string', format: 'email' }, age: { type: 'integer', minimum: 0 } },
		},
		items: { type: 'array', items: { type: 'number' } },
	},
});

describe('validateBody', () => {
	it('accepts a body that matches', () => {
		const body = { event: 'order_approved', customer: { email: 'ana@example.com', age: 30 }, items: [1, 2.5] };
		expect(validateBody(orderSchema, body)).toEqual({ valid: true });
	});

	it('reports the first failure with its instancePath and stops there (weakness 2)', () => {
		const result = validateBody(orderSchema, { event: 'nope', customer: { age: -1 }, items: [1, 'two'] });
		expect(result).toEqual({
			valid: false,
			errors: [{ path: '/event', message: 'must be equal to one of the allowed values' }],
		});
	});

	it('stops at the first wrong item of a large array instead of collecting one error per item (weakness 2)', () => {
		const schema = JSON.stringify({ type: 'array', items: { type: 'string' } });
		const result = validateBody(schema, Array.from({ length: 100_000 }, (_, i) => i));
		expect(result).toEqual({ valid: false, errors: [{ path: '/0', message: 'must be string' }] });
	});

	it("reports a missing top-level property at the body's own path ''", () => {
		expect(validateBody(orderSchema, { customer: { email: 'a@b.co' } })).toEqual({
			valid: false,
			errors: [{ path: '', message: "must have required property 'event'" }],
		});
	});

	it('names the unexpected property for additionalProperties', () => {
		const schema = JSON.stringify({ type: 'object', properties: { a: {} }, additionalProperties: false });
		expect(validateBody(schema, { a: 1, sneaky: 2 })).toEqual({
			valid: false,
			errors: [{ path: '', message: 'must NOT have additional properties ("sneaky")' }],
		});
	});

	it('rejects a missing body (undefined) against an object schema', () => {
		expect(validateBody(orderSchema, undefined).valid).toBe(false);
	});

	it(`caps the per-branch errors of anyOf at ${MAX_ERRORS}`, () => {
		const schema = JSON.stringify({ anyOf: Array.from({ length: 30 }, (_, i) => ({ const: i })) });
		const result = validateBody(schema, 'none of them');
		expect(result.valid).toBe(false);
		if (!result.valid) {
			expect(result.errors).toHaveLength(MAX_ERRORS);
			expect(result.errors[0]).toEqual({ path: '', message: 'must be equal to constant' });
		}
	});

	it('treats blank schema text as no validation', () => {
		expect(validateBody('', 'anything')).toEqual({ valid: true });
		expect(validateBody('  \n', null)).toEqual({ valid: true });
	});

	it('accepts boolean schemas', () => {
		expect(validateBody('true', { x: 1 })).toEqual({ valid: true });
		expect(validateBody('false', { x: 1 }).valid).toBe(false);
	});

	it('checks the common formats and ignores unknown ones', () => {
		const schema = (format: string) => JSON.stringify({ type: 'string', format });
		expect(validateBody(schema('email'), 'ana@example.com').valid).toBe(true);
		expect(validateBody(schema('email'), 'not-an-email').valid).toBe(false);
		expect(validateBody(schema('date-time'), '2024-02-29T10:00:00Z').valid).toBe(true);
		expect(validateBody(schema('date-time'), '2024-02-29T10:00:00.123-03:00').valid).toBe(true);
		expect(validateBody(schema('date-time'), '2023-02-29T10:00:00Z').valid).toBe(false);
		expect(validateBody(schema('date-time'), '2024-01-01').valid).toBe(false);
		expect(validateBody(schema('date'), '2024-12-31').valid).toBe(true);
		expect(validateBody(schema('date'), '2024-13-01').valid).toBe(false);
		expect(validateBody(schema('uuid'), '123e4567-e89b-12d3-a456-426614174000').valid).toBe(true);
		expect(validateBody(schema('uuid'), '123e4567').valid).toBe(false);
		expect(validateBody(schema('uri'), 'https://example.com/x?y=1').valid).toBe(true);
		expect(validateBody(schema('uri'), '/relative/path').valid).toBe(false);
		expect(validateBody(schema('ipv4'), '10.0.0.1').valid).toBe(true);
		expect(validateBody(schema('ipv6'), '10.0.0.1').valid).toBe(false);
		expect(validateBody(schema('made-up-format'), 'anything').valid).toBe(true);
	});

	it('tolerates keywords ajv does not know (pasted OpenAPI schemas)', () => {
		const schema = JSON.stringify({ type: 'object', nullable: true, 'x-internal': 1, example: {} });
		expect(validateBody(schema, {})).toEqual({ valid: true });
	});

	it('follows $schema to the 2020-12 and 2019-09 dialects', () => {
		const s2020 = JSON.stringify({
			$schema: 'https://json-schema.org/draft/2020-12/schema',
			type: 'array',
			prefixItems: [{ type: 'string' }],
		});
		expect(validateBody(s2020, ['a']).valid).toBe(true);
		expect(validateBody(s2020, [1]).valid).toBe(false);
		const s2019 = JSON.stringify({
			$schema: 'https://json-schema.org/draft/2019-09/schema#',
			type: 'object',
			dependentRequired: { a: ['b'] },
		});
		expect(validateBody(s2019, { a: 1 }).valid).toBe(false);
		const s07 = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' });
		expect(validateBody(s07, 'x').valid).toBe(true);
		const s06 = JSON.stringify({ $schema: 'http://json-schema.org/draft-06/schema#', type: 'string' });
		expect(validateBody(s06, 1).valid).toBe(false);
	});

	it('lets two schemas share an $id', () => {
		const a = JSON.stringify({ $id: 'https://example.com/order', type: 'string' });
		const b = JSON.stringify({ $id: 'https://example.com/order', type: 'number' });
		expect(validateBody(a, 'x').valid).toBe(true);
		expect(validateBody(b, 1).valid).toBe(true);
	});

	it('loads ajv only when a schema is used, and compiles each schema text once', () => {
		let instances = 0;
		let ajvLoaded = false;
		jest.isolateModules(() => {
			jest.doMock('ajv', () => {
				ajvLoaded = true;
				const actual = jest.requireActual('ajv');
				class CountingAjv extends actual.default {
					constructor(...args: unknown[]) {
						super(...args);
						instances++;
					}
				}
				return { __esModule: true, default: CountingAjv };
			});
			const fresh = require('../../nodes/WebhookTrigger/gate/schema') as typeof import('../../nodes/WebhookTrigger/gate/schema');
			expect(ajvLoaded).toBe(false);
			expect(fresh.validateBody('', { a: 1 })).toEqual({ valid: true });
			expect(ajvLoaded).toBe(false);
			const schema = '{"type":"object"}';
			expect(fresh.validateBody(schema, {}).valid).toBe(true);
			expect(ajvLoaded).toBe(true);
			expect(fresh.validateBody(schema, []).valid).toBe(false);
			expect(fresh.validateBody(schema, { b: 2 }).valid).toBe(true);
			expect(instances).toBe(1);
			expect(fresh.validateBody('{"type":"array"}', []).valid).toBe(true);
			expect(instances).toBe(2);
		});
		jest.dontMock('ajv');
	});

	it('gives the same answer from the cache', () => {
		const schema = JSON.stringify({ type: 'integer' });
		expect(validateBody(schema, 1).valid).toBe(true);
		expect(validateBody(schema, 'x')).toEqual({ valid: false, errors: [{ path: '', message: 'must be integer' }] });
		expect(validateBody(schema, 2).valid).toBe(true);
	});

	it.each([
		['{ not json', /Invalid JSON Schema: the text is not valid JSON/],
		['5', /Invalid JSON Schema: the schema must be a JSON object/],
		['null', /must be a JSON object/],
		['[]', /must be a JSON object/],
		['{"type":"nope"}', /Invalid JSON Schema: schema is invalid/],
		['{"minimum":"3"}', /Invalid JSON Schema: schema is invalid/],
		['{"$ref":"https://example.com/remote.json"}', /Invalid JSON Schema: can't resolve reference/],
		['{"$schema":"http://json-schema.org/draft-04/schema#"}', /unsupported "\$schema"/],
	])('throws a configuration error for %s', (text, message) => {
		expect(() => validateBody(text, {})).toThrow(message);
	});

	it('keeps throwing for a bad schema on every call (errors are not cached as validators)', () => {
		expect(() => validateBody('{"type":"nope"}', {})).toThrow(/schema is invalid/);
		expect(() => validateBody('{"type":"nope"}', {})).toThrow(/schema is invalid/);
	});
});

describe('validateBody: patterns on a linear-time engine (weakness 2)', () => {
	const patternSchema = (pattern: string) => JSON.stringify({ type: 'string', pattern });

	it('evaluates a catastrophic-backtracking pattern quickly and correctly', () => {
		const schema = patternSchema('^(a+)+$');
		const started = Date.now();
		// V8's backtracking engine took ~10 s on these 29 characters + '!'.
		expect(validateBody(schema, `${'a'.repeat(29)}!`)).toEqual({
			valid: false,
			errors: [{ path: '', message: 'must match pattern "^(a+)+$"' }],
		});
		expect(validateBody(schema, 'a'.repeat(29)).valid).toBe(true);
		// Coarse safety bound only (the figures are in bench/schema-hostile.ts).
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('applies the same engine to patternProperties and propertyNames', () => {
		const started = Date.now();
		const key = `${'a'.repeat(29)}!`;
		const props = JSON.stringify({ type: 'object', patternProperties: { '^(a+)+$': { type: 'number' } } });
		expect(validateBody(props, { [key]: 'not checked: the key does not match' }).valid).toBe(true);
		expect(validateBody(props, { aaaa: 'x' }).valid).toBe(false);
		const names = JSON.stringify({ type: 'object', propertyNames: { pattern: '^(a+)+$' } });
		expect(validateBody(names, { [key]: 1 }).valid).toBe(false);
		expect(validateBody(names, { aaa: 1 }).valid).toBe(true);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('reads JavaScript pattern syntax (\\u escapes, named groups, classes, Unicode)', () => {
		expect(validateBody(patternSchema('^caf\\u00e9$'), 'café').valid).toBe(true);
		expect(validateBody(patternSchema('^(?<year>\\d{4})-\\d{2}$'), '2024-05').valid).toBe(true);
		expect(validateBody(patternSchema('^(?<year>\\d{4})-\\d{2}$'), '24-05').valid).toBe(false);
		expect(validateBody(patternSchema('^\\p{L}+$'), 'ação').valid).toBe(true);
		expect(validateBody(patternSchema('^.$'), '😀').valid).toBe(true);
		expect(validateBody(patternSchema('^a/b$'), 'a/b').valid).toBe(true);
		// Unanchored, as JSON Schema says: a match anywhere in the string.
		expect(validateBody(patternSchema('b+'), 'abbbc').valid).toBe(true);
	});

	it.each([
		['(?=a)b', 'lookahead'],
		['(?<!x)y', 'lookbehind'],
		['(a)\\1', 'backreference'],
	])('refuses %s (%s) when compiling, naming the pattern', (pattern) => {
		expect(() => validateBody(patternSchema(pattern), 'b')).toThrow(
			new RegExp(`^Invalid JSON Schema: pattern ${JSON.stringify(pattern).replace(/[\\()?<=!]/g, '\\$&')} is not supported: .*linear-time engine`),
		);
	});

	it('refuses a body whose pattern work exceeds the budget instead of running it', () => {
		const schema = patternSchema('^[a-z]+$');
		const result = validateBody(schema, 'a'.repeat(1024 * 1024));
		expect(result.valid).toBe(false);
		if (!result.valid) {
			expect(result.errors).toEqual([
				{ path: '', message: expect.stringMatching(/too much text to check against pattern "\^\[a-z\]\+\$".*maxLength/) },
			]);
		}
	});

	it(`gives each call its own budget of ${PATTERN_WORK_BUDGET} units`, () => {
		const pattern = '^[a-z]+$';
		const size = RE2JS.compile(pattern).programSize();
		// Each call uses ~60 % of the budget: five calls pass only if the count starts afresh.
		const text = 'a'.repeat(Math.floor((PATTERN_WORK_BUDGET * 0.6) / size));
		for (let call = 0; call < 5; call++) expect(validateBody(patternSchema(pattern), text).valid).toBe(true);
		expect(validateBody(patternSchema(pattern), text + text).valid).toBe(false);
	});
});

describe('validateBody: uniqueItems in linear time (weakness 2)', () => {
	const unique = JSON.stringify({ type: 'array', uniqueItems: true });

	it('finds duplicates by deep equality, ignoring key order, with ajv’s message', () => {
		expect(validateBody(unique, [{ a: 1, b: [1, { c: 2 }] }, { x: 1 }, { b: [1, { c: 2 }], a: 1 }])).toEqual({
			valid: false,
			errors: [{ path: '', message: 'must NOT have duplicate items (items ## 0 and 2 are identical)' }],
		});
		expect(validateBody(unique, [1, 2, 1]).valid).toBe(false);
		expect(validateBody(unique, [null, null]).valid).toBe(false);
		expect(validateBody(unique, [[1, 2], [1, 2]]).valid).toBe(false);
	});

	it('tells apart values that only print alike', () => {
		expect(validateBody(unique, [1, '1', true, 'true', null, 'null', [1], { '0': 1 }, {}, []]).valid).toBe(true);
		expect(validateBody(unique, [{ a: 1 }, { a: 1, b: 2 }, [1, 2], [2, 1]]).valid).toBe(true);
	});

	it('accepts 20k distinct objects and finds one duplicate among them', () => {
		const items = Array.from({ length: 20_000 }, (_, i) => ({ id: i, tags: ['x'] }));
		expect(validateBody(unique, items).valid).toBe(true);
		const result = validateBody(unique, [...items, { tags: ['x'], id: 7 }]);
		expect(result).toEqual({
			valid: false,
			errors: [{ path: '', message: 'must NOT have duplicate items (items ## 7 and 20000 are identical)' }],
		});
	});

	it('ignores uniqueItems: false and non-arrays', () => {
		expect(validateBody(JSON.stringify({ uniqueItems: false }), [1, 1]).valid).toBe(true);
		expect(validateBody(unique.replace('"type":"array",', ''), 'not an array').valid).toBe(true);
	});

	it('reports a body nested too deeply to validate instead of throwing', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 200_000; i++) deep = [deep];
		expect(validateBody(unique, [deep, deep])).toEqual({
			valid: false,
			errors: [{ path: '', message: 'is nested too deeply to validate' }],
		});
	});
});

describe('validateBody: compiled-schema cache (weakness 8)', () => {
	type SchemaModule = typeof import('../../nodes/WebhookTrigger/gate/schema');

	/** Runs `body` with a fresh schema module whose ajv counts its instances (one per compiled schema). */
	function withCountingAjv(body: (module: SchemaModule, instances: () => number) => void): void {
		let count = 0;
		jest.isolateModules(() => {
			jest.doMock('ajv', () => {
				const actual = jest.requireActual('ajv');
				class CountingAjv extends actual.default {
					constructor(...args: unknown[]) {
						super(...args);
						count++;
					}
				}
				return { __esModule: true, default: CountingAjv };
			});
			body(require('../../nodes/WebhookTrigger/gate/schema') as SchemaModule, () => count);
		});
		jest.dontMock('ajv');
	}

	it('compiles once for texts that differ only in whitespace and key order', () => {
		withCountingAjv((module, instances) => {
			expect(module.validateBody('{"type":"object","required":["a"]}', { a: 1 }).valid).toBe(true);
			expect(module.validateBody('{\n  "required": [ "a" ],\n  "type": "object"\n}', {}).valid).toBe(false);
			expect(instances()).toBe(1);
		});
	});

	it(`keeps a schema used on every call compiled while more than ${MAX_CACHED_SCHEMAS} others come and go`, () => {
		withCountingAjv((module, instances) => {
			const hot = '{"type":"string"}';
			for (let i = 0; i < MAX_CACHED_SCHEMAS + 50; i++) {
				expect(module.validateBody(hot, 'x').valid).toBe(true);
				expect(module.validateBody(JSON.stringify({ type: 'integer', minimum: i }), i).valid).toBe(true);
			}
			expect(instances()).toBe(1 + MAX_CACHED_SCHEMAS + 50);
		});
	});

	it('does not recompile a schema that failed, on each call', () => {
		withCountingAjv((module, instances) => {
			for (let i = 0; i < 3; i++) expect(() => module.validateBody('{"type":"nope"}', {})).toThrow(/schema is invalid/);
			expect(instances()).toBe(1);
		});
	});

	it('loads re2js only for a schema with a pattern', () => {
		let re2Loaded = false;
		jest.isolateModules(() => {
			jest.doMock('re2js', () => {
				re2Loaded = true;
				return jest.requireActual('re2js');
			});
			const fresh = require('../../nodes/WebhookTrigger/gate/schema') as typeof import('../../nodes/WebhookTrigger/gate/schema');
			expect(fresh.validateBody('{"type":"string","maxLength":3}', 'abc').valid).toBe(true);
			expect(re2Loaded).toBe(false);
			expect(fresh.validateBody('{"type":"string","pattern":"^a"}', 'abc').valid).toBe(true);
			expect(re2Loaded).toBe(true);
		});
		jest.dontMock('re2js');
	});
});
