/**
 * Payload paths as users write them in variable mappings and the event path:
 * `body.data[0].email`, `headers.x-request-id`, `body.items[2][1]`, `body["key.with.dots"]`.
 *
 * Parsing is strict (a bad path is a configuration error and throws); resolving is forgiving
 * (whatever the caller sent, a path that does not lead anywhere is `null`, never an exception).
 */

export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export interface VariableMapping {
	path: string;
	name: string;
}

/**
 * Splits a path into key and index segments. Keys run until `.`, `[` or `]`, so dashes, spaces
 * and `$` are fine; keys containing those three characters go in quotes: `["a.b"]` or `['a.b']`
 * (with `\` escaping a quote or backslash). Positions in error messages count from 1.
 */
export function parsePath(path: string): PathSegment[] {
	const text = typeof path === 'string' ? path.trim() : '';
	if (text === '') throw new Error('Invalid path: the path is empty (expected e.g. "body.event")');
	const fail = (at: number, why: string): never => {
		throw new Error(`Invalid path "${text}" at position ${at + 1}: ${why}`);
	};

	const segments: PathSegment[] = [];
	// True at the start and right after a dot: the next thing must be a key.
	let wantKey = true;
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '.') {
			if (wantKey) fail(i, segments.length === 0 ? 'a path cannot start with "."' : 'empty key between dots');
			wantKey = true;
			i++;
		} else if (ch === '[') {
			if (wantKey && segments.length > 0) fail(i, 'expected a key after "."');
			i = parseBracket(text, i, segments, fail);
			wantKey = false;
		} else if (ch === ']') {
			fail(i, 'unexpected "]" without a matching "["');
		} else {
			if (!wantKey) fail(i, 'expected "." or "[" after "]"');
			const start = i;
			while (i < text.length && text[i] !== '.' && text[i] !== '[' && text[i] !== ']') i++;
			segments.push({ kind: 'key', key: text.slice(start, i) });
			wantKey = false;
		}
	}
	if (wantKey) fail(text.length - 1, 'a path cannot end with "."');
	return segments;
}

/** Parses `[12]`, `["key"]` or `['key']` starting at `open`; returns the index after `]`. */
function parseBracket(
	text: string,
	open: number,
	segments: PathSegment[],
	fail: (at: number, why: string) => never,
): number {
	let i = open + 1;
	const quote = text[i];
	if (quote === '"' || quote === "'") {
		let key = '';
		i++;
		while (i < text.length && text[i] !== quote) {
			if (text[i] === '\\' && i + 1 < text.length) i++;
			key += text[i];
			i++;
		}
		if (i >= text.length) fail(open, `unclosed quote in "[${quote}"`);
		i++; // past the closing quote
		if (text[i] !== ']') fail(i, `expected "]" after the quoted key`);
		segments.push({ kind: 'key', key });
		return i + 1;
	}
	const close = text.indexOf(']', i);
	if (close === -1) fail(open, 'unclosed "["');
	const inner = text.slice(i, close);
	if (!/^\d+$/.test(inner) || !Number.isSafeInteger(Number(inner))) {
		fail(i, `"[${inner}]" is not an array index (use digits, or quote a key: ["${inner}"])`);
	}
	segments.push({ kind: 'index', index: Number(inner) });
	return close + 1;
}

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);
const CANONICAL_INDEX = /^(0|[1-9]\d*)$/;

/**
 * Follows `path` from `root`. Anything that does not lead to a value (missing key, index out of
 * range, null or a primitive in the middle, inherited properties such as `constructor` or
 * `__proto__`) gives `null`. Only a syntactically bad string path throws (see {@link parsePath}).
 */
export function resolvePath(root: unknown, path: string | PathSegment[]): unknown {
	const segments = typeof path === 'string' ? parsePath(path) : path;
	let current: unknown = root;
	try {
		for (const segment of segments) {
			if (current === null || typeof current !== 'object') return null;
			if (Array.isArray(current)) {
				// `items.0` works like `items[0]`; other keys (`length`, `map`) are not data.
				let index = -1;
				if (segment.kind === 'index') index = segment.index;
				else if (CANONICAL_INDEX.test(segment.key)) index = Number(segment.key);
				if (index < 0 || index >= current.length) return null;
				current = current[index];
			} else {
				// Own properties only: payload data never lives on the prototype chain.
				const key = segment.kind === 'key' ? segment.key : String(segment.index);
				if (!hasOwn(current, key)) return null;
				current = (current as Record<string, unknown>)[key];
			}
		}
	} catch {
		// A throwing getter or proxy is still "data that does not resolve", not a node failure.
		return null;
	}
	return current === undefined ? null : current;
}

/**
 * Resolves each mapping and returns `{ [name]: value }` (missing values are `null`, a later
 * mapping with the same name wins). Rows left completely blank in the UI are skipped; a row with
 * only one of path and name, or a bad path, is a configuration error and throws.
 */
export function mapVariables(root: unknown, mappings: VariableMapping[]): Record<string, unknown> {
	const entries: Array<[string, unknown]> = [];
	(mappings ?? []).forEach((mapping, i) => {
		const path = typeof mapping?.path === 'string' ? mapping.path.trim() : '';
		const name = typeof mapping?.name === 'string' ? mapping.name.trim() : '';
		if (path === '' && name === '') return;
		if (name === '') throw new Error(`Variable mapping ${i + 1} ("${path}") has no variable name`);
		if (path === '') throw new Error(`Variable mapping ${i + 1} ("${name}") has no path`);
		entries.push([name, resolvePath(root, path)]);
	});
	// fromEntries defines own properties, so a variable named `__proto__` stays plain data.
	return Object.fromEntries(entries);
}
