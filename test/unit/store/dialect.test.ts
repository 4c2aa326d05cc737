import { postgresDialect, sqliteDialect, toSqlite, toSqliteParams } from '../../../nodes/shared/store/dialect';
import { openStore } from '../../../nodes/shared/store/open';
import { sqliteSupported } from '../../../nodes/shared/store/sqlite';
import { EmbeddedStoreError } from '../../../nodes/shared/store/types';

describe('SQLite statement text', () => {
	it('numbers placeholders as SQLite does, drops casts, writes now() as ISO text', () => {
		expect(toSqlite('SELECT $1::uuid, $12::text[], now() WHERE x = $2')).toBe(
			"SELECT ?1, ?12, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE x = ?2",
		);
	});

	it('writes plain ? when $1 … $n come once each, in order (SQLite looks each ?NNN up: quadratic in their number)', () => {
		expect(toSqlite('INSERT INTO t (a, b) VALUES ($1, $2::jsonb), ($3, $4::jsonb)')).toBe('INSERT INTO t (a, b) VALUES (?, ?), (?, ?)');
		// Used twice, or out of order: numbered, so each still binds its own value.
		expect(toSqlite('SELECT $1 WHERE a = $1')).toBe('SELECT ?1 WHERE a = ?1');
		expect(toSqlite('SELECT $2, $1')).toBe('SELECT ?2, ?1');
		expect(toSqlite('SELECT $1, $3')).toBe('SELECT ?1, ?3');
		expect(toSqlite('SELECT 1')).toBe('SELECT 1');
	});

	it('binds booleans as 0/1, dates as ISO text, arrays as JSON text', () => {
		const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
		expect(toSqliteParams([true, false, at, ['a', 'b'], undefined, null, 7, 'x'])).toEqual([1, 0, '2026-01-02T03:04:05.006Z', '["a","b"]', null, null, 7, 'x']);
	});

	it('turns parallel arrays into rows joined by element index', () => {
		const columns = [
			{ name: 'type', slot: '$1', type: 'text' },
			{ name: 'normalized', slot: '$2', type: 'text' },
		];
		expect(postgresDialect.arrayRows('k', columns)).toBe('unnest($1::text[], $2::text[]) AS k (type, normalized)');
		expect(sqliteDialect.arrayRows('k', columns)).toBe(
			'(SELECT k_0.value AS type, k_1.value AS normalized FROM json_each($1) k_0 JOIN json_each($2) k_1 ON k_1.key = k_0.key) AS k',
		);
	});

	it('writes PostgreSQL DDL with SQLite types and defaults', () => {
		const ddl = sqliteDialect.ddl("CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), at timestamptz NOT NULL DEFAULT now(), h jsonb NOT NULL DEFAULT '{}'::jsonb)");
		expect(ddl).not.toMatch(/\b(uuid|timestamptz|jsonb)\b|gen_random_uuid|now\(\)/);
		expect(ddl).toContain("DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
	});
});

describe('node:sqlite availability', () => {
	it('needs Node 22.13 or later', () => {
		expect(sqliteSupported('20.19.0')).toBe(false);
		expect(sqliteSupported('22.12.0')).toBe(false);
		expect(sqliteSupported('22.13.0')).toBe(true);
		expect(sqliteSupported('24.21.0')).toBe(true);
	});

	(sqliteSupported() ? it.skip : it)('refuses to open on an older Node, naming the PostgreSQL store', async () => {
		const error = await openStore({ kind: 'sqlite', file: '/nonexistent/never-created.sqlite' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EmbeddedStoreError);
		expect((error as Error).message).toMatch(/Node\.js 22\.13 or later.*PostgreSQL/);
	});
});
