import fc from 'fast-check';

import { schemeFields } from '../../../nodes/WebhookTrigger/auth';
import { alnum, NOW_SECONDS, TOLERANCE_SECONDS, type Fixture, type Payload, type Wire } from './fixtures';

/**
 * Calls nobody holding the secret sent: a valid call with exactly one forging change (plus harmless
 * decorations), or a call signed with another secret. Every one must be refused.
 *
 * Text changes avoid the documented equivalences, which are the same call and may be accepted:
 * case of hex digits, of a `sha256=`/`v0=` prefix and of `Bearer`; whitespace around a token or a
 * `t=…,v1=…` field; base64 padding and the URL alphabet (`-_` for `+/`).
 */

export interface Forged {
	/** Which forging change was made, for the failure message and the counts. */
	kind: string;
	wire: Wire;
	/** The valid call's secret-bearing values: never to be echoed in an answer. */
	genuine: string[];
}

const TEXT_UNITS = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const isBlank = (c: string) => c.trim() === '';
const EQUIVALENT: Record<string, string> = { '+': '-', '-': '+', '/': '_', _: '/' };

type TextEdit = { op: 'replace' | 'insert' | 'delete'; at: number; unit: string };

/** One character replaced, inserted or deleted, never into one of the equivalences above; undefined if none applies. */
function editText(value: string, edit: TextEdit): string | undefined {
	const chars = [...value];
	const at = chars.length === 0 ? 0 : edit.at % (chars.length + (edit.op === 'insert' ? 1 : 0));
	if (edit.op === 'insert') {
		if (isBlank(edit.unit)) return undefined;
		chars.splice(at, 0, edit.unit);
	} else {
		const old = chars[at];
		if (old === undefined || old === '=' || isBlank(old)) return undefined;
		if (edit.op === 'delete') chars.splice(at, 1);
		else {
			const unit = edit.unit;
			if (isBlank(unit) || unit.toLowerCase() === old.toLowerCase() || EQUIVALENT[old] === unit) return undefined;
			chars[at] = unit;
		}
	}
	const result = chars.join('');
	return result === value ? undefined : result;
}

type ByteEdit = { op: 'flip' | 'insert' | 'delete'; at: number; byte: number };

function editBytes(raw: Buffer, edit: ByteEdit): Buffer {
	const bytes = [...raw];
	if (bytes.length === 0 || edit.op === 'insert') bytes.splice(edit.at % (bytes.length + 1), 0, edit.byte);
	else if (edit.op === 'delete') bytes.splice(edit.at % bytes.length, 1);
	else bytes[edit.at % bytes.length] ^= edit.byte || 1;
	return Buffer.from(bytes);
}

/** n8n's parse of changed bytes: JSON when it still is JSON, else the text. */
function reparsed(payload: Payload, raw: Buffer): unknown {
	if (payload.contentType === 'application/json') {
		try {
			return JSON.parse(raw.toString('utf8'));
		} catch {
			return raw.toString('utf8');
		}
	}
	return raw.toString('utf8');
}

type Place = { in: 'headers' | 'query'; name: string };

/** Where a valid call of this fixture carries its secret, signature, or a signed value. */
function placesIn(fixture: Fixture, wire: Wire): Place[] {
	const fields = schemeFields(fixture.scheme, fixture.credentials);
	const places: Place[] = [
		...[...fields.headers, ...fixture.signedHeaders].map((name) => ({ in: 'headers' as const, name })),
		...[...fields.query, ...fixture.signedQuery].map((name) => ({ in: 'query' as const, name })),
	];
	const seen = new Set<string>();
	return places.filter((p) => {
		const key = `${p.in}:${p.name}`;
		if (seen.has(key) || wire[p.in][p.name] === undefined) return false;
		seen.add(key);
		return true;
	});
}

