import { mkdirSync } from 'fs';
import { dirname, resolve } from 'path';
import { performance } from 'perf_hooks';
import { sqliteDialect, toSqlite, toSqliteParams } from './dialect';
import type { SqliteValue } from './dialect';
import { runMigrations } from './migrations';
import { attemptSync, retryBusy } from './sqliteBusy';
import type { Queryable, QueryResult, Store } from './types';
import { EmbeddedStoreError, StoreConnectionError } from './types';

/** The part of node:sqlite used here (@types/node 20 has none). */
export interface StatementSync {
	all(...params: SqliteValue[]): unknown[];
	run(...params: SqliteValue[]): { changes: number | bigint };
	/** Node 22.16+ / 24: rows as arrays, and the names of their columns. */
	setReturnArrays?(enabled: boolean): void;
	columns?(): Array<{ name: string }>;
}

/** A prepared statement and how its rows come back. */
export interface Prepared {
	statement: StatementSync;
	/** Undefined: it reports changed rows, not rows. */
	rows?: (statement: StatementSync, values: SqliteValue[]) => unknown[];
}

interface DatabaseSync {
	exec(sql: string): void;
	prepare(sql: string): StatementSync;
	close(): void;
}

interface SqliteModule {
	DatabaseSync: new (path: string, options?: { timeout?: number }) => DatabaseSync;
}

/** node:sqlite runs without a flag from Node 22.13. */
export const SQLITE_MIN_NODE = '22.13';

/** Asked at every call that uses the store: the answer for this process's Node is kept. */
let known: { version: string; supported: boolean } | undefined;

export function sqliteSupported(version = process.versions.node): boolean {
	if (known?.version === version) return known.supported;
	const [major, minor] = version.split('.').map(Number);
	known = { version, supported: major > 22 || (major === 22 && minor >= 13) };
	return known.supported;
}

/**
 * Loaded at open time, not at module load: the package must still load on Node 20, where only
 * the PostgreSQL store works. getBuiltinModule needs no require() of a name older Nodes lack.
 */
function loadSqlite(): SqliteModule {
	const version = process.versions.node;
	const module = sqliteSupported(version)
		? (process.getBuiltinModule('node:sqlite') as SqliteModule | undefined)
		: undefined;
	if (module !== undefined) return module;
	throw new EmbeddedStoreError(
		`The SQLite store needs Node.js ${SQLITE_MIN_NODE} or later; this n8n runs on Node.js ${version}. Use the PostgreSQL store.`,
		`Node's built-in SQLite (node:sqlite) works from Node.js ${SQLITE_MIN_NODE}. Select "PostgreSQL" in the Store parameter, or run n8n on Node.js 22.13+ (n8n's own images do).`,
	);
}

/** Statements that hand rows back; the others report how many rows they changed. */
const RETURNS_ROWS = /^\s*(SELECT|WITH|VALUES|PRAGMA)\b|\bRETURNING\b/i;

const MAX_CACHED_STATEMENTS = 200;

/** A group commit takes at most this many transactions, and none after this long (other processes wait for the lock). */
const GROUP_MAX = 64;
const GROUP_MAX_MS = 20;

/** Longest run of queued store work before the event loop gets a turn. */
const YIELD_EVERY_MS = 2;

interface PendingTransaction {
	fn: (tx: Queryable) => Promise<unknown>;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

/**
 * A SQLite file opened with node:sqlite in WAL mode: readers never wait for the writer, and
 * several processes on one host share the file (SQLite's own file locks). node:sqlite is
 * synchronous and this process has one connection, so queries and transactions take turns in one
 * promise queue; a transaction holds the write lock from BEGIN IMMEDIATE to COMMIT.
 */
export class SqliteStore implements Store {
	readonly kind = 'sqlite' as const;

	readonly schema = 'main';

	readonly dialect = sqliteDialect;

	private tail: Promise<unknown> = Promise.resolve();

	private readonly statements = new Map<string, Prepared>();

	private readonly tx: Queryable = {
		dialect: sqliteDialect,
		query: async <R>(sql: string, params: readonly unknown[] = []) => this.run<R>(sql, params),
	};

	readonly autocommit: Queryable = {
		dialect: sqliteDialect,
		query: async <R>(sql: string, params: readonly unknown[] = []) => await this.transaction(async (tx) => await tx.query<R>(sql, params)),
	};

