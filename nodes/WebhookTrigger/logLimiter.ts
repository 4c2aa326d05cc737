/**
 * Rate limit for log lines a caller can provoke (configuration errors now, rejections later): the
 * first event of a key in each interval is logged, later ones are counted and reported with the
 * next logged line. A flood yields one line per interval with a count, not a line per call.
 */

export interface LogDecision {
	log: boolean;
	/** Events of this key that were not logged since the last logged line. */
	suppressed: number;
}

interface KeyState {
	windowStart: number;
	suppressed: number;
}

export class LogLimiter {
	private readonly keys = new Map<string, KeyState>();

	constructor(
		private readonly intervalMs = 60_000,
		/** Bound on tracked keys, so many workflows or nodes cannot grow it without end. */
		private readonly maxKeys = 1_000,
	) {}

	take(key: string, now = Date.now()): LogDecision {
		const state = this.keys.get(key);
		if (state !== undefined && now - state.windowStart < this.intervalMs) {
			state.suppressed++;
			return { log: false, suppressed: state.suppressed };
		}
		const suppressed = state?.suppressed ?? 0;
		this.keys.delete(key);
		if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
		this.keys.set(key, { windowStart: now, suppressed: 0 });
		return { log: true, suppressed };
	}
}
