/**
 * The store a Webhook Trigger remembers calls in (delivery log, duplicate keys), from its "Store"
 * parameter: the embedded store in its default folder (one n8n process), or PostgreSQL (shared by
 * every process). The PostgreSQL credential is decrypted only when the store is used — a write
 * batch, a duplicate check — never for a call refused before that.
 */
import type { IExecuteFunctions, IWebhookFunctions, Logger } from 'n8n-workflow';

import { defaultEmbeddedFolder } from '../shared/storeAccess';
import { openStore } from '../shared/store/open';
import type { PostgresCredentials, Store } from '../shared/store/types';
import type { DeliveryLog } from './delivery/deliveryLog';
import { deliveryLogFor } from './delivery/deliveryLog';
import { LogLimiter } from './logLimiter';

export interface TriggerStore {
	/** One per embedded folder or PostgreSQL credential: what process-wide caches are keyed by. */
	key: string;
	open(): Promise<Store>;
}

export interface StoreSource {
	kind: string;
	/** Id of the node's PostgreSQL credential (from the node's settings; nothing decrypted). */
	credentialId: string | undefined;
	readCredentials: () => Promise<unknown>;
}

/** The embedded store cannot serve several processes: in queue mode the trigger must use PostgreSQL. */
export class EmbeddedInQueueMode extends Error {
	constructor() {
		super('n8n runs in queue mode (EXECUTIONS_MODE=queue): the embedded store serves one process only; choose the PostgreSQL store');
		this.name = 'EmbeddedInQueueMode';
	}
}

const inQueueMode = () => (process.env.EXECUTIONS_MODE ?? '').trim().toLowerCase() === 'queue';

/** EmbeddedInQueueMode when `store` is the embedded store and n8n runs in queue mode. */
export function queueModeRefusal(store: TriggerStore): EmbeddedInQueueMode | undefined {
	return store.key.startsWith('embedded:') && inQueueMode() ? new EmbeddedInQueueMode() : undefined;
}

/** The newest way to read each PostgreSQL credential (a credential may be edited while n8n runs). */
const credentialSources = new Map<string, () => Promise<unknown>>();

export function triggerStoreOf(source: StoreSource): TriggerStore {
	if (source.kind === 'postgres') {
		const key = `postgres:${source.credentialId ?? ''}`;
		credentialSources.set(key, source.readCredentials);
		return {
			key,
			open: async () => {
				const read = credentialSources.get(key) ?? source.readCredentials;
				return await openStore({ kind: 'postgres', credentials: (await read()) as PostgresCredentials });
			},
		};
	}
	const folder = defaultEmbeddedFolder();
	const store: TriggerStore = {
		key: `embedded:${folder}`,
		open: async () => {
			const refusal = queueModeRefusal(store);
			if (refusal) throw refusal;
			return await openStore({ kind: 'embedded', dataDir: folder });
		},
	};
	return store;
}

/**
 * The store a node's "Store" parameter names (Webhook Trigger, Wait for Webhook), from its webhook
 * or its execute step (whose parameter reads take an item index).
 */
export function storeOfNode(context: IWebhookFunctions | IExecuteFunctions): TriggerStore {
	const kind =
		'getWebhookName' in context
			? context.getNodeParameter('store', 'embedded')
			: (context as IExecuteFunctions).getNodeParameter('store', 0, 'embedded');
	return triggerStoreOf({
		kind: kind as string,
		credentialId: context.getNode().credentials?.webhookGatewayPostgresApi?.id ?? undefined,
		readCredentials: async () => await context.getCredentials('webhookGatewayPostgresApi'),
	});
}

const problems = new LogLimiter(60_000);

/** The process-wide delivery log of a store; its write problems go to n8n's log, rate-limited. */
export function deliveryLogOf(store: TriggerStore, logger: Logger): DeliveryLog {
	return deliveryLogFor(store.key, store.open, (message) => {
		const decision = problems.take(store.key);
		if (!decision.log) return;
		const more = decision.suppressed > 0 ? ` (${decision.suppressed} more problems since the last report)` : '';
		logger.warn(`Webhook Trigger delivery log: ${message}${more}`);
	});
}
