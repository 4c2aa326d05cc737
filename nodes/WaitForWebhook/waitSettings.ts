/**
 * The Wait for Webhook node's parameters, checked: which trigger may resume the execution (its
 * path is the scope), the correlation key, and until when it waits. Pure, so every rule is a unit test.
 */
import { keyText, scopeOf } from '../shared/correlation';

export const TIMEOUT_UNITS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export type TimeoutUnit = keyof typeof TIMEOUT_UNITS;

/** n8n keeps a waiting execution in its database; a wait longer than this is almost surely a typo. */
export const MAX_TIMEOUT_MS = 365 * TIMEOUT_UNITS.days;

export interface WaitSettings {
	scope: string;
	key: string;
	timeoutMs: number;
}

export class WaitSettingsError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'WaitSettingsError';
	}
}

export function waitSettings(parameters: { triggerPath: unknown; correlationKey: unknown; timeoutAmount: unknown; timeoutUnit: unknown }): WaitSettings {
	const scope = scopeOf(String(parameters.triggerPath ?? ''));
	if (scope === '') {
		throw new WaitSettingsError('Trigger Path is empty', 'Enter the Path of the Webhook Trigger whose calls should resume this execution.');
	}
	const key = keyText(parameters.correlationKey);
	if (key === undefined) {
		throw new WaitSettingsError(
			'The correlation key is empty',
			'Map the key the resuming call will carry (e.g. {{ $json.orderId }}); it must be a string, number or boolean.',
		);
	}
	const unit = String(parameters.timeoutUnit) as TimeoutUnit;
	const amount = Number(parameters.timeoutAmount);
	if (!Object.prototype.hasOwnProperty.call(TIMEOUT_UNITS, unit) || !Number.isFinite(amount) || amount <= 0) {
		throw new WaitSettingsError('The timeout is invalid', 'Enter a positive amount and a unit (seconds, minutes, hours or days).');
	}
	const timeoutMs = Math.round(amount * TIMEOUT_UNITS[unit]);
	if (timeoutMs < 1_000 || timeoutMs > MAX_TIMEOUT_MS) {
		throw new WaitSettingsError('The timeout is out of range', 'Wait at least 1 second and at most 365 days.');
	}
	return { scope, key, timeoutMs };
}
