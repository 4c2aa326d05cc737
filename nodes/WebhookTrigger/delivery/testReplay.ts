/**
 * Replay to the Test URL, the trigger's side (store/testReplays.ts has the token's life): a call
 * on the Test URL that carries a replay token is not verified as a provider's call — the token,
 * issued by Webhook Deliveries from the store, is the proof — and becomes the editor's test event:
 * the stored delivery's item, as verified at arrival, with `replayOf`. Only while the editor
 * listens: on the production URL the header means nothing and the call is verified as usual.
 */
import { takeTestReplay, TEST_REPLAY_HEADER } from '../../shared/store/testReplays';
import type { TriggerStore } from '../../shared/storeResolver';

/** The replay token of a test call, or undefined when it carries none. */
export function testReplayTokenOf(headers: Record<string, unknown>): string | undefined {
	const token = headers[TEST_REPLAY_HEADER];
	return typeof token === 'string' && token !== '' ? token : undefined;
}

/** The item of the replayed delivery for this trigger, or undefined when the token does not hold. */
export async function replayedTestItem(
	store: TriggerStore,
	token: string,
	trigger: { workflowId: string; nodeName: string },
	deliveryId: string,
	now: number,
): Promise<Record<string, unknown> | undefined> {
	const taken = await takeTestReplay(await store.open(), token, trigger, new Date(now));
	if (taken === undefined) return undefined;
	return { ...taken.item, deliveryId, replayOf: taken.deliveryId };
}
