/**
 * A separate Node process that uses the embedded store, driven by its parent over IPC — stands in
 * for a second n8n process on the same data folder. Started with
 *   fork('scripts/run-ts.js', ['test/support/embeddedStoreWorker.ts', dataDir])
 * so it runs the TypeScript sources under Node's own loader (no jest VM, no build needed).
 * Commands: open, bind {count, prefix}, count, close, crash (SIGKILL itself: leaves its lock behind).
 */
import { bindCustomer } from '../../nodes/shared/store/customers';
import { openStore } from '../../nodes/shared/store/open';
import type { Store } from '../../nodes/shared/store/types';

export type WorkerCommand =
	| { cmd: 'open' }
	| { cmd: 'bind'; count: number; prefix: string }
	| { cmd: 'count' }
	| { cmd: 'close' }
	| { cmd: 'crash' };

export type WorkerReply =
	| { ok: true; value?: unknown }
	| { ok: false; name: string; message: string; description?: string };

export async function main([dataDir]: string[]): Promise<void> {
	let store: Store | undefined;
	const handle = async (command: WorkerCommand): Promise<unknown> => {
		switch (command.cmd) {
			case 'open':
				store = await openStore({ kind: 'embedded', dataDir });
				return undefined;
			case 'bind': {
				const open = store as Store;
				for (let i = 0; i < command.count; i++) {
					await bindCustomer(open, { email: { value: `${command.prefix}-${i}@example.com`, find: true } });
				}
				return (await open.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n;
			}
			case 'count':
				return (await (store as Store).query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n;
			case 'close':
				await store?.close();
				store = undefined;
				return undefined;
			case 'crash':
				process.kill(process.pid, 'SIGKILL');
				return undefined;
		}
	};
	process.on('message', (command: WorkerCommand) => {
		handle(command).then(
			(value) => process.send?.({ ok: true, value } satisfies WorkerReply),
			(error: Error & { description?: string }) =>
				process.send?.({ ok: false, name: error.name, message: error.message, description: error.description } satisfies WorkerReply),
		);
	});
	process.send?.({ ok: true, value: 'ready' } satisfies WorkerReply);
	// Stay alive until the parent disconnects; then exit normally so 'exit' handlers run.
	await new Promise<void>((resolve) => process.once('disconnect', resolve));
	await store?.close().catch(() => undefined);
	process.exit(0);
}
