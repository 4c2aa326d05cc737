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
	const settings = inboxSettingsOf(
		context.getNodeParameter('responseMode', 'onReceived') as string,
		context.getNodeParameter('options', {}) as TriggerOptions,
	);
	// Manual runs listen on the Test URL instead (webhook()); nothing to pump.
	if (settings === undefined || context.getMode() === 'manual') return { closeFunction: async () => undefined };
	const store = storeOfNode(context);
	const pump = startInboxPump(context.getWorkflow().id ?? '', context.getNode().name, settings, {
		open: store.open,
		run: async (items) => {
			const done = context.helpers.createDeferredPromise<IRun>();
			// One input for execute(), which routes each item to its output.
			context.emit([items.map((item) => ({ json: item as IDataObject }))], undefined, done);
			return outcomeOfRun(await done.promise);
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
