import fc from 'fast-check';
import { NodeOperationError } from 'n8n-workflow';

import { listFilterOf, replayFilterOf } from '../../nodes/WebhookDeliveries/filters';
import { fakeExecuteContext } from '../support/executeContext';

/** Webhook Deliveries' filter parameters as the store gets them (List, and Replay of all matching). */
const context = (parameters: Record<string, unknown>) => fakeExecuteContext({ parameters });
const replay = (parameters: Record<string, unknown>) => replayFilterOf(context(parameters), 0);

const text = fc.oneof(fc.constant(''), fc.constant('  '), fc.string({ maxLength: 12 }));
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

describe('Webhook Deliveries filters', () => {
	it('reads any Replay filter: text trimmed, blank as none, dates as the same instant, the outcome and limit as given', () => {
		fc.assert(
			fc.property(
				fc.record({ workflowId: text, nodeName: text, reason: text, since: fc.option(instant), until: fc.option(instant) }),
				fc.constantFrom(['failed', 'failed'], ['done', 'done'], ['finished', undefined]),
				fc.integer({ min: 1, max: 1000 }),
				(filters, [outcome, stored], limit) => {
					const dates = { since: filters.since?.toISOString() ?? '', until: filters.until?.toISOString() ?? '' };
					const filter = replay({ replayOutcome: outcome, replayFilters: { ...filters, ...dates }, replayLimit: limit });
					expect(filter).toEqual({
						workflowId: filters.workflowId.trim() || undefined,
						nodeName: filters.nodeName.trim() || undefined,
						reason: filters.reason.trim() || undefined,
						since: filters.since ?? undefined,
						until: filters.until ?? undefined,
						outcome: stored,
						limit,
					});
				},
			),
		);
	});

	it('replays only failed deliveries, at most 100, when nothing is set', () => {
		expect(replay({})).toEqual({ outcome: 'failed', limit: 100 });
	});

	it.each([
		['a date that is not one', { replayFilters: { since: 'yesterday' } }, 'Received After: "yesterday" is not a date'],
		['an end that is not a date', { replayFilters: { until: '2026-13-45' } }, 'Received Before: "2026-13-45" is not a date'],
		['a limit of 0', { replayLimit: 0 }, 'Limit: 0 is not a whole number from 1 to 1000'],
		['a limit over 1000', { replayLimit: 1001 }, 'Limit: 1001 is not a whole number from 1 to 1000'],
		['a fractional limit', { replayLimit: 2.5 }, 'Limit: 2.5 is not a whole number'],
		['a limit that is text', { replayLimit: '10' }, 'Limit: "10" is not a whole number'],
		['an unknown outcome', { replayOutcome: 'rejected' }, 'Outcome: "rejected" is not one of'],
	])('refuses %s with a NodeOperationError', (_label, parameters, message) => {
		const attempt = () => replay(parameters);
		expect(attempt).toThrow(NodeOperationError);
		expect(attempt).toThrow(message);
	});

	it('reads List filters as before: the outcome as given, the limit left to the store', () => {
		const filter = listFilterOf(context({ filters: { outcome: 'rejected', reason: ' ip_not_allowed ', since: '2026-12-05T12:00:00Z' }, limit: 5000 }), 0);
		expect(filter).toEqual({
			workflowId: undefined,
			nodeName: undefined,
			outcome: 'rejected',
			reason: 'ip_not_allowed',
			since: new Date('2026-12-05T12:00:00Z'),
			until: undefined,
			limit: 5000,
		});
		expect(() => listFilterOf(context({ filters: { until: 'soon' } }), 0)).toThrow(NodeOperationError);
	});
});
