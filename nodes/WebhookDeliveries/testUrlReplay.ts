/**
 * Replay To: Test URL. A one-time token for the delivery (store/testReplays.ts), posted to the
 * trigger's Test URL while the editor listens; the trigger makes the stored item its test event
 * (WebhookTrigger/delivery/testReplay.ts). Nothing runs in production.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { storedId } from '../shared/store/ids';
import { issueTestReplay, TEST_REPLAY_HEADER, TEST_REPLAY_TTL_MS } from '../shared/store/testReplays';
import type { Store } from '../shared/store/types';

function testUrlOf(context: IExecuteFunctions, text: string, itemIndex: number): string {
	let url: URL | undefined;
	try {
		url = new URL(text.trim());
	} catch {
		url = undefined;
	}
	if (url === undefined || !['http:', 'https:'].includes(url.protocol)) {
		throw new NodeOperationError(context.getNode(), `"${text}" is not a Test URL`, {
			itemIndex,
			description: "Copy it from the delivery's Webhook Trigger: Webhook URLs > Test URL",
		});
	}
	return url.toString();
}

export async function replayToTestUrl(context: IExecuteFunctions, store: Store, id: string, testUrl: string, itemIndex: number): Promise<IDataObject> {
	const url = testUrlOf(context, testUrl, itemIndex);
	const issued = await issueTestReplay(store, id, new Date());
	if (issued.kind === 'missing') {
		throw new NodeOperationError(context.getNode(), `No delivery with ID "${id}" to replay to the Test URL`, {
			itemIndex,
			description:
				'It takes a delivery the inbox holds (Answer After the Delivery Is Stored, last 7 days) or an accepted call the delivery log kept with Keep Bodies on. A call refused at arrival is replayed to its workflow, where it is verified again.',
		});
	}
	const response = (await context.helpers.httpRequest({
		method: 'POST',
		url,
		headers: { [TEST_REPLAY_HEADER]: issued.token },
		body: {},
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	const answer = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as IDataObject;
	if (response.statusCode === 200 && answer.replayed === storedId(id)) {
		return { deliveryId: answer.deliveryId ?? null, replayOf: id, workflowId: issued.workflowId, nodeName: issued.nodeName, replayTo: 'testUrl' };
	}
	const trigger = `"${issued.nodeName}" of workflow ${issued.workflowId}`;
	const description =
		response.statusCode === 404
			? `Nothing listens at ${url}: open the workflow, click Listen for Test Event on ${trigger}, then replay within ${TEST_REPLAY_TTL_MS / 60_000} minutes`
			: response.statusCode === 401 && answer.error === 'replay_token_invalid'
				? `The Test URL is not the one of the delivery's trigger (${trigger})`
				: `The Test URL answered ${response.statusCode}: ${JSON.stringify(response.body).slice(0, 300)}`;
	throw new NodeOperationError(context.getNode(), `The Test URL did not take delivery "${id}"`, { itemIndex, description });
}
