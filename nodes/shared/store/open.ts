import { closeAllPostgres, openPostgresStore } from './postgres';
import { closeAllSqlite, openSqliteStore } from './sqlite';
import type { PostgresPoolOptions } from './postgres';
import type { PostgresCredentials, Store } from './types';

export { testPostgresConnection } from './postgres';

export type StoreConfig =
	| { kind: 'sqlite'; file: string }
	| { kind: 'postgres'; credentials: PostgresCredentials; pool?: PostgresPoolOptions };

/**
 * The store for a node execution: opened (and migrated) on first use, then shared by every
 * execution in this process. Do not close it after use. Throws StoreConnectionError when the
 * database cannot be reached or opened, FieldError('schema') for an invalid schema name,
 * EmbeddedStoreError when this Node has no node:sqlite.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
	if (config.kind === 'sqlite') return await openSqliteStore(config.file);
	return await openPostgresStore(config.credentials, config.pool);
}

/** Closes every store opened in this process (tests, shutdown). */
export async function closeAllStores(): Promise<void> {
	await Promise.all([closeAllPostgres(), closeAllSqlite()]);
}
