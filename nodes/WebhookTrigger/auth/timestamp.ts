/** Replay window checks for schemes that sign a timestamp (Slack, Stripe, Standard Webhooks, …). */
import { credentialString } from './request';
import type { Rejected } from './types';
import { reject } from './verifier';

export type TimestampCheck =
	| { kind: 'ok'; seconds: number }
	| { kind: 'malformed' }
	/** `skewSeconds` > 0: the timestamp is in the past; < 0: in the future. */
	| { kind: 'outside'; skewSeconds?: number; toleranceSeconds?: number };

export const DEFAULT_TOLERANCE_SECONDS = 300;

// Whole seconds only, no sign: 12 digits covers any plausible date and keeps the number exact.
const SECONDS = /^\d{1,12}$/;

export function checkTimestampSeconds(
	value: string,
	nowMs: number,
	toleranceSeconds: number,
): TimestampCheck {
	if (typeof value !== 'string' || !SECONDS.test(value)) return { kind: 'malformed' };
	const seconds = Number(value);
	// A broken clock must not open the window: a non-finite `now` rejects.
	if (!Number.isFinite(nowMs)) return { kind: 'outside' };
	const skew = nowMs / 1000 - seconds;
	if (Math.abs(skew) > toleranceSeconds) {
		return { kind: 'outside', skewSeconds: Math.round(skew), toleranceSeconds };
	}
	return { kind: 'ok', seconds };
}

/**
 * The credential's "Tolerance (Seconds)": a whole number ≥ 1; blank, zero or nonsense means the
 * default 5 minutes (a window of 0 would reject every real call).
 */
export function toleranceOf(credentials: unknown): number {
	const raw: unknown =
		credentials !== null && typeof credentials === 'object'
			? (credentials as Record<string, unknown>).toleranceSeconds
			: undefined;
	const value = typeof raw === 'number' ? raw : Number(credentialString(credentials, 'toleranceSeconds') || NaN);
	return Number.isFinite(value) && value >= 1 ? Math.floor(value) : DEFAULT_TOLERANCE_SECONDS;
}

/** 401 `timestamp_outside_tolerance`, saying by how much, so an operator can tell a replay from clock skew. */
export function outsideTolerance(check: Extract<TimestampCheck, { kind: 'outside' }>): Rejected {
	const { skewSeconds, toleranceSeconds } = check;
	// Without the numbers (a clock that is not finite): the catalogue's message.
	const message =
		skewSeconds === undefined || toleranceSeconds === undefined
			? undefined
			: `The request timestamp is ${Math.abs(skewSeconds)} s in the ${skewSeconds > 0 ? 'past' : 'future'}; the tolerance is ${toleranceSeconds} s`;
	return reject('timestamp_outside_tolerance', message);
}
