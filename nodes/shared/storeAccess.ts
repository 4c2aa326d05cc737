/**
 * What the nodes with a "Store" parameter share besides picking the store (storeResolver.ts): the
 * PostgreSQL credential test, the item loop of the nodes that run per item, and store errors turned
 * into n8n node errors.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FieldError } from './store/normalize';
import { testPostgresConnection } from './store/open';
import type { PostgresCredentials, Store } from './store/types';
import { EmbeddedStoreError, StoreConnectionError } from './store/types';
import { storeForItem } from './storeResolver';

export interface StoreItem {
	store: Store;
	item: INodeExecutionData;
	itemIndex: number;
	/** Adds a result of this item to an output (0 unless named). */
	emit(json: IDataObject, output?: number): void;
}

/**
 * Runs `handle` for each input item with that item's store. Every result is paired with its item. A
 * failing item throws its node error or, with Continue On Fail, leaves on output 0 as `error`, beside
 * the item's own fields when `errorKeepsInput` (the bind nodes pass items on; a reading node does not).
 */
export async function forEachStoreItem(
	context: IExecuteFunctions,
	shape: { outputs: number; errorKeepsInput: boolean },
	handle: (each: StoreItem) => Promise<void>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const outputs = Array.from({ length: shape.outputs }, (): INodeExecutionData[] => []);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const item = items[itemIndex];
		const emit = (json: IDataObject, output = 0) => outputs[output].push({ json, pairedItem: { item: itemIndex } });
		try {
			await handle({ store: await storeForItem(context, itemIndex), item, itemIndex, emit });
		} catch (error) {
			const nodeError = toNodeError(context, error, itemIndex);
			if (!context.continueOnFail()) throw nodeError;
			emit(shape.errorKeepsInput ? { ...item.json, error: nodeError.message } : { error: nodeError.message });
		}
	}
	return outputs;
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
