import { NodeOperationError } from 'n8n-workflow';

import { forEachStoreItem } from '../../../nodes/shared/storeAccess';
import { FieldError } from '../../../nodes/shared/store/normalize';
import { fakeExecuteContext } from '../../support/executeContext';

// The store is opened per item; item 2's cannot be.
jest.mock('../../../nodes/shared/storeResolver', () => ({
	storeForItem: async (_context: unknown, itemIndex: number) => {
		if (itemIndex === 2) throw new Error('store down');
		return { name: `store-${itemIndex}` };
	},
}));

const items = [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }];

/** Item 0 goes to output 1, item 1 fails with a field error, item 2 never gets a store. */
const run = (continueOnFail: boolean, errorKeepsInput: boolean) =>
	forEachStoreItem(fakeExecuteContext({ parameters: {}, items, continueOnFail }), { outputs: 2, errorKeepsInput }, async ({ store, item, itemIndex, emit }) => {
		if (itemIndex === 1) throw new FieldError('email', 'is not an email');
		emit({ ...item.json, store: (store as unknown as { name: string }).name }, 1);
	});

describe('forEachStoreItem', () => {
	it('pairs every result with its item and keeps errors on output 0 with the input, under Continue On Fail', async () => {
		expect(await run(true, true)).toEqual([
			[
				{ json: { n: 1, error: 'email: is not an email' }, pairedItem: { item: 1 } },
				{ json: { n: 2, error: 'store down' }, pairedItem: { item: 2 } },
			],
			[{ json: { n: 0, store: 'store-0' }, pairedItem: { item: 0 } }],
		]);
	});

	it('leaves the input out of an error item when told to', async () => {
		const [errors] = await run(true, false);
		expect(errors.map((entry) => entry.json)).toEqual([{ error: 'email: is not an email' }, { error: 'store down' }]);
	});

	it('throws the first failing item as a node error without Continue On Fail', async () => {
		const failure = run(false, true);
		await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
		await expect(failure).rejects.toThrow('email: is not an email');
	});
});
