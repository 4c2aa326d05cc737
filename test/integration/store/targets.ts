import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { openStore } from '../../../nodes/shared/store/open';
import { postgresCredentialsFromUrl } from '../../support/postgres';
import type { PostgresCredentials, Store } from '../../../nodes/shared/store/types';

// PGlite's CommonJS build calls import() internally, which Jest's module sandbox rejects unless
// node runs with --experimental-vm-modules. Load it with Node's own loader instead (what n8n does).
jest.mock('@electric-sql/pglite', () => {
	const { getBuiltinModule } = process as unknown as { getBuiltinModule(id: 'module'): typeof import('module') };
	return getBuiltinModule('module').createRequire(__filename)('@electric-sql/pglite');
});

/**
 * The stores every integration case runs against: embedded PGlite in a temp folder always, and
 * PostgreSQL (a fresh schema per test file, dropped afterwards) when TEST_POSTGRES_URL is set.
 */
export interface StoreTarget {
	kind: 'embedded' | 'postgres';
	open(): Promise<Store>;
	cleanup(): Promise<void>;
	/** Folder (embedded) or credentials (postgres) behind this target. */
	dataDir?: string;
	credentials?: PostgresCredentials;
}

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/** Says which suite ran without its PostgreSQL half, so a skipped run is never mistaken for a pass. */
let warned = false;

export function warnIfNoPostgres(): void {
	if (POSTGRES_URL || warned) return;
	warned = true;
	const suite = relative(process.cwd(), expect.getState().testPath ?? 'this suite');
	process.stdout.write(`TEST_POSTGRES_URL is not set: skipped the PostgreSQL runs of ${suite}; the embedded store (PGlite) ran.\n`);
}

export function uniqueSchema(): string {
	return `wg_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Credentials from TEST_POSTGRES_URL with a fresh schema. */
export function postgresCredentials(schema = uniqueSchema()): PostgresCredentials {
	return postgresCredentialsFromUrl(POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema);
}

function embeddedTarget(): StoreTarget {
	const dataDir = mkdtempSync(join(tmpdir(), 'wg-store-'));
	let store: Store | undefined;
	return {
		kind: 'embedded',
		dataDir,
		open: async () => (store = await openStore({ kind: 'embedded', dataDir })),
		cleanup: async () => {
			await store?.close();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
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

/** Rows for describe.each: [kind, target]. */
export function storeTargets(): Array<[string, StoreTarget]> {
	warnIfNoPostgres();
	const targets: Array<[string, StoreTarget]> = [['embedded', embeddedTarget()]];
	if (POSTGRES_URL) targets.push(['postgres', postgresTarget()]);
	return targets;
}

export async function truncateAll(store: Store): Promise<void> {
	await store.query('TRUNCATE chats, customer_contacts, customers');
}

export async function countRows(store: Store): Promise<Record<string, number>> {
	const { rows } = await store.query<{ customers: number; contacts: number; chats: number }>(
		`SELECT (SELECT count(*) FROM customers)::int AS customers,
			(SELECT count(*) FROM customer_contacts)::int AS contacts,
			(SELECT count(*) FROM chats)::int AS chats`,
	);
	return { ...rows[0] };
}
