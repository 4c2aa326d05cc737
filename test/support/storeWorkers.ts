import { fork } from 'child_process';
import type { ChildProcess } from 'child_process';
import { join } from 'path';
import type { WorkerCommand, WorkerReply } from './embeddedStoreWorker';

const root = join(__dirname, '..', '..');

/** The parent's handle on one embeddedStoreWorker process: one command at a time, replies in order. */
export class StoreWorker {
	private readonly replies: WorkerReply[] = [];

	private waiting: Array<(reply: WorkerReply) => void> = [];

	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

	private constructor(readonly child: ChildProcess) {
		child.on('message', (reply: WorkerReply) => {
			const next = this.waiting.shift();
			if (next) next(reply);
			else this.replies.push(reply);
		});
		this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	}

	get pid(): number {
		return this.child.pid as number;
	}

	/** Starts a worker on `dataDir` and waits until its modules are loaded. */
	static async start(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<StoreWorker> {
		const child = fork(join(root, 'scripts', 'run-ts.js'), [join(__dirname, 'embeddedStoreWorker.ts'), dataDir], {
			cwd: root,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const worker = new StoreWorker(child);
		const ready = await worker.reply();
		if (!ready.ok) throw new Error(`worker did not start: ${ready.message}`);
		return worker;
	}

	private async reply(): Promise<WorkerReply> {
		const queued = this.replies.shift();
		if (queued) return queued;
		return await new Promise<WorkerReply>((resolve, reject) => {
			this.waiting.push(resolve);
			this.exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal})`)), reject);
		});
	}

	async send(command: WorkerCommand): Promise<WorkerReply> {
		this.child.send(command);
		return await this.reply();
	}

	/** Disconnects (the worker closes its store and exits normally) and waits for the exit. */
	async stop(): Promise<void> {
		if (this.child.connected) this.child.disconnect();
		await this.exited;
	}
}