	constructor(
		readonly file: string,
		private readonly db: DatabaseSync,
		private readonly clock: () => number = Date.now,
	) {}

	private enqueue<T>(work: () => Promise<T>): Promise<T> {
		const step = async () => {
			await this.yieldIfLong();
			return await work();
		};
		const run = this.tail.then(step, step);
		this.tail = run.catch(() => undefined);
		return run;
	}

	private statement(sql: string): Prepared {
		let prepared = this.statements.get(sql);
		if (prepared === undefined) {
			if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
			const statement = this.db.prepare(toSqlite(sql));
			prepared = { statement, rows: RETURNS_ROWS.test(sql) ? rowReader(statement) : undefined };
			this.statements.set(sql, prepared);
		}
		return prepared;
	}

	private run<R>(sql: string, params: readonly unknown[]): QueryResult<R> {
		const { statement, rows: read } = this.statement(sql);
		const values = toSqliteParams(params);
		if (read !== undefined) {
			const rows = read(statement, values) as R[];
			return { rows, rowCount: rows.length };
		}
		return { rows: [], rowCount: Number(statement.run(...values).changes) };
	}

	async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
		return await this.enqueue(async () => await retryBusy(() => this.run<R>(sql, params), this.clock));
	}

	/**
	 * Group commit: transactions that arrive while one runs join it, each in its own SAVEPOINT, and
	 * all commit together — one COMMIT (the WAL append, most of a small write's cost) for up to
	 * {@link GROUP_MAX} of them. A failing one rolls back to its savepoint only; each resolves only
	 * after the COMMIT that made it durable, and all of a group fail when that COMMIT fails.
	 */
	async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
		return await new Promise<T>((resolve, reject) => {
			this.waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
			this.scheduleGroup();
		});
	}

	private waiting: PendingTransaction[] = [];

	private lastYield = performance.now();

	/**
	 * Queued work resolves through promises only (node:sqlite never waits on I/O), so a long queue
	 * would run to its end without n8n's event loop turning: let it turn every {@link YIELD_EVERY_MS}.
	 */
	private async yieldIfLong(): Promise<void> {
		if (performance.now() - this.lastYield < YIELD_EVERY_MS) return;
		await new Promise((resolve) => setImmediate(resolve));
		this.lastYield = performance.now();
	}

	/** A group is queued or still taking transactions: a new one joins it. */
	private grouping = false;

	private scheduleGroup(): void {
		if (this.grouping || this.waiting.length === 0) return;
		this.grouping = true;
		void this.enqueue(async () => await this.runGroup());
	}

	private async runGroup(): Promise<void> {
		const begun = await retryBusy(() => this.db.exec('BEGIN IMMEDIATE'), this.clock).then(
			() => undefined,
			(error: unknown) => error ?? new Error('BEGIN failed'),
		);
		if (begun !== undefined) return this.failWaiting(begun);
		const done: Array<{ pending: PendingTransaction; value: unknown }> = [];
		const started = this.clock();
		for (let taken = 0; taken < GROUP_MAX && this.clock() - started < GROUP_MAX_MS; taken++) {
			if (this.waiting.length === 0) break;
			await this.yieldIfLong();
			const pending = this.waiting.shift();
			if (pending === undefined) break;
			this.db.exec('SAVEPOINT wgw_group');
			try {
				const value = await pending.fn(this.tx);
				this.db.exec('RELEASE wgw_group');
				done.push({ pending, value });
			} catch (error) {
				pending.reject(error);
				// Fails only when SQLite already rolled the whole transaction back (some errors do).
				const undone = attemptSync(() => this.db.exec('ROLLBACK TO wgw_group; RELEASE wgw_group'));
				if (!undone.ok) return this.endGroup(done, error);
			}
		}
		const committed = await retryBusy(() => this.db.exec('COMMIT'), this.clock).then(
			() => undefined,
			(error: unknown) => error ?? new Error('COMMIT failed'),
		);
		if (committed !== undefined) attemptSync(() => this.db.exec('ROLLBACK'));
		this.endGroup(done, committed);
	}

	/** Settles a group's transactions (all fail with `error` when given) and lets the next group form. */
	private endGroup(done: ReadonlyArray<{ pending: PendingTransaction; value: unknown }>, error?: unknown): void {
		this.grouping = false;
		for (const { pending, value } of done) {
			if (error === undefined) pending.resolve(value);
			else pending.reject(error);
		}
		this.scheduleGroup();
	}

	private failWaiting(error: unknown): void {
		const failed = this.waiting;
		this.waiting = [];
		this.grouping = false;
		for (const pending of failed) pending.reject(error);
	}

	async close(): Promise<void> {
		opened.delete(this.file);
		await this.enqueue(async () => {
			this.statements.clear();
			this.db.close();
		});
	}
}

