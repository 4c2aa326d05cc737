import { MAX_ERRORS, validateBody } from '../../nodes/WebhookTrigger/schema';

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

	it('lists every error with its instancePath, not only the first', () => {
		const result = validateBody(orderSchema, { event: 'nope', customer: { age: -1 }, items: [1, 'two'] });
		expect(result.valid).toBe(false);
		if (result.valid) return;
		expect(result.errors).toEqual(
			expect.arrayContaining([
				{ path: '/event', message: 'must be equal to one of the allowed values' },
				{ path: '/customer', message: "must have required property 'email'" },
				{ path: '/customer/age', message: 'must be >= 0' },
				{ path: '/items/1', message: 'must be number' },
			]),
		);
		expect(result.errors).toHaveLength(4);
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

	it(`caps the error list at ${MAX_ERRORS}`, () => {
		const schema = JSON.stringify({ type: 'array', items: { type: 'string' } });
		const result = validateBody(schema, Array.from({ length: 50 }, (_, i) => i));
		expect(result.valid).toBe(false);
		if (!result.valid) {
			expect(result.errors).toHaveLength(MAX_ERRORS);
			expect(result.errors[0]).toEqual({ path: '/0', message: 'must be string' });
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
			const fresh = require('../../nodes/WebhookTrigger/schema') as typeof import('../../nodes/WebhookTrigger/schema');
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
