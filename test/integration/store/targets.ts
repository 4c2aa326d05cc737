import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { openStore } from '../../../nodes/shared/store/open';
import { sqliteSupported } from '../../../nodes/shared/store/sqlite';
import { postgresCredentialsFromUrl } from '../../support/postgres';
import type { PostgresCredentials, Store } from '../../../nodes/shared/store/types';

/**
 * The stores every integration case runs against: PostgreSQL (a fresh schema per test file,
 * dropped afterwards) when TEST_POSTGRES_URL is set, and SQLite in a temp file where node:sqlite
 * exists (Node ≥ 22.13; under jest on Node 20, the store-node24 project runs these suites again on
 * Node 24). TEST_STORE_ENGINES=sqlite,… picks some of them.
 */
export interface StoreTarget {
	kind: 'postgres' | 'sqlite';
	open(): Promise<Store>;
	cleanup(): Promise<void>;
	/** Folder of the file (sqlite) or credentials (postgres) behind this target. */
	dataDir?: string;
	credentials?: PostgresCredentials;
}

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/** Says which suite ran without its PostgreSQL half, so a skipped run is never mistaken for a pass. */
let warned = false;

function warnIfNoPostgres(): void {
	if (POSTGRES_URL || warned) return;
	warned = true;
	const suite = relative(process.cwd(), expect.getState().testPath ?? 'this suite');
	process.stdout.write(`TEST_POSTGRES_URL is not set: skipped the PostgreSQL runs of ${suite}.\n`);
}

/** `describe` for a suite only PostgreSQL can run: without TEST_POSTGRES_URL it is skipped, and says so. */
export function postgresOnlySuite(name: string, fn: () => void): void {
	warnIfNoPostgres();
	(POSTGRES_URL ? describe : describe.skip)(name, fn);
}

export function uniqueSchema(): string {
	return `wg_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Credentials from TEST_POSTGRES_URL with a fresh schema. */
export function postgresCredentials(schema = uniqueSchema()): PostgresCredentials {
	return postgresCredentialsFromUrl(POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema);
}

function postgresTarget(): StoreTarget {
	const credentials = postgresCredentials();
	let store: Store | undefined;
	return {
		kind: 'postgres',
		credentials,
		// ≥10 connections so concurrent binds really run in parallel on the server.
		open: async () => (store = await openStore({ kind: 'postgres', credentials, pool: { max: 20 } })),
		cleanup: async () => {
			if (store === undefined) return;
			await store.query(`DROP SCHEMA IF EXISTS "${credentials.schema}" CASCADE`);
			await store.close();
		},
	};
}

function sqliteTarget(): StoreTarget {
	const dataDir = mkdtempSync(join(tmpdir(), 'wg-sqlite-'));
	let store: Store | undefined;
	return {
		kind: 'sqlite',
		dataDir,
		open: async () => (store = await openStore({ kind: 'sqlite', file: join(dataDir, 'store.sqlite') })),
		cleanup: async () => {
			await store?.close();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

const ENGINES = (process.env.TEST_STORE_ENGINES ?? 'postgres,sqlite').split(',').map((e) => e.trim());

/** Rows for describe.each: [kind, target]. */
export function storeTargets(): Array<[string, StoreTarget]> {
	const targets: Array<[string, StoreTarget]> = [];
	if (ENGINES.includes('postgres')) {
		warnIfNoPostgres();
		if (POSTGRES_URL) targets.push(['postgres', postgresTarget()]);
	}
	if (ENGINES.includes('sqlite') && sqliteSupported()) targets.push(['sqlite', sqliteTarget()]);
	return targets;
}

/**
 * `describe.each` over the targets of this run, or one skipped group naming why there is none (Node
 * 20 without TEST_POSTGRES_URL: the store-node24 project still runs SQLite): never jest's error
 * for an empty table.
 */
export function eachStore(targets: Array<[string, StoreTarget]> = storeTargets()) {
	return (name: string, fn: (kind: string, target: StoreTarget) => void): void => {
		if (targets.length > 0) describe.each(targets)(name, fn);
		else describe.skip(name.replace('%s', 'no'), () => it('needs PostgreSQL (TEST_POSTGRES_URL) or SQLite (Node 22.13+)', () => undefined));
	};
}

/** Empties `tables` (listed children first): SQLite has no TRUNCATE. */
export async function truncate(store: Store, tables: readonly string[]): Promise<void> {
	if (store.kind !== 'sqlite') {
		await store.query(`TRUNCATE ${tables.join(', ')}`);
		return;
	}
	await store.transaction(async (tx) => {
		for (const table of tables) await tx.query(`DELETE FROM ${table}`);
	});
}

export async function truncateAll(store: Store): Promise<void> {
	await truncate(store, ['chats', 'customer_contacts', 'customers']);
}

/** Every column of every row of `table` as JSON text (to check what is, and is not, stored). */
export async function dumpRows(store: Store, table: string): Promise<string[]> {
	const { rows } = await store.query(`SELECT * FROM ${table}`);
	return rows.map((row) => JSON.stringify(row));
}

export async function countRows(store: Store): Promise<Record<string, number>> {
	const { rows } = await store.query<{ customers: number; contacts: number; chats: number }>(
		`SELECT (SELECT count(*) FROM customers)::int AS customers,
			(SELECT count(*) FROM customer_contacts)::int AS contacts,
			(SELECT count(*) FROM chats)::int AS chats`,
	);
	return { ...rows[0] };
}
