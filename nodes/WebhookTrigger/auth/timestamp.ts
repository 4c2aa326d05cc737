/** Replay window checks for schemes that sign a timestamp (Slack today; Stripe, Standard Webhooks later). */

export type TimestampCheck =
	| { kind: 'ok'; seconds: number }
	| { kind: 'malformed' }
	| { kind: 'outside' };

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
	if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) return { kind: 'outside' };
	return { kind: 'ok', seconds };
}
