/**
 * Runs a last flush when n8n is stopped cleanly (SIGTERM, SIGINT): what the delivery log buffers
 * for its next write is written at the signal, instead of relying on n8n's shutdown to outlast the
 * write interval (it did, at 1-3 s, in the e2e runs of both lines; nothing in n8n promises it).
 *
 * n8n calls no node code on shutdown for a webhook node. Checked in n8n 1.123.81 and 2.41.1
 * (packages/cli commands): Start.stopProcess closes only trigger and polling nodes
 * (ActiveWorkflowManager.removeAllTriggerAndPollerBasedWorkflows in 1.x,
 * removeAllNonWebhookTriggerWorkflows in 2.x, then closeFunction), Webhook.stopProcess and
 * Worker.stopProcess run the 'n8n.stop' external hook and ActiveExecutions.shutdown. What every
 * command does on both lines: BaseCommand.init registers
 * `process.once('SIGTERM' | 'SIGINT', this.onTerminationSignal(signal))`, whose handler runs
 * ShutdownService.shutdown + waitForShutdown (HTTP server, task runner, ...), then stopProcess, which
 * waits for running executions and ends in exitSuccessfully: process.exit(). Only a timer of
 * N8N_GRACEFUL_SHUTDOWN_TIMEOUT (default 30 s) exits earlier (exitWithCrash). So a flush started
 * from our own listener on the same signal runs while n8n shuts down and has that time to finish.
 * Not covered: `n8n start` in a terminal reads Ctrl-C as a key (stdin in raw mode) and calls
 * onTerminationSignal itself, with no signal; the interval write still runs during that shutdown.
 *
 * n8n's shutdown is left as it is: the listener is added in front of n8n's (so the flush starts
 * first), starts the flush without awaiting it, and removes itself (`once`, like n8n's) so a second
 * signal still finds Node's default. It is added once per process and signal, and only when the
 * process already handles that signal: in a process that does not (a test runner, a script),
 * adding one would turn Node's "terminate at once" into "ignore", so nothing is added there; if
 * the process stopped handling the signal since, the listener raises it again at once.
 */

export type StopSignal = 'SIGTERM' | 'SIGINT';

export const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** The part of `process` used here: the seam unit tests replace. */
export interface SignalTarget {
	listenerCount(signal: StopSignal): number;
	prependOnceListener(signal: StopSignal, listener: () => void): unknown;
	/** Sends the signal to this process again (`process.kill(process.pid, signal)`). */
	raise(signal: StopSignal): void;
}

export const processSignals: SignalTarget = {
	listenerCount: (signal) => process.listenerCount(signal),
	prependOnceListener: (signal, listener) => process.prependOnceListener(signal, listener),
	raise: (signal) => process.kill(process.pid, signal),
};

/** A last flush; it must not reject (its problems go to its own reporter). */
export type StopTask = () => Promise<void>;

export interface StopRegistry {
	tasks: Set<StopTask>;
	hooked: Set<StopSignal>;
}

/**
 * What this process has hooked, shared by every copy of this module loaded in it (n8n could load
 * two versions of the package): one listener per signal, running the tasks of every copy.
 */
const processRegistry: StopRegistry = ((globalThis as Record<symbol, unknown>)[Symbol.for('n8n-nodes-webhook-gateway.flushOnStop')] ??= {
	tasks: new Set<StopTask>(),
	hooked: new Set<StopSignal>(),
}) as StopRegistry;

/**
 * Runs `task` when this process gets SIGTERM or SIGINT, along with the process's own handling of
 * the signal. Cheap to call again: a task is kept once, a signal is hooked once.
 */
export function flushOnStop(task: StopTask, target: SignalTarget = processSignals, registry: StopRegistry = processRegistry): void {
	registry.tasks.add(task);
	for (const signal of STOP_SIGNALS) {
		if (registry.hooked.has(signal) || target.listenerCount(signal) === 0) continue;
		registry.hooked.add(signal);
		target.prependOnceListener(signal, () => {
			// Ours is gone already (once): any listener left is the process's own handling.
			if (target.listenerCount(signal) === 0) {
				target.raise(signal);
				return;
			}
			for (const run of registry.tasks) {
				try {
					void run().catch(() => undefined);
				} catch {
					// A task must not throw; if one does, n8n's shutdown goes on regardless.
				}
			}
		});
	}
}
