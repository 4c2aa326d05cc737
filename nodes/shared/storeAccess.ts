/**
 * What Customer Bind and Chat Bind share between their n8n context and the store: which store
 * an item uses, the PostgreSQL credential test, and store errors turned into n8n node errors.
 */
import { homedir } from 'os';
import { isAbsolute, join } from 'path';

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FieldError } from './store/normalize';
import { openStore, testPostgresConnection } from './store/open';
import type { PostgresCredentials, Store } from './store/types';
import { StoreConnectionError } from './store/types';

/** n8n keeps its data in `<N8N_USER_FOLDER or home>/.n8n`; the embedded store lives beside it. */
export function defaultEmbeddedFolder(): string {
	const base = process.env.N8N_USER_FOLDER || homedir();
	return join(base, '.n8n', 'webhook-gateway');
}

function embeddedFolder(configured: string | undefined): string {
	const folder = (configured ?? '').trim();
	if (folder === '') return defaultEmbeddedFolder();
	if (folder.startsWith('~/')) return join(homedir(), folder.slice(2));
	return isAbsolute(folder) ? folder : join(defaultEmbeddedFolder(), '..', folder);
}

/** The store for item `itemIndex`: opened and migrated on first use, then shared by the process. */
export async function storeForItem(context: IExecuteFunctions, itemIndex: number): Promise<Store> {
	const kind = context.getNodeParameter('store', itemIndex, 'embedded') as string;
	if (kind === 'postgres') {
		const credentials = (await context.getCredentials('webhookGatewayPostgresApi', itemIndex)) as unknown;
		return await openStore({ kind: 'postgres', credentials: credentials as PostgresCredentials });
	}
	const folder = context.getNodeParameter('options.embeddedFolder', itemIndex, '') as string;
	return await openStore({ kind: 'embedded', dataDir: embeddedFolder(folder) });
}

/** Field problems are the user's (NodeOperationError naming the field); store problems are NodeApiError. */
export function toNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof FieldError) {
		return new NodeOperationError(context.getNode(), `${error.field}: ${error.message}`, {
			itemIndex,
			description: `Check the value mapped to "${error.field}". Nothing was written for this item.`,
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
