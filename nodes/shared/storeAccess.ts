/**
 * What the nodes with a "Store" parameter share besides picking the store (storeResolver.ts): the
 * PostgreSQL credential test, and store errors turned into n8n node errors.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FieldError } from './store/normalize';
import { testPostgresConnection } from './store/open';
import type { PostgresCredentials } from './store/types';
import { EmbeddedStoreError, StoreConnectionError } from './store/types';

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
