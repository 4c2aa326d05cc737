/**
 * n8n's side of the inbox pump: the Webhook Trigger's trigger(), which n8n runs for an active
 * workflow on the process that runs its triggers (the leader in multi-main), next to the webhooks
 * every webhook-serving process registers. Without the inbox it does nothing.
 */
import type { IDataObject, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { inboxSettingsOf } from './delivery/inbox';
import { LogLimiter } from './logLimiter';
import { startInboxPump } from './delivery/inboxPump';
import type { ExecutionOutcome } from './delivery/inboxPump';
import type { TriggerOptions } from './triggerOptions';
import { storeOfNode } from '../shared/storeResolver';
import { verifyReplayedCall } from './delivery/refusedReplay';
import { acceptReplayRecord } from '../shared/store/inboxReplay';
import { readGateConfig } from './webhookContext';
import { claimDelivery, DEFAULT_DUPLICATE_WINDOW_HOURS } from './delivery/duplicates';
import { deliveryKeyOf } from './triggerOptions';

/** What an ended execution means for its delivery: n8n's status, and its error when it failed. */
export function outcomeOfRun(run: IRun | undefined): ExecutionOutcome {
	if (run === undefined) return { ok: false, error: 'the execution ended without a result' };
	const error = run.data?.resultData?.error;
	if (run.status === 'error' || run.status === 'crashed' || run.status === 'canceled' || error !== undefined) {
		return { ok: false, error: error?.message ?? `the execution ended with status ${run.status}` };
	}
	return { ok: true };
}

/** A store that stays down would otherwise write a line per poll: one a minute per trigger, with a count. */
const problems = new LogLimiter(60_000);

export async function inboxTrigger(context: ITriggerFunctions): Promise<ITriggerResponse> {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const settings = inboxSettingsOf(context.getNodeParameter('responseMode', 'onReceived') as string, options);
	// Manual runs listen on the Test URL instead (webhook()); nothing to pump.
	if (settings === undefined || context.getMode() === 'manual') return { closeFunction: async () => undefined };
	const store = storeOfNode(context);
	const workflowId = context.getWorkflow().id ?? '';
	const nodeName = context.getNode().name;
	const pump = startInboxPump(workflowId, nodeName, settings, {
		open: store.open,
		run: async (items) => {
			const done = context.helpers.createDeferredPromise<IRun>();
			// One input for execute(), which routes each item to its output.
			context.emit([items.map((item) => ({ json: item as IDataObject }))], undefined, done);
			return outcomeOfRun(await done.promise);
		},
		verify: async (call, delivery) => {
			const verified = await verifyReplayedCall(call, { deliveryId: delivery.id, replayOf: delivery.replayOf }, {
				// Read now: the credential as it is at the replay, for the URL the caller signed.
				gateConfig: async (webhookUrl) => await readGateConfig(context, options, () => webhookUrl ?? '', true),
				claimKey: async (root, scheme) => {
					const key = deliveryKeyOf(options, scheme, root);
					if (key === undefined) return undefined;
					const windowHours = options.duplicateWindowHours ?? DEFAULT_DUPLICATE_WINDOW_HOURS;
					// Started at once: the inbox row is the delivery's commit point (delivery/inbox.ts).
					return await claimDelivery(store, { workflowId, nodeName, key, deliveryId: delivery.id, now: Date.now(), windowHours, started: true }, 0);
				},
			});
			if (verified.ok) await acceptReplayRecord(await store.open(), delivery.id);
			return verified;
		},
		now: Date.now,
		problem: (message) => {
			const decision = problems.take(`${context.getWorkflow().id ?? ''}\n${context.getNode().name}`);
			if (!decision.log) return;
			const more = decision.suppressed > 0 ? ` (${decision.suppressed} more problems since the last report)` : '';
			context.logger.warn(`Webhook Trigger ${message}${more}`);
		},
	});
	return { closeFunction: async () => pump.stop() };
}
