/**
 * A separate Node process binding customers in a SQLite store file — stands in for another n8n
 * process on the same host. Run as
 *   node scripts/run-ts.js test/support/sqliteBindWorker.ts <file> <name> <people> <same>
 * It binds <name>-0 … <name>-(people-1)@example.com and then same@example.com <same> times,
 * 8 binds at a time, printing "bound <n>" after every 50 and "done" at the end. With <people> =
 * "hang" it instead opens a transaction, writes a customer, prints "in transaction" and waits
 * there forever (for a SIGKILL).
 */
import { bindCustomer } from '../../nodes/shared/store/customers';
import { closeAllStores, openStore } from '../../nodes/shared/store/open';

export async function main([file, name, people, same]: string[]): Promise<void> {
	const store = await openStore({ kind: 'sqlite', file });
	if (people === 'hang') {
		await store.transaction(async (tx) => {
			await tx.query("INSERT INTO customers (name, email) VALUES ('half written', 'half@example.com')");
			process.stdout.write('in transaction\n');
			await new Promise(() => undefined);
		});
		return;
	}
	const emails = [
		...Array.from({ length: Number(people) }, (_, i) => `${name}-${i}@example.com`),
		...Array<string>(Number(same)).fill('same@example.com'),
	];
	let next = 0;
	let bound = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			while (next < emails.length) {
				await bindCustomer(store, { email: { value: emails[next++], find: true } });
				if (++bound % 50 === 0) process.stdout.write(`bound ${bound}\n`);
			}
		}),
	);
	process.stdout.write('done\n');
	await closeAllStores();
}
