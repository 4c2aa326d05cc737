import { mkdir, readdir } from 'fs/promises';
import { resolve } from 'path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { LOCK_FILE, acquireFolderLock } from './folderLock';
import type { FolderLock } from './folderLock';
import { runMigrations } from './migrations';
import type { Queryable, QueryResult, Store } from './types';
import { EmbeddedStoreError, StoreConnectionError } from './types';
import { inQueueMode } from './queueMode';

type PGliteResults = { rows: unknown[]; affectedRows?: number };

function toResult<R>(result: PGliteResults): QueryResult<R> {
	// PGlite reports affectedRows = 0 for SELECT; pg's rowCount counts returned rows there.
	const rowCount = result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
	return { rows: result.rows as R[], rowCount };
}

function wrapTx(tx: Transaction): Queryable {
	return {
		query: async <R>(sql: string, params: readonly unknown[] = []) =>
			toResult<R>(await tx.query(sql, [...params])),
	};
}

/**
 * Embedded PostgreSQL (PGlite, WASM) in a folder, owned by this process through a folder lock
 * (folderLock.ts). PGlite has one connection: its own locks let a plain query slip in between the
 * statements of a running transaction, so every query and transaction goes through one promise
 * queue here.
 */
export class EmbeddedStore implements Store {
	readonly kind = 'embedded' as const;

	readonly schema = 'public';

	private tail: Promise<unknown> = Promise.resolve();

	constructor(
		readonly dataDir: string,
		private readonly db: PGlite,
		private readonly lock?: FolderLock,
	) {}

	private enqueue<T>(work: () => Promise<T>): Promise<T> {
		const run = this.tail.then(work, work);
		this.tail = run.catch(() => undefined);
		return run;
	}

	async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
		return await this.enqueue(async () => toResult<R>(await this.db.query(sql, [...params])));
	}

	async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
		return await this.enqueue(async () => await this.db.transaction(async (tx) => await fn(wrapTx(tx))));
	}

	async close(): Promise<void> {
		opened.delete(this.dataDir);
		await this.enqueue(async () => {
			if (!this.db.closed) await this.db.close();
		});
		// Only once PGlite has written everything back may another process open the folder.
		await this.lock?.release();
	}
}

/** One instance per folder per process: two PGlite instances on one folder would corrupt it. */
const opened = new Map<string, Promise<EmbeddedStore>>();

const QUEUE_MODE_DESCRIPTION =
	'In queue mode the main process and every worker run executions, each in its own process; one embedded folder can only be used by one process, and several would lose rows silently. Select "PostgreSQL" in the Store parameter.';

/** n8n queue mode runs executions in several processes: refuse before touching the folder. */
export function refuseQueueMode(dataDir: string): void {
	if (!inQueueMode()) return;
	throw new EmbeddedStoreError(
		`The embedded store (folder "${dataDir}") cannot be used in n8n queue mode (EXECUTIONS_MODE=queue): use the PostgreSQL store.`,
		QUEUE_MODE_DESCRIPTION,
	);
}

/** Refuses a non-empty folder that is not a PGlite data folder: initdb would write into it. */
async function assertStoreFolder(dataDir: string): Promise<void> {
	const entries = (await readdir(dataDir)).filter((name) => !name.startsWith(LOCK_FILE));
	if (entries.length === 0 || entries.includes('PG_VERSION')) return;
	throw new EmbeddedStoreError(
		`The folder "${dataDir}" is not empty and holds no embedded store (no PG_VERSION file), so it is not used as the Embedded Data Folder.`,
		'The embedded store needs an empty or new folder, or one it created earlier. Choose another folder, or leave the option empty for the default.',
	);
}

async function openFolder(dataDir: string): Promise<EmbeddedStore> {
	await mkdir(dataDir, { recursive: true });
	await assertStoreFolder(dataDir);
	// Before PGlite reads a single page: a second process must not open the folder at all.
	const lock = await acquireFolderLock(dataDir);
	return await openLocked(dataDir, lock).catch(async (error: unknown) => {
		await lock.release().catch(() => undefined);
		throw error;
	});
}

/**
 * PostgreSQL's 128 MB of shared buffers is sized for a server; the package's tables stay small
 * (customers, chats, at most 10,000 delivery records per workflow by default). 16 MB halves what
 * reopening the store adds to n8n's RSS (+247 MB → +125 MB, measured with PGlite 0.5.16).
 */
const EMBEDDED_SETTINGS = ['shared_buffers=16MB'];

async function openLocked(dataDir: string, lock: FolderLock): Promise<EmbeddedStore> {
	// Loaded here, not at module load: the WASM build costs ~30 MB of code and is only needed
	// when a workflow actually uses the embedded store.
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(dataDir, { postgresqlconf: EMBEDDED_SETTINGS });
	const store = new EmbeddedStore(dataDir, db, lock);
	await runMigrations(store).catch(async (error: unknown) => {
		await db.close().catch(() => undefined);
		throw error;
	});
	return store;
}

function openError(dataDir: string, error: unknown): Error {
	if (error instanceof EmbeddedStoreError) return error;
	const reason = error instanceof Error ? error.message : String(error);
	return new StoreConnectionError(`Could not open the embedded store in "${dataDir}": ${reason}`, error);
}

/** Opens (first call: creates and migrates) the embedded store in `dataDir`; later calls share it. */
export async function openEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
	const key = resolve(dataDir);
	refuseQueueMode(key);
	let pending = opened.get(key);
	if (pending === undefined) {
		pending = openFolder(key).catch((error: unknown) => {
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

export async function closeAllEmbedded(): Promise<void> {
	const all = [...opened.values()];
	opened.clear();
	await Promise.all(all.map(async (pending) => await pending.then((store) => store.close()).catch(() => undefined)));
}
