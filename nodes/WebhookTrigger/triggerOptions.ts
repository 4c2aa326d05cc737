/** The Webhook Trigger's "Options" collection, as webhook() and execute() read it. */
import type { AcknowledgementOptions } from './acknowledge';
import { presetDefaults } from './auth';
import { duplicateKeyOf } from './delivery/duplicates';
import type { ResumeOptions } from './delivery/resume';
import type { RateLimitOptions } from './gate/rateLimit';

export interface TriggerOptions extends AcknowledgementOptions, ResumeOptions, RateLimitOptions {
	jsonSchema?: string | object;
	maxBodyBytes?: number;
	saveBodyAs?: string;
	deliveryIdHeader?: boolean;
	duplicateKeyPath?: string;
	suppressDuplicates?: boolean;
	duplicateWindowHours?: number;
	keepBodies?: boolean;
	logRetentionDays?: number;
	logRetentionRows?: number;
	/** Answer After the Delivery Is Stored (Inbox), and how the inbox runs deliveries. */
	inbox?: boolean;
	inboxConcurrency?: number;
	inboxAttempts?: number;
	inboxRetrySeconds?: number;
	inboxBatchSize?: number;
	inboxBatchWindowMs?: number;
	inboxPerMinute?: number;
	inboxHoldSeconds?: number;
}

/** The duplicate key's path: the node's, else the preset's delivery id; '' when suppression is off. */
export function duplicateKeyPathOf(options: TriggerOptions, scheme: string): string {
	if (options.suppressDuplicates === false) return '';
	return (options.duplicateKeyPath ?? '').trim() || (presetDefaults(scheme).deliveryIdPath ?? '');
}

/**
 * The call's duplicate key (`root`: body, headers, query, params as sent), or undefined when
 * suppression is off or the call has none. The one derivation for arrival and replay.
 */
export function deliveryKeyOf(options: TriggerOptions, scheme: string, root: Record<string, unknown>): string | undefined {
	const path = duplicateKeyPathOf(options, scheme);
	return path === '' ? undefined : duplicateKeyOf(root, path);
}
