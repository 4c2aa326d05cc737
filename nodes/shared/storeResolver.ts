/**
 * Which store a node uses, from its "Store" parameter — the one place that decides it for every
 * node: the default — n8n's own PostgreSQL when n8n runs on it, else the embedded store (one n8n
 * process; its folder the default inside n8n's, or for the bind nodes one the user names, checked
 * against n8n's file-access rules) — or a PostgreSQL credential (shared by every process). The Webhook Trigger and Wait for Webhook get a lazily opened handle: the PostgreSQL
 * credential is decrypted only when the store is used — a write batch, a duplicate check — never
 * for a call refused before that.
 */
import { realpath } from 'fs/promises';
import { homedir } from 'os';
import { basename, dirname, isAbsolute, join, resolve } from 'path';

import type { FileSystemHelperFunctions, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { n8nDatabaseOf } from './store/n8nDatabase';
import { openStore } from './store/open';
import { refuseQueueMode } from './store/pglite';
import { inQueueMode } from './store/queueMode';
import type { PostgresCredentials, Store } from './store/types';
import { EmbeddedStoreError } from './store/types';

/** The settings that say which database n8n runs on: a few reads per call, not all of process.env. */
const WHERE_N8N_KEEPS_ITS_DATA = ['DB_TYPE', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_PORT', 'DB_POSTGRESDB_DATABASE', 'DB_POSTGRESDB_USER'];

let n8nPostgresRead: { settings: string; credentials: PostgresCredentials | undefined } | undefined;

/**
 * n8n's own PostgreSQL when n8n runs on it (always in queue mode): the default store then keeps
 * its tables there, in its own schema, so every n8n process shares them with no credential. Read
 * again only when those settings differ (they do not while n8n runs; tests change them).
 */
export function n8nPostgres(): PostgresCredentials | undefined {
	const settings = WHERE_N8N_KEEPS_ITS_DATA.map((name) => process.env[name] ?? '').join('\n');
	if (n8nPostgresRead?.settings !== settings) {
		const db = n8nDatabaseOf();
		const credentials: PostgresCredentials | undefined =
			db.engine === 'postgres'
				? {
						host: db.host,
						port: db.port,
						database: db.database,
						user: db.user,
						password: db.password,
						ssl: db.ssl === false ? 'disable' : db.ssl === true ? 'require' : db.ssl,
						schema: db.schema,
					}
				: undefined;
		n8nPostgresRead = { settings, credentials };
	}
	return n8nPostgresRead.credentials;
}

/** n8n keeps its data in `<N8N_USER_FOLDER or home>/.n8n`; the embedded store lives beside it. */
export function defaultEmbeddedFolder(): string {
	const base = process.env.N8N_USER_FOLDER || homedir();
	return join(base, '.n8n', 'webhook-gateway');
}

/** The folder a configured value names: `~/` is the home folder, a relative path is relative to n8n's folder. */
export function configuredFolder(configured: string): string {
	const folder = configured.trim();
	if (folder.startsWith('~/')) return join(homedir(), folder.slice(2));
	return isAbsolute(folder) ? resolve(folder) : resolve(defaultEmbeddedFolder(), '..', folder);
}

/**
 * `path` with every symlink resolved, also when its last parts do not exist yet (realpath of the
 * nearest existing ancestor): a link pointing into n8n's own folder must be judged by its target.
 */
async function realPathOf(path: string): Promise<string> {
	try {
		return await realpath(path);
	} catch (error) {
		const parent = dirname(path);
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) return path;
		return join(await realPathOf(parent), basename(path));
	}
}

type FileAccessHelpers = Partial<Pick<FileSystemHelperFunctions, 'resolvePath'>> & {
	// n8n 1.x lines differ: older ones resolve the path themselves and return a promise.
	isFilePathBlocked?: (path: never) => boolean | Promise<boolean>;
};

/**
 * The embedded folder for this node. Empty: the package's default inside n8n's folder, which is
 * trusted (n8n's N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES would otherwise block it). A configured path is
 * a path the workflow author chose, so it obeys n8n's file-access rules like any file node
 * (N8N_RESTRICT_FILE_ACCESS_TO, N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES), checked by n8n's own helper;
 * one that resolves to the default folder is the default.
 */
export async function embeddedFolderFor(context: IExecuteFunctions, configured: string): Promise<string> {
	const fallback = defaultEmbeddedFolder();
	if (configured.trim() === '') return fallback;
	const folder = await realPathOf(configuredFolder(configured));
	if (folder === (await realPathOf(fallback))) return fallback;

	const helpers = context.helpers as unknown as FileAccessHelpers;
	if (typeof helpers.isFilePathBlocked !== 'function') {
		throw new EmbeddedStoreError(
			`Embedded Data Folder "${configured}" cannot be checked against n8n's file-access rules in this n8n version, so it is not used.`,
			'Leave Embedded Data Folder empty to use the default folder, or use the PostgreSQL store.',
		);
	}
	// n8n's resolvePath fails when the parent folder does not exist yet; `folder` is already free
	// of symlinks (realPathOf), so it is what n8n would have resolved.
	const resolved =
		typeof helpers.resolvePath === 'function' ? await helpers.resolvePath(folder).catch(() => folder) : folder;
	if (await helpers.isFilePathBlocked(resolved as never)) {
		throw new EmbeddedStoreError(
			`Embedded Data Folder "${configured}" (${folder}) is not allowed by n8n's file-access rules.`,
			"n8n keeps nodes out of its own folder (N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES) and, when N8N_RESTRICT_FILE_ACCESS_TO is set, out of every folder not listed there. Choose a folder those rules allow, or leave the option empty to use the default folder.",
		);
	}
	return folder;
}

/** The store for item `itemIndex`: opened and migrated on first use, then shared by the process. */
export async function storeForItem(context: IExecuteFunctions, itemIndex: number): Promise<Store> {
	const kind = context.getNodeParameter('store', itemIndex, 'embedded') as string;
	if (kind === 'postgres') {
		const credentials = (await context.getCredentials('webhookGatewayPostgresApi', itemIndex)) as unknown;
		return await openStore({ kind: 'postgres', credentials: credentials as PostgresCredentials });
	}
	const own = n8nPostgres();
	if (own) return await openStore({ kind: 'postgres', credentials: own });
	const configured = String(context.getNodeParameter('options.embeddedFolder', itemIndex, '') ?? '');
	refuseQueueMode(configured.trim() === '' ? defaultEmbeddedFolder() : configuredFolder(configured));
	return await openStore({ kind: 'embedded', dataDir: await embeddedFolderFor(context, configured) });
}

export interface TriggerStore {
	/** One per embedded folder or PostgreSQL credential: what process-wide caches are keyed by. */
	key: string;
	open(): Promise<Store>;
}

export interface StoreSource {
	kind: string;
	/** Id of the node's PostgreSQL credential (from the node's settings; nothing decrypted). */
	credentialId: string | undefined;
	readCredentials: () => Promise<unknown>;
}

/** The embedded store cannot serve several processes: in queue mode the trigger must use PostgreSQL. */
export class EmbeddedInQueueMode extends Error {
	constructor() {
		super('n8n runs in queue mode (EXECUTIONS_MODE=queue): the embedded store serves one process only; choose the PostgreSQL store');
		this.name = 'EmbeddedInQueueMode';
	}
}

/** EmbeddedInQueueMode when `store` is the embedded store and n8n runs in queue mode. */
export function queueModeRefusal(store: TriggerStore): EmbeddedInQueueMode | undefined {
	return store.key.startsWith('embedded:') && inQueueMode() ? new EmbeddedInQueueMode() : undefined;
}

/** The newest way to read each PostgreSQL credential (a credential may be edited while n8n runs). */
const credentialSources = new Map<string, () => Promise<unknown>>();

export function triggerStoreOf(source: StoreSource): TriggerStore {
	if (source.kind === 'postgres') {
		const key = `postgres:${source.credentialId ?? ''}`;
		credentialSources.set(key, source.readCredentials);
		return {
			key,
			open: async () => {
				const read = credentialSources.get(key) ?? source.readCredentials;
				return await openStore({ kind: 'postgres', credentials: (await read()) as PostgresCredentials });
			},
		};
	}
	const own = n8nPostgres();
	if (own) return { key: 'n8n-postgres', open: async () => await openStore({ kind: 'postgres', credentials: own }) };
	const folder = defaultEmbeddedFolder();
	const store: TriggerStore = {
		key: `embedded:${folder}`,
		open: async () => {
			const refusal = queueModeRefusal(store);
			if (refusal) throw refusal;
			return await openStore({ kind: 'embedded', dataDir: folder });
		},
	};
	return store;
}

/**
 * The store a node's "Store" parameter names (Webhook Trigger, Wait for Webhook), from its webhook
 * or its execute step (whose parameter reads take an item index).
 */
export function storeOfNode(context: IWebhookFunctions | IExecuteFunctions): TriggerStore {
	const kind =
		'getWebhookName' in context
			? context.getNodeParameter('store', 'embedded')
			: (context as IExecuteFunctions).getNodeParameter('store', 0, 'embedded');
	return triggerStoreOf({
		kind: kind as string,
		credentialId: context.getNode().credentials?.webhookGatewayPostgresApi?.id ?? undefined,
		readCredentials: async () => await context.getCredentials('webhookGatewayPostgresApi'),
	});
}