function withField(wire: Wire, place: Place, value: unknown): Wire {
	const record = { ...wire[place.in] };
	if (value === undefined) delete record[place.name];
	else record[place.name] = value;
	return { ...wire, [place.in]: record };
}

const WRONG_TYPES: unknown[] = [null, '', 0, 12345, true, {}, { value: 'x' }, Buffer.from('sig')];

/** Harmless decorations: unrelated headers and parameters, header names in another case. */
const decoration = fc.oneof(
	fc.record({ kind: fc.constant('header' as const), name: alnum(1, 10), value: fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string())) }),
	fc.record({ kind: fc.constant('query' as const), name: alnum(1, 10), value: fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string())) }),
	fc.record({ kind: fc.constant('upper' as const), at: fc.nat() }),
);

type Decoration = typeof decoration extends fc.Arbitrary<infer T> ? T : never;

function decorate(wire: Wire, items: Array<Decoration>): Wire {
	let result = wire;
	for (const item of items) {
		if (item.kind === 'header') result = { ...result, headers: { ...result.headers, [`x-junk-${item.name.toLowerCase()}`]: item.value } };
		else if (item.kind === 'query') result = { ...result, query: { ...result.query, [`junk_${item.name}`]: item.value } };
		else {
			const names = Object.keys(result.headers);
			if (names.length === 0) continue;
			const name = names[item.at % names.length];
			const headers: Record<string, unknown> = {};
			for (const [key, value] of Object.entries(result.headers)) headers[key === name ? key.toUpperCase() : key] = value;
			result = { ...result, headers };
		}
	}
	return result;
}

