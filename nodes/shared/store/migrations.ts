import { dialectOf } from './dialect';
import type { Dialect } from './dialect';
import { quoteIdentifier } from './identifier';
import { migrationLockKey } from './locks';
import type { Store } from './types';

export interface Migration {
	/** Strictly increasing; never renumber or edit a released migration — add a new one. */
	version: number;
	name: string;
	/** One statement per entry (one statement per query keeps both engines simple). Unqualified names. */
	statements: readonly MigrationStatement[];
}

/** A statement for both engines (written for PostgreSQL), or one only PostgreSQL runs (a setting SQLite has no counterpart of). */
export type MigrationStatement = string | { readonly postgres: string };

/** The statement's text for `dialect`, or undefined when this engine skips it. */
export function statementFor(statement: MigrationStatement, dialect: Dialect): string | undefined {
	if (typeof statement === 'string') return dialect.ddl(statement);
	return dialect.name === 'postgres' ? statement.postgres : undefined;
}

/** Append migration N+1 at the end of this list; the runner does the rest. */
export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		name: 'customers, customer_contacts, chats',
		statements: [
			`CREATE TABLE customers (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				name text,
				email text,
				phone text,
				document text,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now()
			)`,
			'CREATE INDEX customers_email_idx ON customers (email)',
			'CREATE INDEX customers_phone_idx ON customers (phone)',
			'CREATE INDEX customers_document_idx ON customers (document)',
			'CREATE INDEX customers_lower_name_idx ON customers (lower(name))',
			'CREATE INDEX customers_created_idx ON customers (created_at, id)',
			`CREATE TABLE customer_contacts (
				customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
				type text NOT NULL,
				value text NOT NULL,
				normalized_value text NOT NULL,
				created_at timestamptz NOT NULL DEFAULT now(),
				CONSTRAINT customer_contacts_type_value_key UNIQUE (type, normalized_value)
			)`,
			'CREATE INDEX customer_contacts_customer_idx ON customer_contacts (customer_id)',
			`CREATE TABLE chats (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				customer_id uuid NOT NULL REFERENCES customers (id),
				channel text NOT NULL,
				contact_type text NOT NULL,
				contact text NOT NULL,
				created_at timestamptz NOT NULL DEFAULT now(),
				CONSTRAINT chats_channel_contact_key UNIQUE (channel, contact)
			)`,
			'CREATE INDEX chats_customer_idx ON chats (customer_id)',
		],
	},
	{
		version: 2,
		name: 'deliveries (the Webhook Trigger delivery log)',
		statements: [
			`CREATE TABLE deliveries (
				id uuid PRIMARY KEY,
				workflow_id text NOT NULL,
				node_name text NOT NULL,
				received_at timestamptz NOT NULL,
				method text NOT NULL,
				outcome text NOT NULL,
				status integer NOT NULL,
				reason text,
				client_ip text,
				origin text,
				event_value text,
				event_case text,
				execution_id text,
				body_bytes integer NOT NULL DEFAULT 0,
				body_sha256 text,
				headers jsonb NOT NULL DEFAULT '{}'::jsonb,
				item jsonb,
				dropped integer NOT NULL DEFAULT 0
			)`,
			'CREATE INDEX deliveries_workflow_time_idx ON deliveries (workflow_id, received_at DESC)',
			'CREATE INDEX deliveries_time_idx ON deliveries (received_at)',
		],
	},
	{
		version: 3,
		name: 'delivery_keys (duplicate suppression)',
		statements: [
			`CREATE TABLE delivery_keys (
				workflow_id text NOT NULL,
				node_name text NOT NULL,
				key_hash text NOT NULL,
				delivery_id uuid NOT NULL,
				first_seen timestamptz NOT NULL,
				expires_at timestamptz NOT NULL,
				PRIMARY KEY (workflow_id, node_name, key_hash)
			)`,
			'CREATE INDEX delivery_keys_expiry_idx ON delivery_keys (expires_at)',
		],
	},
	{
		version: 4,
		name: 'waiting_executions (correlated resume)',
		statements: [
			`CREATE TABLE waiting_executions (
				id uuid PRIMARY KEY,
				scope text NOT NULL,
				key_hash text NOT NULL,
				workflow_id text NOT NULL,
				execution_id text NOT NULL,
				node_name text NOT NULL,
				resume_url text NOT NULL,
				token_hash text,
				created_at timestamptz NOT NULL,
				expires_at timestamptz NOT NULL,
				resumed_at timestamptz,
				delivered_at timestamptz,
				CONSTRAINT waiting_executions_execution_node_key UNIQUE (execution_id, node_name)
			)`,
			'CREATE INDEX waiting_executions_key_idx ON waiting_executions (scope, key_hash, created_at) WHERE resumed_at IS NULL',
			'CREATE INDEX waiting_executions_expiry_idx ON waiting_executions (expires_at)',
		],
	},
	{
		version: 5,
		name: 'delivery_keys.started_at (a claim holds once its execution started)',
		statements: [
			// Keys claimed before this version answered duplicates at once: they count as started.
			'ALTER TABLE delivery_keys ADD COLUMN started_at timestamptz',
			'UPDATE delivery_keys SET started_at = first_seen',
			'CREATE INDEX delivery_keys_delivery_idx ON delivery_keys (delivery_id)',
		],
	},
	{
		version: 6,
		name: 'waiting_executions.delivery_id (the hand-over marks the delivery key started in the same transaction)',
		statements: ['ALTER TABLE waiting_executions ADD COLUMN delivery_id uuid'],
	},
	{
		version: 7,
		name: 'inbox (deliveries stored before the answer, run by the trigger at its pace)',
		statements: [
			// seq: arrival order across processes (PostgreSQL: a sequence; SQLite: the rowid).
			`CREATE TABLE inbox (
				seq bigserial PRIMARY KEY,
				id uuid NOT NULL UNIQUE,
				workflow_id text NOT NULL,
				node_name text NOT NULL,
				received_at timestamptz NOT NULL,
				item jsonb NOT NULL,
				replay_of uuid,
				state text NOT NULL,
				attempts integer NOT NULL DEFAULT 0,
				available_at timestamptz NOT NULL,
				started_at timestamptz,
				lease_until timestamptz,
				finished_at timestamptz,
				execution_id text,
				last_error text
			)`,
			'CREATE INDEX inbox_due_idx ON inbox (workflow_id, node_name, seq) WHERE state IN (\'queued\', \'retrying\', \'running\')',
			'CREATE INDEX inbox_finished_idx ON inbox (finished_at) WHERE finished_at IS NOT NULL',
		],
	},
	{
		version: 8,
		name: 'rate_limits (slots of each caller key per window, leased by every process)',
		statements: [
			// Keys are stored as SHA-256, like delivery keys: a tenant id or an address is not kept.
			`CREATE TABLE rate_limits (
				workflow_id text NOT NULL,
				node_name text NOT NULL,
				key_hash text NOT NULL,
				window_start bigint NOT NULL,
				used integer NOT NULL,
				granted integer NOT NULL,
				PRIMARY KEY (workflow_id, node_name, key_hash, window_start)
			)`,
			'CREATE INDEX rate_limits_window_idx ON rate_limits (window_start)',
		],
	},
	{
		version: 9,
		name: 'customers: fewer index writes per new customer',
		statements: [
			// Only ever ordered the few customers a lookup matched, which sorting them does as well.
			'DROP INDEX IF EXISTS customers_created_idx',
			// Most binds carry no document: those rows no longer get an index entry. A lookup by
			// document (document = value) implies IS NOT NULL, so both engines still use the index.
			'DROP INDEX IF EXISTS customers_document_idx',
			'CREATE INDEX customers_document_idx ON customers (document) WHERE document IS NOT NULL',
		],
	},
	{
		version: 10,
		name: 'inbox.replay_of index (a replay by filter skips what was replayed already)',
		statements: ['CREATE INDEX inbox_replay_of_idx ON inbox (replay_of) WHERE replay_of IS NOT NULL'],
	},
	{
		version: 11,
		name: 'inbox.call (a refused signed call as received, so a replay can verify it again)',
		statements: [
			'ALTER TABLE inbox ADD COLUMN call jsonb',
			// Counts the refused calls a trigger keeps (at most MAX_REFUSED_KEPT) on each refusal.
			"CREATE INDEX inbox_refused_idx ON inbox (workflow_id, node_name, seq) WHERE state = 'refused'",
		],
	},
	{
		version: 12,
		name: 'test_replays (one-time tokens: a stored delivery replayed to the Test URL as the editor\'s test event)',
		statements: [
			// The token itself is never stored: its SHA-256 only.
			`CREATE TABLE test_replays (
				token_hash text PRIMARY KEY,
				delivery_id uuid NOT NULL,
				workflow_id text NOT NULL,
				node_name text NOT NULL,
				item jsonb NOT NULL,
				expires_at timestamptz NOT NULL
			)`,
			'CREATE INDEX test_replays_expires_idx ON test_replays (expires_at)',
		],
	},
	{
		version: 13,
		name: 'inbox: claims read only due rows (waiting ones by due time, running ones by lease)',
		statements: [
			// With one index over queued, retrying and running rows, a claim's sweep of expired leases
			// read every queued row (SQLite) or the whole table (PostgreSQL), and PostgreSQL took the
			// due rows by walking the primary key (seq) through the finished ones: 4 ms (SQLite) and
			// 17 ms (PostgreSQL) per claim among 20,000 finished and 3,000 queued rows.
			// Ordered by when a row became due, which no other index is: both engines read this one.
			"CREATE INDEX inbox_waiting_idx ON inbox (workflow_id, node_name, available_at, seq) WHERE state IN ('queued', 'retrying')",
			"CREATE INDEX inbox_running_idx ON inbox (workflow_id, node_name, lease_until) WHERE state = 'running'",
			'DROP INDEX IF EXISTS inbox_due_idx',
		],
	},
	{
		version: 14,
		name: 'inbox (PostgreSQL): vacuumed every 20,000 dead rows, its indexes included',
		statements: [
			// Every claimed row leaves a dead entry at the head of inbox_waiting_idx that each claim
			// reads past until VACUUM removes it (20,000 of them: 0.4–1.2 ms per claim instead of 0.05).
			// By default autovacuum waits for 20% of the table to be dead (the table keeps 7 days of
			// finished rows), and then skips the indexes when under 2% of its pages hold dead rows,
			// which is always the case here: the dead entries stayed. So: a fixed threshold, and
			// index cleanup always on.
			{ postgres: 'ALTER TABLE inbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000, vacuum_index_cleanup = on)' },
		],
	},
];

