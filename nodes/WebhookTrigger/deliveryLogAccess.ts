/**
 * Which delivery log a Webhook Trigger writes to, from its "Delivery Log" parameter: the embedded
 * store in its default folder (one n8n process), a PostgreSQL store (shared by every process), or
 * none. The PostgreSQL credential is decrypted only when a batch is written, never per call.
 */
import type { Logger } from 'n8n-workflow';

import { defaultEmbeddedFolder } from '../shared/storeAccess';
import { openStore } from '../shared/store/open';
import type { PostgresCredentials } from '../shared/store/types';
import type { DeliveryLog } from './deliveryLog';
import { deliveryLogFor } from './deliveryLog';
import { LogLimiter } from './logLimiter';

export type DeliveryLogTarget = 'embedded' | 'postgres' | 'off';

/** The newest way to read each PostgreSQL log's credential (a credential may be edited). */
const credentialSources = new Map<string, () => Promise<unknown>>();

const problems = new LogLimiter(60_000);

export interface LogSource {
	target: string;
	/** Id of the node's PostgreSQL credential (from the node's settings; nothing decrypted). */
	credentialId: string | undefined;
	readCredentials: () => Promise<unknown>;
	logger: Logger;
}

function reporter(logger: Logger, key: string): (message: string) => void {
	return (message) => {
		const decision = problems.take(key);
		if (!decision.log) return;
		const more = decision.suppressed > 0 ? ` (${decision.suppressed} more problems since the last report)` : '';
		logger.warn(`Webhook Trigger delivery log: ${message}${more}`);
	};
}

/** The log to write to, or undefined when the node logs nothing (Off, or embedded in queue mode). */
export function deliveryLogOf(source: LogSource): DeliveryLog | undefined {
	if (source.target === 'off') return undefined;
	if (source.target === 'postgres') {
		const key = `postgres:${source.credentialId ?? ''}`;
		credentialSources.set(key, source.readCredentials);
		return deliveryLogFor(
			key,
			async () => {
				const read = credentialSources.get(key) ?? source.readCredentials;
				return await openStore({ kind: 'postgres', credentials: (await read()) as PostgresCredentials });
			},
			reporter(source.logger, key),
		);
	}
	const folder = defaultEmbeddedFolder();
	const key = `embedded:${folder}`;
	// Queue mode runs several processes; one embedded folder cannot serve them (use PostgreSQL).
	if (process.env.EXECUTIONS_MODE === 'queue') {
		reporter(source.logger, key)('the embedded store is not used in queue mode; choose PostgreSQL for the delivery log');
		return undefined;
	}
	return deliveryLogFor(key, async () => await openStore({ kind: 'embedded', dataDir: folder }), reporter(source.logger, key));
}
