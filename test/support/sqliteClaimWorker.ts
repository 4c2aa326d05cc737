/**
 * A separate Node process claiming delivery keys in a SQLite store file — stands in for a second
 * n8n process on the same host. Run as
 *   node scripts/run-ts.js test/support/sqliteClaimWorker.ts <file> <startAtMs> <keys>
 * It opens the store (both processes may create and migrate a new file at once), waits until
 * startAtMs so the two claim together, claims key-0 … key-(keys-1) concurrently and prints the keys
 * it won as one JSON line.
 */
import { randomUUID } from 'crypto';
import { claimDeliveryKey } from '../../nodes/shared/store/deliveryKeys';
import { closeAllStores, openStore } from '../../nodes/shared/store/open';

export async function main([file, startAt, keys]: string[]): Promise<void> {
	const store = await openStore({ kind: 'sqlite', file });
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
	const now = new Date(Date.UTC(2026, 10, 24, 12));
	const results = await Promise.all(
		Array.from({ length: Number(keys) }, async (_, i) => {
			const claim = { workflowId: 'wf-1', nodeName: 'Webhook Trigger', key: `key-${i}`, deliveryId: randomUUID(), now, windowMs: 60_000, started: true, pendingMs: 60_000 };
			return (await claimDeliveryKey(store, claim)).first ? `key-${i}` : undefined;
		}),
	);
	process.stdout.write(`${JSON.stringify(results.filter((key) => key !== undefined))}\n`);
	await closeAllStores();
}
