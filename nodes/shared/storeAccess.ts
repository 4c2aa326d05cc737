/**
 * What Customer Bind and Chat Bind share between their n8n context and the store: which store
 * an item uses, the PostgreSQL credential test, and store errors turned into n8n node errors.
 */
import { realpath } from 'fs/promises';
import { homedir } from 'os';
import { basename, dirname, isAbsolute, join, resolve } from 'path';

import type {
	FileSystemHelperFunctions,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FieldError } from './store/normalize';
import { openStore, testPostgresConnection } from './store/open';
import { refuseQueueMode } from './store/pglite';
import type { PostgresCredentials, Store } from './store/types';
import { EmbeddedStoreError, StoreConnectionError } from './store/types';

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
	const configured = String(context.getNodeParameter('options.embeddedFolder', itemIndex, '') ?? '');
	refuseQueueMode(configured.trim() === '' ? defaultEmbeddedFolder() : configuredFolder(configured));
	return await openStore({ kind: 'embedded', dataDir: await embeddedFolderFor(context, configured) });
}

/** Field problems are the user's (NodeOperationError naming the field); store problems are NodeApiError. */
export function toNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof FieldError) {
		return new NodeOperationError(context.getNode(), `${error.field}: ${error.message}`, {
			itemIndex,
			description: `Check the value mapped to "${error.field}". Nothing was written for this item.`,
		});
	}
	if (error instanceof EmbeddedStoreError) {
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: `${error.description} Nothing was written for this item.`,
		});
	}
	if (error instanceof StoreConnectionError) {
		return new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
			itemIndex,
			message: error.message,
			description: 'The customer store could not be reached. Nothing was written for this item.',
		});
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

export async function webhookGatewayPostgresConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const result = await testPostgresConnection(credential.data as unknown as PostgresCredentials);
	return result.ok
		? { status: 'OK', message: 'Connected; the schema is usable' }
		: { status: 'Error', message: result.message };
}
