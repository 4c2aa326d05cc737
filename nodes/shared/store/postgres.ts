import { createHash } from 'crypto';
import type * as Pg from 'pg';
import type { Client, ClientConfig, Pool } from 'pg';
import { quoteIdentifier } from './identifier';
import { runMigrations } from './migrations';
import type { PostgresCredentials, Queryable, QueryResult, Store } from './types';
import { DEFAULT_SCHEMA } from './types';
import { asStoreError, errorMessage } from './postgresErrors';
import { statementOf, unnameAfter } from './postgresStatements';

/** pg, loaded on the first PostgreSQL use: n8n loads every node file at start, most never use it. */
let pg: typeof Pg | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPg = (): typeof Pg => (pg ??= require('pg') as typeof Pg);

export interface PostgresPoolOptions {
	/** Pool size per process (pg's default is 10). */
	max?: number;
	connectionTimeoutMillis?: number;
	/** Close the pool after this long without a query; the next query opens a new one. */
	idleCloseMillis?: number;
}

/** Pools unused this long are closed: a credential used once must not hold a pool for the process's life. */
export const DEFAULT_IDLE_CLOSE_MILLIS = 5 * 60_000;

export function schemaOf(credentials: PostgresCredentials): string {
	const schema = (credentials.schema ?? '').trim();
	return schema === '' ? DEFAULT_SCHEMA : schema;
}

function clientConfig(credentials: PostgresCredentials, connectionTimeoutMillis = 10_000): ClientConfig {
	const ssl = credentials.ssl ?? 'disable';
	return {
		host: credentials.host,
		port: Number(credentials.port),
		database: credentials.database,
		user: credentials.user,
		password: credentials.password ?? '',
		ssl: typeof ssl === 'object' ? ssl : ssl === 'disable' ? false : { rejectUnauthorized: ssl === 'require' },
		connectionTimeoutMillis,
		application_name: 'n8n-nodes-webhook-gateway',
	};
}

/**
 * A migrated schema reached through a pg Pool that exists only while it is used: closed after
 * `idleCloseMillis` without a query (or at once when retired), reopened by the next query.
 */
export class PostgresStore implements Store {
	readonly kind = 'postgres' as const;

	readonly schema: string;

	private pool: Pool | undefined;

	private active = 0;

	private idleTimer: ReturnType<typeof setTimeout> | undefined;

	private retired = false;

	private closed = false;

	private onClose: () => void = () => undefined;

	/** The schema as a quoted identifier; validated here, so a bad name fails before any connection. */
	private readonly quotedSchema: string;

	constructor(
		private readonly credentials: PostgresCredentials,
		private readonly options: PostgresPoolOptions = {},
	) {
		this.schema = schemaOf(credentials);
		this.quotedSchema = quoteIdentifier(this.schema);
	}

	/** Called once on close (used by the pool cache). */
	whenClosed(callback: () => void): void {
		this.onClose = callback;
	}

	/** Whether a pg Pool (and so possibly connections) is open now. */
	get poolOpen(): boolean {
		return this.pool !== undefined;
	}

	private connections(): Pool {
		if (this.pool) return this.pool;
		const pool = new (loadPg().Pool)({
			...clientConfig(this.credentials, this.options.connectionTimeoutMillis),
			// A startup parameter, not a SET after connect: it cannot fail silently or race the
			// connection's first query. The schema is a validated identifier (identifier.ts).
			options: `-c search_path=${this.quotedSchema}`,
			max: this.options.max ?? 10,
		});
		// An idle connection dropped by the server must not crash the n8n process.
		pool.on('error', () => undefined);
		this.pool = pool;
		return pool;
	}

	private async use<T>(work: (pool: Pool) => Promise<T>): Promise<T> {
		if (this.closed) throw new Error('This PostgreSQL store was closed');
		this.active++;
		clearTimeout(this.idleTimer);
		try {
			return await work(this.connections());
		} finally {
			this.active--;
			if (this.active === 0) this.scheduleRelease();
		}
	}

	private scheduleRelease(): void {
		if (this.retired) {
			void this.releasePool();
			return;
		}
		this.idleTimer = setTimeout(() => void this.releasePool(), this.options.idleCloseMillis ?? DEFAULT_IDLE_CLOSE_MILLIS);
		this.idleTimer.unref?.(); // an idle pool must not keep the process alive
	}

	private async releasePool(): Promise<void> {
		const pool = this.pool;
		if (this.active > 0 || pool === undefined) return;
		this.pool = undefined;
		await pool.end().catch(() => undefined);
	}

	/**
	 * Replaced in the cache (the credential's configuration changed): the pool closes as soon as no
	 * query runs on it. Holders of this object may still use it; each use reopens and closes a pool.
	 */
	async retire(): Promise<void> {
		this.retired = true;
		clearTimeout(this.idleTimer);
		await this.releasePool();
	}

