import { createHash } from 'crypto';
import type { Queryable, Store } from './types';

/** Stable signed 32-bit hash, so every process (and PostgreSQL version) derives the same lock ids. */
export function hash32(text: string): number {
	return createHash('sha256').update(text).digest().readInt32BE(0);
}

/** Key for the migration lock (single-bigint advisory key space; schema-scoped). */
export function migrationLockKey(schema: string): number {
	return hash32(`webhook-gateway:migrations:${schema}`);
}

/** Identity key of a contact, e.g. `email:ana@example.com` — shared by Customer Bind and Chat Bind. */
export function contactLockKey(type: string, normalized: string): string {
	return `${type}:${normalized}`;
}

/**
 * Takes transaction-scoped advisory locks for `keys` (two-int key space: schema, key), deduplicated
 * and in ascending order, so two binds sharing any key serialize and never deadlock each other.
 * Must run first in the transaction, before any row is read: READ COMMITTED gives the next
 * statement a fresh snapshot, so it sees what the previous lock holder committed.
 */
export async function lockKeys(tx: Queryable, store: Store, keys: readonly string[]): Promise<void> {
	// SQLite's transactions hold the database's write lock from BEGIN IMMEDIATE: locks there
	// would only cost time.
	if (store.kind !== 'postgres') return;
	const { namespace, ids } = lockIds(store, keys);
	if (ids.length === 0) return;
	// One round trip; the sorted subquery makes PostgreSQL take the locks in ascending order.
	await tx.query('SELECT pg_advisory_xact_lock($1::int4, k) FROM (SELECT unnest($2::int4[]) AS k ORDER BY 1) AS keys', [namespace, ids]);
}

/** The advisory lock ids of `keys` in `store`'s schema: deduplicated, ascending. */
export function lockIds(store: Store, keys: readonly string[]): { namespace: number; ids: number[] } {
	return {
		namespace: hash32(`webhook-gateway:${store.schema}`),
		ids: [...new Set(keys.map(hash32))].sort((a, b) => a - b),
	};
}
