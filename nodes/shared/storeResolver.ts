/**
 * Which store a node uses, from its "Store" parameter — the one place that decides it for every
 * node: the default follows n8n — n8n's own PostgreSQL when n8n runs on it, else the package's
 * SQLite file beside n8n's (node:sqlite; for the bind nodes in a folder the user may name, checked
 * against n8n's file-access rules) — or a PostgreSQL credential (a server of the user's choice).
 * The Webhook Trigger and Wait for Webhook get a lazily opened handle: the PostgreSQL credential is
 * decrypted only when the store is used — a write batch, a duplicate check — never for a call
 * refused before that.
 */
import { realpath } from 'fs/promises';
import { homedir } from 'os';
import { basename, dirname, isAbsolute, join, resolve } from 'path';

import type { FileSystemHelperFunctions, IExecuteFunctions, INode, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

import { n8nDatabaseOf, n8nFolderOf, SQLITE_FILE_NAME } from './store/n8nDatabase';
import { openStore } from './store/open';
import { SQLITE_MIN_NODE, sqliteSupported } from './store/sqlite';
import type { PostgresCredentials, Store } from './store/types';
import { EmbeddedStoreError } from './store/types';

/**
 * The settings that say which database n8n runs on and where its folder is: a few reads per call,
 * not all of process.env. HOME: os.homedir() reads it when N8N_USER_FOLDER is unset.
 */
const WHERE_N8N_KEEPS_ITS_DATA = ['DB_TYPE', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_PORT', 'DB_POSTGRESDB_DATABASE', 'DB_POSTGRESDB_USER', 'DB_SQLITE_DATABASE', 'N8N_USER_FOLDER', 'HOME'];

let n8nSettingsRead: { settings: string; credentials: PostgresCredentials | undefined; sqliteFile: string } | undefined;

/**
 * Where n8n keeps its data, read again only when those settings differ (they do not while n8n
 * runs; tests change them): every call asks, and reading them whole cost more than the rest of
 * choosing the store.
 */
function n8nSettings(): NonNullable<typeof n8nSettingsRead> {
	const settings = WHERE_N8N_KEEPS_ITS_DATA.map((name) => process.env[name] ?? '').join('\n');
	if (n8nSettingsRead?.settings !== settings) {
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
		const sqliteFile = db.engine === 'sqlite' ? db.file : join(n8nFolderOf({ env: process.env }), SQLITE_FILE_NAME);
		n8nSettingsRead = { settings, credentials, sqliteFile };
	}
	return n8nSettingsRead;
}

/**
 * n8n's own PostgreSQL when n8n runs on it (always in queue mode): the default store then keeps
 * its tables there, in its own schema, so every n8n process shares them with no credential.
 */
export function n8nPostgres(): PostgresCredentials | undefined {
	return n8nSettings().credentials;
}

/** The package's SQLite file when n8n runs on SQLite: beside n8n's own database file. */
export function defaultSqliteFile(): string {
	return n8nSettings().sqliteFile;
}

/** The folder of the default SQLite file (n8n's folder unless DB_SQLITE_DATABASE moves n8n's file). */
export function defaultEmbeddedFolder(): string {
	return dirname(defaultSqliteFile());
}

/** The folder a configured value names: `~/` is the home folder, a relative path is relative to n8n's folder. */
export function configuredFolder(configured: string): string {
	const folder = configured.trim();
	if (folder.startsWith('~/')) return join(homedir(), folder.slice(2));
	return isAbsolute(folder) ? resolve(folder) : resolve(n8nFolderOf({ env: process.env }), folder);
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
 * The folder of the SQLite file for this node. Empty: beside n8n's own database, which is trusted
 * (n8n's N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES would otherwise block it). A configured path is
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
	const folder = await embeddedFolderFor(context, configured);
	const file = folder === defaultEmbeddedFolder() ? defaultSqliteFile() : join(folder, SQLITE_FILE_NAME);
	return await openStore({ kind: 'sqlite', file });
}

export interface TriggerStore {
	/** One per SQLite file or PostgreSQL credential: what process-wide caches are keyed by. */
	key: string;
	open(): Promise<Store>;
}

export interface StoreSource {
	kind: string;
	/** Id of the node's PostgreSQL credential (from the node's settings; nothing decrypted). */
	credentialId: string | undefined;
	readCredentials: () => Promise<unknown>;
}

/** The default store is a SQLite file and this Node has no node:sqlite: the trigger must use PostgreSQL. */
export class DefaultStoreUnavailable extends Error {
	constructor(version = process.versions.node) {
		super(
			`n8n runs on SQLite and on Node.js ${version}: the default store needs Node.js ${SQLITE_MIN_NODE} or later (node:sqlite); choose the PostgreSQL store`,
		);
		this.name = 'DefaultStoreUnavailable';
	}
}

/** DefaultStoreUnavailable when `store` is a SQLite file and this Node cannot open one. */
export function storeRefusal(store: TriggerStore): DefaultStoreUnavailable | undefined {
	return store.key.startsWith('sqlite:') && !sqliteSupported() ? new DefaultStoreUnavailable() : undefined;
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
	// One read of n8n's settings per call: each read looks at eight environment variables.
	const { credentials: own, sqliteFile: file } = n8nSettings();
	if (own) return { key: 'n8n-postgres', open: async () => await openStore({ kind: 'postgres', credentials: own }) };
	const store: TriggerStore = {
		key: `sqlite:${file}`,
		open: async () => {
			const refusal = storeRefusal(store);
			if (refusal) throw refusal;
			return await openStore({ kind: 'sqlite', file });
		},
	};
	return store;
}

/**
 * The store a node's "Store" parameter names (Webhook Trigger, Wait for Webhook), from its webhook
 * or its execute step (whose parameter reads take an item index). `node`: the context's node when
 * the caller has it already (n8n deep-copies the whole node at every getNode()).
 */
export function storeOfNode(context: IWebhookFunctions | IExecuteFunctions | ITriggerFunctions, node: INode = context.getNode()): TriggerStore {
	const kind =
		'getInputData' in context
			? (context as IExecuteFunctions).getNodeParameter('store', 0, 'embedded')
			: (context as IWebhookFunctions | ITriggerFunctions).getNodeParameter('store', 'embedded');
	return triggerStoreOf({
		kind: kind as string,
		credentialId: node.credentials?.webhookGatewayPostgresApi?.id ?? undefined,
		readCredentials: async () => await context.getCredentials('webhookGatewayPostgresApi'),
	});
}