/** The forgeries of one fixture; `undefined` when a drawn change does not apply (filtered out). */
export function forgeries(fixture: Fixture): fc.Arbitrary<Forged> {
	const valid = fc.record({
		payload: fixture.payload,
		secret: fc.constantFrom(...fixture.secrets),
		skew: fc.integer({ min: -(TOLERANCE_SECONDS - 1), max: TOLERANCE_SECONDS - 1 }),
	});
	const kinds = fc.oneof(
		fc.record({ kind: fc.constant('forged secret' as const), secret: fixture.forgedSecret }),
		fc.record({
			kind: fc.constant('body bytes' as const),
			edit: fc.record({ op: fc.constantFrom('flip' as const, 'insert' as const, 'delete' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
		}),
		fc.record({ kind: fc.constant('signature bit' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
		fc.record({ kind: fc.constant('signature encoding' as const), how: fc.constantFrom('other', 'latin1', 'short', 'long', 'empty') }),
		fc.record({
			kind: fc.constant('field text' as const),
			at: fc.nat(),
			edit: fc.record({ op: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const), at: fc.nat(), unit: TEXT_UNITS }),
		}),
		fc.record({ kind: fc.constant('field removed' as const), at: fc.nat() }),
		fc.record({ kind: fc.constant('field repeated' as const), at: fc.nat(), second: fc.option(fc.string(), { nil: undefined }) }),
		fc.record({ kind: fc.constant('field wrong type' as const), at: fc.nat(), type: fc.nat({ max: WRONG_TYPES.length - 1 }) }),
		fc.record({ kind: fc.constant('replay' as const), skew: fc.integer({ min: TOLERANCE_SECONDS + 1, max: 10_000_000 }), future: fc.boolean() }),
		fc.record({ kind: fc.constant('multipart' as const) }),
		fc.record({ kind: fc.constant('other method' as const) }),
	);
	return fc
		.tuple(valid, kinds, fc.array(decoration, { maxLength: 2 }))
		.map(([base, change, decorations]): Forged | undefined => {
			const timestamp = NOW_SECONDS + base.skew;
			const options = { secret: base.secret, timestamp, payload: base.payload };
			const genuineWire = fixture.sign(options);
			const places = placesIn(fixture, genuineWire);
			const genuine = places
				.map((p) => genuineWire[p.in][p.name])
				.filter((v): v is string => typeof v === 'string' && v.length >= 8);
			const place = places.length > 0 && 'at' in change ? places[change.at % places.length] : undefined;
			const current = place ? genuineWire[place.in][place.name] : undefined;
			let wire: Wire | undefined;
			switch (change.kind) {
				case 'forged secret':
					wire = fixture.sign({ ...options, secret: change.secret });
					break;
				case 'body bytes': {
					if (!fixture.signsRawBody) break;
					const raw = editBytes(base.payload.raw, change.edit);
					wire = { ...genuineWire, rawBody: raw, body: reparsed(base.payload, raw), headers: { ...genuineWire.headers, 'content-length': String(raw.length) } };
					break;
				}
				case 'signature bit':
					if (!fixture.signsDigest) break;
					wire = fixture.sign({
						...options,
						encode: (digest, encoding) => {
							const bytes = Buffer.from(digest);
							bytes[change.at % bytes.length] ^= 1 << change.bit;
							return bytes.toString(encoding);
						},
					});
					break;
				case 'signature encoding':
					if (!fixture.signsDigest) break;
					wire = fixture.sign({
						...options,
						encode: (digest, encoding) => {
							const text = digest.toString(encoding);
							if (change.how === 'other') return digest.toString(encoding === 'hex' ? 'base64' : 'hex');
							if (change.how === 'latin1') return digest.toString('latin1');
							if (change.how === 'short') return text.slice(0, -2);
							if (change.how === 'long') return text + text.slice(0, 2);
							return '';
						},
					});
					break;
				case 'field text': {
					if (!place || typeof current !== 'string') break;
					const edited = editText(current, change.edit);
					if (edited !== undefined) wire = withField(genuineWire, place, edited);
					break;
				}
				case 'field removed':
					if (place) wire = withField(genuineWire, place, undefined);
					break;
				case 'field repeated':
					if (place) wire = withField(genuineWire, place, [current, change.second ?? current]);
					break;
				case 'field wrong type':
					if (place) wire = withField(genuineWire, place, WRONG_TYPES[change.type]);
					break;
				case 'replay':
					if (fixture.timestamped) wire = fixture.sign({ ...options, timestamp: NOW_SECONDS + (change.future ? change.skew : -change.skew) });
					break;
				case 'multipart':
					// n8n keeps no raw bytes for multipart: a signed scheme cannot check it.
					if (fixture.signsDigest) wire = { ...genuineWire, rawBody: undefined, headers: { ...genuineWire.headers, 'content-type': 'multipart/form-data; boundary=x' } };
					break;
				case 'other method':
					wire =
						genuineWire.webhookName === 'setup'
							? { ...genuineWire, webhookName: 'default', method: 'POST' }
							: { ...genuineWire, webhookName: 'setup', method: 'GET' };
					break;
			}
			return wire === undefined ? undefined : { kind: change.kind, wire: decorate(wire, decorations), genuine };
		})
		.filter((forged): forged is Forged => forged !== undefined);
}

/** Any request at all: names the schemes read, random values of any type, random bytes, any method. */
export function junk(headerNames: string[], queryNames: string[]): fc.Arbitrary<Wire> {
	const value = fc.oneof(
		fc.string({ unit: 'binary', maxLength: 80 }),
		fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
		fc.constantFrom<unknown>(undefined, null, 0, true, {}),
		fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 128 }),
		fc.base64String({ minLength: 28, maxLength: 88 }),
	);
	const names = (known: string[]) => fc.oneof(fc.constantFrom(...known), alnum(1, 16));
	return fc.record({
		webhookName: fc.constantFrom('default' as const, 'setup' as const),
		method: fc.constantFrom('POST', 'GET', 'PUT', 'post'),
		headers: fc.dictionary(names(headerNames), value, { maxKeys: 8 }),
		query: fc.dictionary(names(queryNames), value, { maxKeys: 5 }),
		rawBody: fc.option(fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)), { nil: undefined }),
		body: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string()),
	});
}
