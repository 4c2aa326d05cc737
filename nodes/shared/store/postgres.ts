import { createHash } from 'crypto';
import { Client, Pool } from 'pg';
import type { ClientConfig } from 'pg';
import { quoteIdentifier } from './identifier';
import { runMigrations } from './migrations';
import type { PostgresCredentials, Queryable, QueryResult, Store } from './types';
import { DEFAULT_SCHEMA, StoreConnectionError } from './types';

export interface PostgresPoolOptions {
	/** Pool size per process (pg's default is 10). */
	max?: number;
	connectionTimeoutMillis?: number;
}

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
		ssl: ssl === 'disable' ? false : { rejectUnauthorized: ssl === 'require' },
		connectionTimeoutMillis,
		application_name: 'n8n-nodes-webhook-gateway',
	};
}

function target(credentials: PostgresCredentials): string {
	return `${credentials.host}:${credentials.port} (database "${credentials.database}", user "${credentials.user}")`;
}

/** Network failures, timeouts, auth and missing database: the store is unreachable, not the query wrong. */
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'28000', // invalid_authorization_specification
	'28P01', // invalid_password
	'3D000', // invalid_catalog_name (database does not exist)
	'57P03', // cannot_connect_now (starting up / shutting down)
	'53300', // too_many_connections
]);

function errorMessage(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	// Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) throws an AggregateError with no message.
	const inner = (error as Error & { errors?: unknown[] }).errors?.find((e): e is Error => e instanceof Error);
	return error.message || inner?.message || (error as Error & { code?: string }).code || error.name;
}

function isConnectionError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
	return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(
		errorMessage(error),
	);
}

function asStoreError(error: unknown, credentials: PostgresCredentials): unknown {
	if (!isConnectionError(error)) return error;
	return new StoreConnectionError(`Could not connect to PostgreSQL at ${target(credentials)}: ${errorMessage(error)}`, error);
}

export class PostgresStore implements Store {
	readonly kind = 'postgres' as const;

	readonly schema: string;

	private readonly pool: Pool;

	private onClose: () => void = () => undefined;

	constructor(
		private readonly credentials: PostgresCredentials,
		options: PostgresPoolOptions = {},
	) {
		this.schema = schemaOf(credentials);
		this.pool = new Pool({
			...clientConfig(credentials, options.connectionTimeoutMillis),
			// A startup parameter, not a SET after connect: it cannot fail silently or race the
			// connection's first query. The schema is a validated identifier (identifier.ts).
			options: `-c search_path=${quoteIdentifier(this.schema)}`,
			max: options.max ?? 10,
		});
		// An idle connection dropped by the server must not crash the n8n process.
		this.pool.on('error', () => undefined);
	}

	/** Called once on close (used by the pool cache). */
	whenClosed(callback: () => void): void {
		this.onClose = callback;
	}

	async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
		try {
			const result = await this.pool.query(sql, [...params]);
			return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
		} catch (error) {
			throw asStoreError(error, this.credentials);
		}
	}

	async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
		const client = await this.pool.connect().catch((error: unknown) => {
			throw asStoreError(error, this.credentials);
		});
		const tx: Queryable = {
			query: async <R>(sql: string, params: readonly unknown[] = []) => {
				const result = await client.query(sql, [...params]);
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
	}

	async close(): Promise<void> {
		this.onClose();
		this.onClose = () => undefined;
		await this.pool.end();
	}
}

/** One pool per connection config per process. */
const pools = new Map<string, Promise<PostgresStore>>();

function poolKey(credentials: PostgresCredentials, options: PostgresPoolOptions): string {
	const password = createHash('sha256')
		.update(credentials.password ?? '')
		.digest('hex');
	const { host, port, database, user, ssl } = credentials;
	return JSON.stringify([host, Number(port), database, user, password, ssl ?? 'disable', schemaOf(credentials), options]);
}

/**
 * Shared, migrated store for these credentials: the first call creates the pool, creates the schema
 * if missing and applies pending migrations; later calls with the same config reuse it.
 */
export async function openPostgresStore(
	credentials: PostgresCredentials,
	options: PostgresPoolOptions = {},
): Promise<PostgresStore> {
	const key = poolKey(credentials, options);
	let pending = pools.get(key);
	if (pending === undefined) {
		const store = new PostgresStore(credentials, options);
		store.whenClosed(() => {
			if (pools.get(key) === pending) pools.delete(key);
		});
		pending = runMigrations(store).then(() => store);
		pools.set(key, pending);
		// A failed open (server down) must not stick: drop the pool so the next call retries.
		pending.catch(async () => await store.close().catch(() => undefined));
	}
	return await pending;
}

export async function closeAllPostgres(): Promise<void> {
	const all = [...pools.values()];
	pools.clear();
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
	const client = new Client(clientConfig(credentials));
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
