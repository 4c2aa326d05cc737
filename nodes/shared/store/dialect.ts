/**
 * The SQL differences between the two engines, in one place. Store functions are written in
 * PostgreSQL (pg runs them unchanged); the SQLite engine rewrites the mechanical
 * differences of every statement itself (`toSqlite`: placeholders, casts, now()), and asks its
 * dialect here for the structural ones (arrays as rows, row locks, DDL types).
 */

export interface ArrayColumn {
	/** Column name in the row source. */
	name: string;
	/** Placeholder of a parameter holding an array, e.g. `$2`. */
	slot: string;
	/** PostgreSQL element type, e.g. `text`, `uuid`. */
	type: string;
}

export interface Dialect {
	readonly name: 'postgres' | 'sqlite';
	/** Parallel array parameters as a row source named `alias` (PostgreSQL: `unnest(…) AS alias (…)`). */
	arrayRows(alias: string, columns: readonly ArrayColumn[]): string;
	/** `column` equals one element of the array parameter `slot`. */
	inArray(column: string, slot: string, type: string): string;
	/** The rows of `table` whose `id` the subquery `ids` returns, as a row source named `alias`, read by primary key. */
	rowsById(alias: string, table: string, ids: string): string;
	/** Appended to a claim's subquery: concurrent claimers skip a row another one holds. */
	readonly skipLocked: string;
	/** Whether a WITH may hold an UPDATE, so that two writes are one statement (one round trip, no BEGIN/COMMIT). */
	readonly updateInWith: boolean;
	/** Skips `slot` rows with no upper bound (SQLite has no OFFSET without LIMIT). */
	offset(slot: string): string;
	/** Bytes a JSON column takes as stored. */
	storedSize(column: string): string;
	/** A migration statement (written for PostgreSQL) for this engine. */
	ddl(statement: string): string;
}

export const postgresDialect: Dialect = {
	name: 'postgres',
	arrayRows: (alias, columns) =>
		`unnest(${columns.map((c) => `${c.slot}::${c.type}[]`).join(', ')}) AS ${alias} (${columns.map((c) => c.name).join(', ')})`,
	inArray: (column, slot, type) => `${column} = ANY(${slot}::${type}[])`,
	// A lookup per id behind a fence (OFFSET 0): a named statement keeps the plan it got when the
	// table was nearly empty, and `id IN (…)` was then a hash join over the whole table for every match.
	rowsById: (alias, table, ids) =>
		`(SELECT DISTINCT id FROM (${ids}) AS ${alias}_ids (id)) AS ${alias}_id CROSS JOIN LATERAL (SELECT * FROM ${table} WHERE id = ${alias}_id.id OFFSET 0) AS ${alias}`,
	skipLocked: 'FOR UPDATE SKIP LOCKED',
	updateInWith: true,
	offset: (slot) => `OFFSET ${slot}`,
	// jsonb as stored (after compression), read without decompressing: see pruneKeptBodies.
	storedSize: (column) => `pg_column_size(${column})`,
	ddl: (statement) => statement,
};

/** ISO-8601 UTC with milliseconds, as Date.toISOString() writes: text timestamps then sort and compare as times. */
export const SQLITE_NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** A time as a statement parameter: that ISO text, which PostgreSQL reads as timestamptz and SQLite keeps and compares as it is. */
export const iso = (date: Date): string => date.toISOString();

/** A random (version 4) UUID in SQL, for the DEFAULT of id columns. */
const SQLITE_UUID = `(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))`;

export const sqliteDialect: Dialect = {
	name: 'sqlite',
	// Arrays arrive as JSON text (see toSqliteParams); json_each numbers their elements by `key`.
	arrayRows: (alias, columns) => {
		const [first, ...rest] = columns.map((c, i) => ({ ...c, each: `${alias}_${i}` }));
		const select = [first, ...rest].map((c) => `${c.each}.value AS ${c.name}`).join(', ');
		const joins = rest.map((c) => ` JOIN json_each(${c.slot}) ${c.each} ON ${c.each}.key = ${first.each}.key`).join('');
		return `(SELECT ${select} FROM json_each(${first.slot}) ${first.each}${joins}) AS ${alias}`;
	},
	inArray: (column, slot) => `${column} IN (SELECT value FROM json_each(${slot}))`,
	rowsById: (alias, table, ids) => `(SELECT * FROM ${table} WHERE id IN (${ids})) AS ${alias}`,
	// Writers are serialized by the database lock (BEGIN IMMEDIATE): no row locks to skip.
	skipLocked: '',
	updateInWith: false,
	offset: (slot) => `LIMIT -1 OFFSET ${slot}`,
	storedSize: (column) => `length(CAST(${column} AS BLOB))`,
	ddl: (statement) =>
		statement
			.replace(/DEFAULT gen_random_uuid\(\)/g, `DEFAULT ${SQLITE_UUID}`)
			.replace(/DEFAULT now\(\)/g, `DEFAULT (${SQLITE_NOW})`)
			// The rowid: increasing, assigned under the database's write lock.
			.replace(/\bbigserial PRIMARY KEY\b/g, 'INTEGER PRIMARY KEY')
			.replace(/\b(uuid|timestamptz|jsonb)\b/g, 'text'),
};

/** Whether `$1 … $n` each appear once, in that order: then plain `?` binds them the same way. */
function placeholdersInOrder(sql: string): boolean {
	let expected = 1;
	for (const match of sql.matchAll(/\$(\d+)/g)) {
		if (Number(match[1]) !== expected) return false;
		expected++;
	}
	return true;
}

/**
 * Statement text for SQLite: `$n` → `?n` (or `?` when they come in order), PostgreSQL casts
 * dropped, now() as ISO text. SQLite's parser looks each `?NNN` up in a list of the statement's
 * parameters, which is quadratic: the delivery log's 500-row INSERT (9,000 parameters) took 99 ms
 * to prepare and run with `?NNN`, 3.6 ms with `?` (node:sqlite, Node 24).
 */
export function toSqlite(sql: string): string {
	const plain = placeholdersInOrder(sql);
	return sql
		.replace(/::[a-z_][a-z0-9_]*(\[\])?/gi, '')
		.replace(/\$(\d+)/g, plain ? '?' : '?$1')
		.replace(/\bnow\(\)/gi, SQLITE_NOW);
}

export type SqliteValue = null | number | bigint | string | Uint8Array;

/** Parameters as SQLite binds them: booleans as 0/1, dates as ISO text, arrays as JSON text. */
export function toSqliteParams(params: readonly unknown[]): SqliteValue[] {
	return params.map((value) => {
		if (value === undefined || value === null) return null;
		if (typeof value === 'boolean') return value ? 1 : 0;
		if (value instanceof Date) return value.toISOString();
		if (Array.isArray(value)) return JSON.stringify(value);
		if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
		return value as SqliteValue;
	});
}

/** The dialect of a store or transaction (PostgreSQL unless it says otherwise). */
export function dialectOf(db: { readonly dialect?: Dialect }): Dialect {
	return db.dialect ?? postgresDialect;
}
