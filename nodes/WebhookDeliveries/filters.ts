/** The Webhook Deliveries node's filter parameters, read into the store's filters (List and Replay). */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DeliveryFilter } from '../shared/store/deliveries';
import { MAX_REPLAY_LIMIT } from '../shared/store/inboxReplay';
import type { ReplayFilter, ReplayOutcome } from '../shared/store/inboxReplay';

interface Filters {
	workflowId?: string;
	nodeName?: string;
	outcome?: string;
	reason?: string;
	since?: string;
	until?: string;
}

const REPLAY_OUTCOMES: Record<string, ReplayOutcome | undefined> = { failed: 'failed', done: 'done', finished: undefined, refused: 'refused' };

function toDate(value: string | undefined, label: string, context: IExecuteFunctions, itemIndex: number): Date | undefined {
	if (!value) return undefined;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw new NodeOperationError(context.getNode(), `${label}: "${value}" is not a date`, { itemIndex });
	return date;
}

/** A whole number within 1 - max: a replay of an amount the user did not mean is not undone. */
function toLimit(value: unknown, max: number, context: IExecuteFunctions, itemIndex: number): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
		throw new NodeOperationError(context.getNode(), `Limit: ${JSON.stringify(value)} is not a whole number from 1 to ${max}`, { itemIndex });
	}
	return value;
}

function common(filters: Filters, context: IExecuteFunctions, itemIndex: number) {
	return {
		workflowId: filters.workflowId?.trim() || undefined,
		nodeName: filters.nodeName?.trim() || undefined,
		reason: filters.reason?.trim() || undefined,
		since: toDate(filters.since, 'Received After', context, itemIndex),
		until: toDate(filters.until, 'Received Before', context, itemIndex),
	};
}

/** List: Filters and Limit (the store clamps the limit to 1 - 1000). */
export function listFilterOf(context: IExecuteFunctions, itemIndex: number): DeliveryFilter {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as Filters;
	return {
		...common(filters, context, itemIndex),
		outcome: filters.outcome || undefined,
		limit: context.getNodeParameter('limit', itemIndex, 50) as number,
	};
}

/** Replay of all matching: Outcome, Filters and Limit. */
export function replayFilterOf(context: IExecuteFunctions, itemIndex: number): ReplayFilter {
	const outcome = context.getNodeParameter('replayOutcome', itemIndex, 'failed') as string;
	if (!(outcome in REPLAY_OUTCOMES)) throw new NodeOperationError(context.getNode(), `Outcome: "${outcome}" is not one of failed, done, finished, refused`, { itemIndex });
	const filters = context.getNodeParameter('replayFilters', itemIndex, {}) as Filters;
	return {
		...common(filters, context, itemIndex),
		outcome: REPLAY_OUTCOMES[outcome],
		limit: toLimit(context.getNodeParameter('replayLimit', itemIndex, 100), MAX_REPLAY_LIMIT, context, itemIndex),
	};
}
