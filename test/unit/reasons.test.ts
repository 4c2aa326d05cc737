import { REASONS } from '../../nodes/WebhookTrigger/reasons';
import { answerFor, outcomeOf, replyFor } from '../../nodes/WebhookTrigger/replies';
import type { ReasonCode, ReasonSpec } from '../../nodes/WebhookTrigger/reasons';
import { documentedReasons } from './properties/documented';

const CODES = Object.keys(REASONS) as ReasonCode[];
const spec = (code: ReasonCode): ReasonSpec => REASONS[code];
const sorted = (statuses: readonly number[]) => [...statuses].sort((a, b) => a - b);

describe("docs/reasons.md's Rejections table", () => {
	const rows = documentedReasons();

	it('lists every code of the catalogue with its statuses', () => {
		const statusesOf = (code: string) => {
			const listing = rows.filter((row) => row.codes.includes(code));
			return listing.length === 0 ? 'not in docs/reasons.md' : sorted([...new Set(listing.flatMap((row) => row.statuses))]);
		};
		const documented = CODES.map((code) => ({ code, statuses: statusesOf(code) }));
		expect(documented).toEqual(CODES.map((code) => ({ code, statuses: sorted(spec(code).statuses) })));
	});

	it('lists only codes of the catalogue, one row each', () => {
		const listed = rows.flatMap((row) => row.codes);
		expect(listed.filter((code) => !(code in REASONS))).toEqual([]);
		expect(rows.filter((row) => row.codes.length !== 1)).toEqual([]);
		expect(listed.filter((code, index) => listed.indexOf(code) !== index)).toEqual([]);
	});

	it("gives each code the catalogue's outcome, cause and fix", () => {
		const documented = rows.map((row) => ({ code: row.codes[0], outcome: row.cells.Outcome, cause: row.cells.Cause, fix: row.cells.Fix }));
		const expected = rows.map((row) => {
			const code = row.codes[0] as ReasonCode;
			return { code, outcome: `\`${spec(code).outcome}\``, cause: spec(code).cause, fix: spec(code).fix };
		});
		expect(documented).toEqual(expected);
	});
});

describe('the reason catalogue', () => {
	it("answers `{error, message}` with the code's first status, its message and its headers", () => {
		expect(replyFor('delivery_in_progress')).toEqual({
			kind: 'reply',
			status: 409,
			headers: { 'Retry-After': '60' },
			contentType: 'application/json',
			body: '{"error":"delivery_in_progress","message":"Another copy of this delivery is being started; retry later"}',
			code: 'delivery_in_progress',
		});
	});

	it("takes another of the code's statuses, a message, more fields and more headers", () => {
		const reply = replyFor('not_waiting', { status: 409, message: 'no', extra: { n: 1 }, headers: { X: 'y' } });
		expect(reply).toMatchObject({ status: 409, headers: { X: 'y' }, body: '{"error":"not_waiting","message":"no","n":1}' });
		expect(replyFor('store_unavailable', { headers: { X: 'y' } }).headers).toEqual({ 'Retry-After': '30', X: 'y' });
	});

	it('answers a handshake or a duplicate with its own body', () => {
		expect(answerFor('handshake', 'abc', { contentType: 'text/plain' })).toEqual({
			kind: 'reply',
			status: 200,
			headers: {},
			contentType: 'text/plain',
			body: 'abc',
			code: 'handshake',
		});
	});

	it('files answers as the delivery log always did: duplicates, handshakes, 5xx errors, other refusals', () => {
		for (const code of CODES) {
			const { statuses, outcome } = spec(code);
			if (statuses.length === 0) continue;
			const expected = code === 'duplicate' || code === 'delivery_in_progress' ? 'duplicate' : code === 'handshake' ? 'handshake' : statuses[0] >= 500 ? 'error' : 'rejected';
			expect([code, outcomeOf(code)]).toEqual([code, expected]);
			// Every status of a code files alike.
			expect(statuses.every((status) => (status >= 500) === (statuses[0] >= 500))).toBe(true);
			expect(outcome).toBe(expected);
		}
		expect(outcomeOf('log_buffer_full')).toBe('overflow');
	});

	it('has a message for every code answered `{error, message}`, and no `|` in what docs/reasons.md shows', () => {
		for (const code of CODES) {
			const { statuses, message, cause, fix } = spec(code);
			const ownBody = code === 'handshake' || code === 'duplicate' || statuses.length === 0;
			expect([code, typeof message]).toEqual([code, ownBody ? 'undefined' : 'string']);
			expect([code, `${cause}${fix}`.includes('|')]).toEqual([code, false]);
		}
	});
});
