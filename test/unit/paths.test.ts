import { mapVariables, parsePath, resolvePath } from '../../nodes/WebhookTrigger/gate/paths';

const root = {
	body: {
		event: 'purchase.approved',
		data: [{ email: 'ana@example.com' }, { email: 'bo@example.com' }],
		customer: { address: { city: 'Recife' }, name: 'Ana' },
		items: [
			[1, 2],
			[3, 4],
			[5, 6],
		],
		total: 0,
		paid: false,
		note: null,
		'key.with.dots': 'dotted',
		'first name': 'Ana',
	},
	headers: { 'x-request-id': 'req-1', 'content-type': 'application/json' },
	query: { page: '2' },
};

describe('parsePath', () => {
	it('splits keys and indexes', () => {
		expect(parsePath('body.data[0].email')).toEqual([
			{ kind: 'key', key: 'body' },
			{ kind: 'key', key: 'data' },
			{ kind: 'index', index: 0 },
			{ kind: 'key', key: 'email' },
		]);
		expect(parsePath('body.items[2][1]')).toEqual([
			{ kind: 'key', key: 'body' },
			{ kind: 'key', key: 'items' },
			{ kind: 'index', index: 2 },
			{ kind: 'index', index: 1 },
		]);
	});

	it('keeps dashes in keys and trims the whole path', () => {
		expect(parsePath('  headers.x-request-id ')).toEqual([
			{ kind: 'key', key: 'headers' },
			{ kind: 'key', key: 'x-request-id' },
		]);
	});

	it('reads quoted keys with dots, brackets and escapes', () => {
		expect(parsePath('body["key.with.dots"]')).toEqual([
			{ kind: 'key', key: 'body' },
			{ kind: 'key', key: 'key.with.dots' },
		]);
		expect(parsePath("body['a]b'].c")[1]).toEqual({ kind: 'key', key: 'a]b' });
		expect(parsePath('body["say \\"hi\\""]')[1]).toEqual({ kind: 'key', key: 'say "hi"' });
	});

	it.each([
		['', /empty/],
		['   ', /empty/],
		['body..x', /"body\.\.x" at position 6: empty key/],
		['.body', /position 1: a path cannot start/],
		['body.', /position 5: a path cannot end/],
		['body.a[', /"body\.a\[" at position 7: unclosed "\["/],
		['body.a[x]', /position 8: "\[x\]" is not an array index/],
		['body.a[-1]', /is not an array index/],
		['body.a[1.5]', /is not an array index/],
		['body.a[]', /is not an array index/],
		['body.a]', /unexpected "\]"/],
		['body.a[0]b', /expected "\." or "\[" after "\]"/],
		['body.[0]', /expected a key after "\."/],
		['body["a', /unclosed quote/],
		['body["a"x]', /expected "\]" after the quoted key/],
	])('rejects %j', (path, message) => {
		expect(() => parsePath(path)).toThrow(message);
	});
});

describe('resolvePath', () => {
	it.each([
		['body.data[0].email', 'ana@example.com'],
		['body.data[1].email', 'bo@example.com'],
		['body.customer.address.city', 'Recife'],
		['headers.x-request-id', 'req-1'],
		['query.page', '2'],
		['body.items[2][1]', 6],
		['body.items[0]', [1, 2]],
		['body.items.1.0', 3],
		['body["key.with.dots"]', 'dotted'],
		['body.first name', 'Ana'],
		['body.event', 'purchase.approved'],
	])('%s → %j', (path, expected) => {
		expect(resolvePath(root, path)).toEqual(expected);
	});

	it('keeps falsy values (0, false) and null as they are', () => {
		expect(resolvePath(root, 'body.total')).toBe(0);
		expect(resolvePath(root, 'body.paid')).toBe(false);
		expect(resolvePath(root, 'body.note')).toBeNull();
	});

	it.each([
		'body.missing',
		'body.missing.deeper',
		'body.data[5].email',
		'body.data[0].phone',
		'body.note.anything',
		'body.event.length',
		'body.event[0]',
		'body.total.toFixed',
		'body.items[0][9]',
		'body.items.01',
		'body.items.length',
		'body.data.map',
		'body.customer[0]',
		'nothing.at.all',
	])('%s → null', (path) => {
		expect(resolvePath(root, path)).toBeNull();
	});

	it('never walks the prototype chain', () => {
		expect(resolvePath(root, 'body.__proto__')).toBeNull();
		expect(resolvePath(root, 'body.constructor')).toBeNull();
		expect(resolvePath(root, 'body.constructor.name')).toBeNull();
		expect(resolvePath(root, 'body.hasOwnProperty')).toBeNull();
		expect(resolvePath(root, 'body.customer.toString')).toBeNull();
		expect(resolvePath(root, 'body.data.__proto__')).toBeNull();
	});

	it('does return an own "__proto__" key of a parsed JSON payload, as data', () => {
		const parsed: unknown = JSON.parse('{"body":{"__proto__":{"role":"x"}}}');
		expect(resolvePath(parsed, 'body.__proto__.role')).toBe('x');
	});

	it('gives null for any root that is not an object', () => {
		for (const value of [undefined, null, 0, 'body', true]) {
			expect(resolvePath(value, 'body.x')).toBeNull();
		}
	});

	it('gives null, not an exception, when a getter throws', () => {
		const data = {
			body: Object.defineProperty({}, 'boom', {
				enumerable: true,
				get() {
					throw new Error('nope');
				},
			}),
		};
		expect(resolvePath(data, 'body.boom')).toBeNull();
	});

	it('accepts pre-parsed segments and numeric keys on objects', () => {
		expect(resolvePath({ body: { 0: 'zero' } }, 'body[0]')).toBe('zero');
		expect(resolvePath(root, parsePath('body.data[0].email'))).toBe('ana@example.com');
		expect(resolvePath(root, [])).toBe(root);
	});

	it('still throws on a syntactically bad path', () => {
		expect(() => resolvePath(root, 'body..x')).toThrow(/position 6/);
	});
});

describe('mapVariables', () => {
	it('maps each path to its variable name, null when missing', () => {
		expect(
			mapVariables(root, [
				{ path: 'body.customer.name', name: 'customer_name' },
				{ path: 'body.data[0].email', name: 'email' },
				{ path: 'body.order.total', name: 'order_amount' },
			]),
		).toEqual({ customer_name: 'Ana', email: 'ana@example.com', order_amount: null });
	});

	it('skips blank rows, trims names, and lets a later mapping win', () => {
		expect(
			mapVariables(root, [
				{ path: '', name: '' },
				{ path: 'body.event', name: ' event ' },
				{ path: 'query.page', name: 'event' },
			]),
		).toEqual({ event: '2' });
	});

	it('stores a variable named __proto__ as data', () => {
		const out = mapVariables(root, [{ path: 'query.page', name: '__proto__' }]);
		expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
	});

	it('throws on incomplete rows and bad paths, naming them', () => {
		expect(() => mapVariables(root, [{ path: 'body.x', name: '' }])).toThrow(/mapping 1 \("body\.x"\) has no variable name/);
		expect(() => mapVariables(root, [{ path: 'body.x', name: 'a' }, { path: '', name: 'b' }])).toThrow(
			/mapping 2 \("b"\) has no path/,
		);
		expect(() => mapVariables(root, [{ path: 'body[x]', name: 'a' }])).toThrow(/Invalid path "body\[x\]"/);
	});
});
