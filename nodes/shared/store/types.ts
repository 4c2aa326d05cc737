/** One query layer over the stores: PostgreSQL (pg Pool) and SQLite (node:sqlite). */
import type { Dialect } from './dialect';

export type Row = Record<string, unknown>;

export interface QueryResult<R = Row> {
	rows: R[];
	/** Rows returned, or affected by INSERT/UPDATE/DELETE. */
	rowCount: number;
}

export interface Queryable {
	/** One parameterised statement ($1, $2, …). Never put input values in `sql`. */
	query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
	/** The SQL differences of this engine; absent means PostgreSQL (pg, test doubles). */
	readonly dialect?: Dialect;
}

export interface Store extends Queryable {
	readonly kind: 'postgres' | 'sqlite';
	/** Schema holding the tables; 'main' for SQLite. */
	readonly schema: string;
	/**
	 * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws.
	 * Inside `fn` use only `tx` — calling the store itself there waits for this transaction (SQLite: one connection).
	 */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	/**
	 * Each statement through it is a transaction of its own, committed the cheapest durable way this
	 * engine has: PostgreSQL runs it alone (one round trip; BEGIN and COMMIT would add two), SQLite
	 * joins it to the group commit (one WAL append for many callers; alone, each pays its own).
	 */
	readonly autocommit: Queryable;
	/**
	 * Closes the shared pool / database for every user in this process. Nodes must not call it
	 * (stores are opened once per process and shared); tests and shutdown hooks do.
	 */
	close(): Promise<void>;
}

export type PostgresSsl = 'disable' | 'require' | 'allow-unauthorized';

/** TLS as n8n configures its own connection (CA, client certificate): n8n's database as the store. */
export interface PostgresTls {
	ca?: string;
	cert?: string;
	key?: string;
	rejectUnauthorized: boolean;
}

/** The fields of the `webhookGatewayPostgresApi` credential. */
export interface PostgresCredentials {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	ssl?: PostgresSsl | PostgresTls;
	/** Validated identifier; blank means DEFAULT_SCHEMA. */
	schema?: string;
}

export const DEFAULT_SCHEMA = 'webhook_gateway';

/** The store cannot be reached (server down, wrong host/port/database, authentication). */
export class StoreConnectionError extends Error {
	constructor(message: string, cause?: unknown) {
		super(message, { cause });
		this.name = 'StoreConnectionError';
	}
}

/**
 * The default (SQLite) store cannot be used as configured: this Node has no node:sqlite, or the
 * folder a node names is not allowed. A setup problem the user fixes
 * (the nodes show it as a NodeOperationError), not an outage.
 */
export class EmbeddedStoreError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'EmbeddedStoreError';
	}
}

export interface CustomerRow {
	id: string;
	name: string | null;
	email: string | null;
	phone: string | null;
	document: string | null;
	created_at: Date;
	updated_at: Date;
}

export interface CustomerContactRow {
	customer_id: string;
	type: string;
	value: string;
	normalized_value: string;
	created_at: Date;
}

export interface ChatRow {
	id: string;
	customer_id: string;
	channel: string;
	contact_type: string;
	contact: string;
	created_at: Date;
}