	async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
		return await this.use(async (pool) => {
			const statement = statementOf(sql, params);
			try {
				const result = await pool.query(statement).catch(async (error: unknown) => {
					if (unnameAfter(statement, error)) return await pool.query(sql, statement.values);
					throw error;
				});
				return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
			} catch (error) {
				throw asStoreError(error, this.credentials);
			}
		});
	}

	/** A statement on the pool commits on its own. */
	get autocommit(): Queryable {
		return this;
	}

	async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
		return await this.use(async (pool) => {
			const client = await pool.connect().catch((error: unknown) => {
				throw asStoreError(error, this.credentials);
			});
			const tx: Queryable = {
				query: async <R>(sql: string, params: readonly unknown[] = []) => {
					const statement = statementOf(sql, params);
					// A refused name aborts the transaction: it fails once, and the caller's retry runs unnamed.
					const result = await client.query(statement).catch((error: unknown) => {
						unnameAfter(statement, error);
						throw error;
					});
					return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
				},
			};
			let broken: Error | undefined;
			try {
				await client.query('BEGIN');
				const value = await fn(tx);
				await client.query('COMMIT');
				return value;
			} catch (error) {
				await client.query('ROLLBACK').catch((rollbackError: Error) => {
					broken = rollbackError; // the connection is unusable: let the pool discard it
				});
				throw asStoreError(error, this.credentials);
			} finally {
				client.release(broken);
			}
		});
	}

	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.idleTimer);
		this.onClose();
		this.onClose = () => undefined;
		const pool = this.pool;
		this.pool = undefined;
		await pool?.end();
	}
}

/**
 * One store per connection config per process, and at most one per database identity (host, port,
 * database, user, schema, pool options): when a credential's password or SSL mode changes, the
 * store for the old configuration is retired instead of kept for the life of the process.
 */
const pools = new Map<string, Promise<PostgresStore>>();

/** Database identity → the config key currently cached for it. */
const identities = new Map<string, string>();

function poolKeys(credentials: PostgresCredentials, options: PostgresPoolOptions): { key: string; identity: string } {
	const password = createHash('sha256')
		.update(credentials.password ?? '')
		.digest('hex');
	const { host, port, database, user, ssl } = credentials;
	const identity = JSON.stringify([host, Number(port), database, user, schemaOf(credentials), options]);
	// A TLS object holds a client key: only its hash goes into the cache key.
	const tls = typeof ssl === 'object' ? createHash('sha256').update(JSON.stringify(ssl)).digest('hex') : (ssl ?? 'disable');
	return { identity, key: JSON.stringify([identity, password, tls]) };
}

/** Stores cached in this process (for tests: it must not grow with every configuration seen). */
export function cachedPostgresStores(): number {
	return pools.size;
}

/**
 * Shared, migrated store for these credentials: the first call creates the pool, creates the schema
 * if missing and applies pending migrations; later calls with the same config reuse it.
 */
export async function openPostgresStore(
	credentials: PostgresCredentials,
	options: PostgresPoolOptions = {},
): Promise<PostgresStore> {
	const { key, identity } = poolKeys(credentials, options);
	let pending = pools.get(key);
	if (pending === undefined) {
		const previous = identities.get(identity);
		if (previous !== undefined && previous !== key) {
			const replaced = pools.get(previous);
			pools.delete(previous);
			void replaced?.then(async (store) => await store.retire()).catch(() => undefined);
		}
		const store = new PostgresStore(credentials, options);
		store.whenClosed(() => {
			if (pools.get(key) === pending) pools.delete(key);
			if (identities.get(identity) === key) identities.delete(identity);
		});
		pending = runMigrations(store).then(() => store);
		pools.set(key, pending);
		identities.set(identity, key);
		// A failed open (server down) must not stick: drop the pool so the next call retries.
		pending.catch(async () => await store.close().catch(() => undefined));
	}
	return await pending;
}

export async function closeAllPostgres(): Promise<void> {
	const all = [...pools.values()];
	pools.clear();
	identities.clear();
	await Promise.all(all.map(async (pending) => await pending.then((store) => store.close()).catch(() => undefined)));
}

/** For the credential test: connect once, check the schema can be used or created. */
export async function testPostgresConnection(
	credentials: PostgresCredentials,
): Promise<{ ok: true } | { ok: false; message: string }> {
	let schema: string;
	try {
		schema = quoteIdentifier(schemaOf(credentials)).slice(1, -1);
	} catch (error) {
		return { ok: false, message: errorMessage(error) };
	}
	const client: Client = new (loadPg().Client)(clientConfig(credentials));
	client.on('error', () => undefined);
	try {
		await client.connect();
		const { rows } = await client.query<{ exists: boolean; usable: boolean | null; can_create: boolean }>(
			`SELECT n.oid IS NOT NULL AS exists,
				CASE WHEN n.oid IS NULL THEN NULL ELSE has_schema_privilege(n.oid, 'USAGE, CREATE') END AS usable,
				has_database_privilege(current_database(), 'CREATE') AS can_create
			FROM (SELECT 1) one LEFT JOIN pg_namespace n ON n.nspname = $1`,
			[schema],
		);
		const row = rows[0];
		if (row.exists && !row.usable) {
			return { ok: false, message: `User "${credentials.user}" cannot use and create tables in schema "${schema}"` };
		}
		if (!row.exists && !row.can_create) {
			return {
				ok: false,
				message: `Schema "${schema}" does not exist and user "${credentials.user}" may not create it`,
			};
		}
		return { ok: true };
	} catch (error) {
		const wrapped = asStoreError(error, credentials);
		return { ok: false, message: errorMessage(wrapped) };
	} finally {
		await client.end().catch(() => undefined);
	}
}