export function assertOrdered(migrations: readonly Migration[]): void {
	migrations.forEach((migration, index) => {
		const previous = index === 0 ? 0 : migrations[index - 1].version;
		if (!Number.isInteger(migration.version) || migration.version <= previous) {
			throw new Error(`Migration versions must be increasing integers; check version ${migration.version}`);
		}
	});
}

/**
 * Applies pending migrations in one transaction (all or nothing) and returns the versions applied.
 * Safe to run from many processes at once: a transaction-scoped advisory lock on the schema makes
 * the others wait, and they then see the versions already recorded. Versions in the database that
 * this code does not know (a newer package ran) are left alone.
 */
export async function runMigrations(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
	assertOrdered(migrations);
	const dialect = dialectOf(store);
	return await store.transaction(async (tx) => {
		// SQLite: the transaction (BEGIN IMMEDIATE) already holds the database's write lock.
		if (dialect.name === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(store.schema)]);
		if (store.kind === 'postgres') {
			const schema = quoteIdentifier(store.schema);
			// Under the lock: concurrent CREATE SCHEMA IF NOT EXISTS can still fail on pg_namespace.
			await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
			await tx.query(`SET LOCAL search_path TO ${schema}`);
		}
		await tx.query(
			dialect.ddl(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY,
			name text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`),
		);
		const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
		const done = new Set(rows.map((row) => Number(row.version)));
		const applied: number[] = [];
		for (const migration of migrations) {
			if (done.has(migration.version)) continue;
			for (const statement of migration.statements) {
				const text = statementFor(statement, dialect);
				if (text !== undefined) await tx.query(text);
			}
			await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
				migration.version,
				migration.name,
			]);
			applied.push(migration.version);
		}
		return applied;
	});
}
