/**
 * A separate Node process claiming delivery keys and binding customers in a SQLite store file —
 * stands in for a second n8n process on the same host. Run as
 *   node scripts/run-ts.js test/support/sqliteClaimWorker.ts <file> <startAtMs> <keys> <name>
 * It opens the store (both processes may create and migrate a new file at once), waits until
 * startAtMs so the two work together, claims key-0 … key-(keys-1) concurrently while it binds
 * 50 people of its own (<name>-i@example.com) and the same person 20 times, 8 binds at a time,
 * and prints the keys it won as one JSON line.
 */
import { randomUUID } from 'crypto';
import { bindCustomer } from '../../nodes/shared/store/customers';
import { claimDeliveryKey } from '../../nodes/shared/store/deliveryKeys';
import { closeAllStores, openStore } from '../../nodes/shared/store/open';

export async function main([file, startAt, keys, name]: string[]): Promise<void> {
	const store = await openStore({ kind: 'sqlite', file });
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
	const now = new Date(Date.UTC(2026, 10, 24, 12));
	const results = await Promise.all(
		Array.from({ length: Number(keys) }, async (_, i) => {
			const claim = { workflowId: 'wf-1', nodeName: 'Webhook Trigger', key: `key-${i}`, deliveryId: randomUUID(), now, windowMs: 60_000, started: true, pendingMs: 60_000 };
			return (await claimDeliveryKey(store, claim)).first ? `key-${i}` : undefined;
		}),
	);
	const emails = [...Array.from({ length: 50 }, (_, i) => `${name}-${i}@example.com`), ...Array<string>(20).fill('same@example.com')];
	let next = 0;
	await Promise.all(Array.from({ length: 8 }, async () => {
		while (next < emails.length) await bindCustomer(store, { email: { value: emails[next++], find: true } });
	}));
	process.stdout.write(`${JSON.stringify(results.filter((key) => key !== undefined))}\n`);
	await closeAllStores();
}
