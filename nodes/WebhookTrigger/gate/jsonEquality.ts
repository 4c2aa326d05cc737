/**
 * JSON Schema's equality of JSON values (deep; object key order ignored; 1 equals 1.0), in linear
 * time: a canonical text for normalising schemas, and the duplicate search behind `uniqueItems`.
 */
import { randomBytes } from 'crypto';

/**
 * JSON with object keys sorted: equal values give equal text, whatever their key order. Built by
 * appending (no intermediate arrays); quoted keys are reused within one call, as items repeat them.
 */
export function canonicalJson(value: unknown, quotedKeys = new Map<string, string>()): string {
	if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
	let out: string;
	if (Array.isArray(value)) {
		out = '[';
		for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i], quotedKeys);
		return `${out}]`;
	}
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record);
	if (keys.length > 1) keys.sort();
	out = '{';
	for (let i = 0; i < keys.length; i++) {
		let quoted = quotedKeys.get(keys[i]);
		if (quoted === undefined) {
			quoted = `${JSON.stringify(keys[i])}:`;
			quotedKeys.set(keys[i], quoted);
		}
		out += (i === 0 ? quoted : `,${quoted}`) + canonicalJson(record[keys[i]], quotedKeys);
	}
	return `${out}}`;
}

// A structural hash in two 32-bit lanes, seeded per process so a caller cannot aim at collisions.
const seed = randomBytes(8);
const SEED_A = seed.readUInt32LE(0);
const SEED_B = seed.readUInt32LE(4);
const float = new Float64Array(1);
const floatWords = new Uint32Array(float.buffer);
/** The second lane of the last hash returned (saves allocating a pair per value). */
let laneB = 0;

function fmix(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

function hashString(text: string, tag: number): number {
	let a = SEED_A ^ tag;
	let b = SEED_B ^ tag;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x5bd1e995);
		a ^= a >>> 13;
		b = Math.imul(b ^ c, 0x1b873593);
		b ^= b >>> 15;
	}
	laneB = fmix(b ^ text.length);
	return fmix(a ^ text.length);
}

function hashValue(value: unknown, keyHashes: Map<string, [number, number]>): number {
	switch (typeof value) {
		case 'string':
			return hashString(value, 1);
		case 'number':
			float[0] = value === 0 ? 0 : value; // -0 equals 0
			laneB = fmix(floatWords[1] ^ SEED_B ^ Math.imul(floatWords[0], 0x1b873593));
			return fmix(floatWords[0] ^ SEED_A ^ Math.imul(floatWords[1], 0x5bd1e995));
		case 'boolean':
			laneB = fmix(SEED_B ^ (value ? 3 : 4));
			return fmix(SEED_A ^ (value ? 3 : 4));
	}
	if (value === null || typeof value !== 'object') {
		laneB = fmix(SEED_B ^ 5);
		return fmix(SEED_A ^ 5);
	}
	let a: number;
	let b: number;
	if (Array.isArray(value)) {
		a = SEED_A ^ 6;
		b = SEED_B ^ 6;
		for (let i = 0; i < value.length; i++) {
			const itemA = hashValue(value[i], keyHashes);
			a = fmix(Math.imul(a, 31) + itemA);
			b = fmix(Math.imul(b, 37) + laneB);
		}
		laneB = fmix(b ^ value.length);
		return fmix(a ^ value.length);
	}
	// Objects: each key bound to its value, then summed, so key order does not matter.
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record);
	a = 0;
	b = 0;
	for (const key of keys) {
		let keyHash = keyHashes.get(key);
		if (keyHash === undefined) {
			keyHash = [hashString(key, 7), laneB];
			keyHashes.set(key, keyHash);
		}
		const valueA = hashValue(record[key], keyHashes);
		a = (a + fmix(Math.imul(keyHash[0], 0x9e3779b1) ^ valueA)) >>> 0;
		b = (b + fmix(Math.imul(keyHash[1], 0x85ebca77) ^ laneB)) >>> 0;
	}
	laneB = fmix(b ^ SEED_B ^ keys.length ^ 0x8000);
	return fmix(a ^ SEED_A ^ keys.length ^ 0x8000);
}

/** Unequal items whose hashes matched, tolerated before switching to canonical text. */
const MAX_FALSE_COLLISIONS = 8;

/** Canonical text of every item: linear, slower (~3×), but needs no hash. */
export function findDuplicateByText(items: readonly unknown[]): [number, number] | undefined {
	const seen = new Map<string, number>();
	const quotedKeys = new Map<string, string>();
	for (let i = 0; i < items.length; i++) {
		const text = canonicalJson(items[i], quotedKeys);
		const first = seen.get(text);
		if (first !== undefined) return [first, i];
		seen.set(text, i);
	}
	return undefined;
}

/**
 * The first pair of equal items (`[earlier, later]`), or undefined. Items are bucketed by a 53-bit
 * structural hash and only items with equal hashes are compared, by canonical text: the hash
 * decides what to compare, never the answer. If unequal items keep colliding (a crafted body), the
 * search starts over on canonical text, which is linear too.
 */
export function findDuplicate(items: readonly unknown[]): [number, number] | undefined {
	// An index per hash; a list only once unequal items share one (rare, bounded).
	const buckets = new Map<number, number | number[]>();
	const keyHashes = new Map<string, [number, number]>();
	let falseCollisions = 0;
	for (let i = 0; i < items.length; i++) {
		const a = hashValue(items[i], keyHashes);
		const key = a * 0x200000 + (laneB >>> 11); // 32 + 21 bits: exact in a double
		const bucket = buckets.get(key);
		if (bucket === undefined) {
			buckets.set(key, i);
			continue;
		}
		const text = canonicalJson(items[i]);
		const earlier = typeof bucket === 'number' ? [bucket] : bucket;
		for (const j of earlier) if (canonicalJson(items[j]) === text) return [j, i];
		if (++falseCollisions > MAX_FALSE_COLLISIONS) return findDuplicateByText(items);
		buckets.set(key, [...earlier, i]);
	}
	return undefined;
}