/**
 * Rows as plain objects. node:sqlite builds each row object property by property with a null
 * prototype; copying it costs 2.6 µs for a 7-column row, building it from the row's array 1.0 µs
 * (a Customer Bind reads three rows). Before Node 22.16 there are no arrays: the rows are copied.
 */
export function rowReader(statement: StatementSync): Prepared['rows'] {
	if (statement.setReturnArrays === undefined || statement.columns === undefined) {
		return (prepared, values) => prepared.all(...values).map((row) => ({ ...(row as object) }));
	}
	statement.setReturnArrays(true);
	let names = statement.columns().map((column) => column.name);
	return (prepared, values) => {
		const rows = prepared.all(...values) as unknown[][];
		// SQLite prepares a statement again when another process changed the schema (`SELECT *`).
		if (rows.length > 0 && rows[0].length !== names.length) names = prepared.columns?.().map((column) => column.name) ?? names;
		return rows.map((cells) => {
			const row: Record<string, unknown> = {};
			for (let i = 0; i < names.length; i++) row[names[i]] = cells[i];
			return row;
		});
	};
}

/** One connection per file per process: queries of one process take turns anyway. */
const opened = new Map<string, Promise<SqliteStore>>();

async function openFile(file: string): Promise<SqliteStore> {
	const { DatabaseSync } = loadSqlite();
	mkdirSync(dirname(file), { recursive: true });
	// timeout 0: a locked database throws at once and retryBusy waits without blocking.
	const db = new DatabaseSync(file, { timeout: 0 });
	const open = async (): Promise<SqliteStore> => {
		// WAL: one writer and many readers across processes. NORMAL is durable across a crash of
		// the process (only a power loss can drop the last commits). Foreign keys as PostgreSQL has them.
		await retryBusy(() => db.exec('PRAGMA journal_mode = WAL'));
		db.exec('PRAGMA synchronous = NORMAL');
		// A checkpoint runs inside a COMMIT, on the event loop: 200 pages (~0.8 MB) instead of 1000
		// keeps each one short (bench:store-contention: p99 loop delay 5–9 ms instead of 8–12 ms).
		db.exec('PRAGMA wal_autocheckpoint = 200');
		db.exec('PRAGMA foreign_keys = ON');
		// A group commit's savepoint journals (undo copies of a group's pages) stay in memory: past
		// 64 KiB SQLite writes them to a temp file, ~12 KiB per Customer Bind (bench:binds +35%).
		db.exec('PRAGMA temp_store = MEMORY');
		const store = new SqliteStore(file, db);
		await runMigrations(store);
		return store;
	};
	return await open().catch((error: unknown) => {
		db.close();
		throw error;
	});
}

function openError(file: string, error: unknown): Error {
	if (error instanceof EmbeddedStoreError) return error;
	const reason = error instanceof Error ? error.message : String(error);
	return new StoreConnectionError(`Could not open the SQLite store "${file}": ${reason}`, error);
}

/** Opens (first call: creates and migrates) the SQLite store in `file`; later calls share it. */
export async function openSqliteStore(file: string): Promise<SqliteStore> {
	const key = resolve(file);
	let pending = opened.get(key);
	if (pending === undefined) {
		pending = openFile(key).catch((error: unknown) => {
			throw openError(key, error);
		});
		opened.set(key, pending);
		// A failed open must not stick: the next call tries again.
		pending.catch(() => {
			if (opened.get(key) === pending) opened.delete(key);
		});
	}
	return await pending;
}

export async function closeAllSqlite(): Promise<void> {
	const all = [...opened.values()];
	opened.clear();
	await Promise.all(all.map(async (pending) => await pending.then((store) => store.close()).catch(() => undefined)));
}
