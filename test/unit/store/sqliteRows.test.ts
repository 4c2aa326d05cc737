import { rowReader } from '../../../nodes/shared/store/sqlite';
import type { StatementSync } from '../../../nodes/shared/store/sqlite';

/** A prepared statement as node:sqlite hands it out: rows as null-prototype objects, or as arrays once asked. */
function statement(columns: string[], rows: unknown[][], withArrays: boolean): StatementSync & { arrays: boolean } {
	const fake = {
		arrays: false,
		all: () => (fake.arrays ? rows.map((row) => [...row]) : rows.map((row) => Object.assign(Object.create(null) as object, Object.fromEntries(columns.map((name, i) => [name, row[i]]))))),
		run: () => ({ changes: 0 }),
		...(withArrays ? { setReturnArrays: (enabled: boolean) => void (fake.arrays = enabled), columns: () => columns.map((name) => ({ name })) } : {}),
	};
	return fake;
}

describe('rows read from a SQLite statement', () => {
	const columns = ['id', 'name', 'document'];
	const rows = [
		['a', 'Ana', null],
		['b', 'Bo', '123'],
	];

	it.each([
		['as arrays (Node 22.16+)', true],
		['as objects (Node 22.13–22.15)', false],
	])('come back as plain objects by column name, %s', (_, withArrays) => {
		const prepared = statement(columns, rows, withArrays);
		const read = rowReader(prepared);
		const result = read?.(prepared, []) as Array<Record<string, unknown>>;
		expect(prepared.arrays).toBe(withArrays);
		expect(result).toStrictEqual([
			{ id: 'a', name: 'Ana', document: null },
			{ id: 'b', name: 'Bo', document: '123' },
		]);
		expect(Object.getPrototypeOf(result[0])).toBe(Object.prototype);
	});

	it('reads the column names again when SQLite prepared the statement anew for a changed schema', () => {
		const prepared = statement(columns, rows, true);
		const read = rowReader(prepared);
		// Another process added a column: SQLite re-prepares `SELECT *`, and rows grow by one cell.
		const grown = statement([...columns, 'added'], rows.map((row) => [...row, 'x']), true);
		grown.arrays = true;
		expect(read?.(grown, [])).toStrictEqual([
			{ id: 'a', name: 'Ana', document: null, added: 'x' },
			{ id: 'b', name: 'Bo', document: '123', added: 'x' },
		]);
	});
});
