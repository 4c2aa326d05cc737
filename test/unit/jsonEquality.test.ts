import { canonicalJson, findDuplicate, findDuplicateByText } from '../../nodes/WebhookTrigger/gate/jsonEquality';

describe('canonicalJson', () => {
	it('sorts object keys at every depth and keeps array order', () => {
		expect(canonicalJson({ b: 1, a: [3, { d: null, c: 'x' }] })).toBe('{"a":[3,{"c":"x","d":null}],"b":1}');
		expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
		expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
	});

	it('writes primitives as JSON does, and keeps "__proto__" as an ordinary key', () => {
		expect(canonicalJson('a"b')).toBe('"a\\"b"');
		expect(canonicalJson(-0)).toBe('0');
		expect(canonicalJson(true)).toBe('true');
		expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"__proto__":{"x":1},"a":1}');
	});
});

/** A random JSON value from a fixed seed; `keyOrder` shuffles object keys without changing the value. */
function randomJson(seed: number, depth = 0, shuffle = 0): unknown {
	let state = seed;
	const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
	const kind = depth > 2 ? next() % 4 : next() % 6;
	switch (kind) {
		case 0:
			return next() % 5;
		case 1:
			return ['a', 'b', '1', '', 'é'][next() % 5];
		case 2:
			return [true, false, null][next() % 3];
		case 3:
			return (next() % 3) - 1.5;
		case 4:
			return Array.from({ length: next() % 3 }, (_, i) => randomJson(next() + i, depth + 1, shuffle));
		default: {
			const keys = ['k', 'x', 'y', '0', '__proto__'].slice(0, 1 + (next() % 4));
			const values = keys.map((_, i) => randomJson(next() + i, depth + 1, shuffle));
			const order = keys.map((_, i) => i);
			if (shuffle) order.sort((p, q) => ((p * 7 + shuffle) % 5) - ((q * 7 + shuffle) % 5));
			const object: Record<string, unknown> = JSON.parse('{}');
			for (const i of order) Object.defineProperty(object, keys[i], { value: values[i], enumerable: true, writable: true, configurable: true });
			return object;
		}
	}
}

describe.each([
	['findDuplicate', findDuplicate],
	['findDuplicateByText', findDuplicateByText],
])('%s', (_name, find) => {
	it('finds the first pair of equal items, deep and whatever the key order', () => {
		expect(find([{ a: 1, b: [1, { c: 2 }] }, { x: 1 }, { b: [1, { c: 2 }], a: 1 }])).toEqual([0, 2]);
		expect(find([1, 2, 3, 2, 1])).toEqual([1, 3]);
		expect(find([0, -0])).toEqual([0, 1]);
		expect(find([null, 'x', null])).toEqual([0, 2]);
		expect(find([[], {}, []])).toEqual([0, 2]);
	});

	it('tells apart values that only look alike', () => {
		const distinct = [1, '1', true, 'true', null, 'null', [1], { '0': 1 }, {}, [], [[]], [{}], { a: {} }, { a: [] },
			{ a: 1, b: 2 }, { a: 2, b: 1 }, [1, 2], [2, 1], 'ab', 'ba', 1.5, 15, { a: 1 }, ''];
		expect(find(distinct)).toBeUndefined();
		expect(find([])).toBeUndefined();
	});

	it('agrees with pairwise comparison on random values, and sees reordered copies as equal', () => {
		const values = Array.from({ length: 400 }, (_, i) => randomJson(i * 7919 + 1));
		const texts = values.map((v) => canonicalJson(v));
		let expected: [number, number] | undefined;
		for (let i = 0; i < texts.length && !expected; i++) {
			for (let j = 0; j < i; j++) {
				if (texts[j] === texts[i]) {
					expected = [j, i];
					break;
				}
			}
		}
		expect(find(values)).toEqual(expected);
		const unique = values.filter((_, i) => texts.indexOf(texts[i]) === i);
		expect(find(unique)).toBeUndefined();
		for (let i = 0; i < unique.length; i += 37) {
			const copy = randomJson(values.indexOf(unique[i]) * 7919 + 1, 0, 3);
			expect(canonicalJson(copy)).toBe(canonicalJson(unique[i]));
			expect(find([...unique, copy])).toEqual([i, unique.length]);
		}
	});
});
