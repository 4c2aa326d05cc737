/**
 * Event routing, the n8n Switch V3 pattern: one output per case plus a final `else`, computed from
 * the node's parameters by an expression, and a pure function that picks the output for an event.
 */
import type { INodeOutputConfiguration } from 'n8n-workflow';

export interface RoutingCase {
	label?: string;
	value?: string;
}

export interface RoutingParameters {
	eventPath?: string;
	cases?: { values?: RoutingCase[] };
}

export interface RouteResult {
	/** Output index: the first matching case, or `cases.length` (the `else` output). */
	index: number;
	/** The matched case's output name (as {@link configuredOutputs} shows it), or null for else. */
	case: string | null;
}

/**
 * The node's outputs for the given parameters. Without an event path (empty or blank) routing is
 * off and the node has ONE unnamed output, like any trigger. With an event path: one output per
 * case, named by its label (else its value, else `Case N`), then `else`, so there are always
 * `cases.length + 1` outputs, matching {@link routeEvent}'s indexes.
 *
 * n8n evaluates this in the editor and the backend as `={{(<source of this function>)($parameter)}}`,
 * so its body must stand alone: no imports or helpers, no spread, `?.` or `??` (tsc would emit
 * helpers or temporaries for es2019), only plain loops and conditions. test/unit/routing.test.ts
 * evaluates the compiled source with n8n's own expression engine to keep it that way.
 * If the expression throws, n8n silently gives the node zero outputs, hence the defensive checks.
 */
export function configuredOutputs(parameters: RoutingParameters): INodeOutputConfiguration[] {
	const eventPath = parameters ? parameters.eventPath : undefined;
	if (typeof eventPath !== 'string' || eventPath.trim() === '') {
		return [{ type: 'main' }];
	}
	const outputs: INodeOutputConfiguration[] = [];
	const values = parameters.cases && Array.isArray(parameters.cases.values) ? parameters.cases.values : [];
	for (let i = 0; i < values.length; i++) {
		const item = values[i] || {};
		const label = item.label === undefined || item.label === null ? '' : String(item.label).trim();
		const value = item.value === undefined || item.value === null ? '' : String(item.value).trim();
		let name = label;
		if (name === '') name = value;
		if (name === '') name = 'Case ' + (i + 1);
		outputs.push({ type: 'main', displayName: name });
	}
	outputs.push({ type: 'main', displayName: 'else' });
	return outputs;
}

/** Same test as {@link configuredOutputs} uses: routing is on when the event path is not blank. */
export function isRoutingEnabled(eventPath: unknown): boolean {
	return typeof eventPath === 'string' && eventPath.trim() !== '';
}

function caseText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

/**
 * Picks the output for an event value: the FIRST case whose value equals `String(value)` exactly
 * (case-sensitive, no trimming), so `123` and `true` in a payload match cases "123" and "true".
 * null, undefined, objects and arrays never match and go to `else`.
 */
export function routeEvent(value: unknown, cases: RoutingCase[]): RouteResult {
	const list = Array.isArray(cases) ? cases : [];
	const elseResult: RouteResult = { index: list.length, case: null };
	const type = typeof value;
	if (type !== 'string' && type !== 'number' && type !== 'boolean' && type !== 'bigint') return elseResult;
	const text = String(value);
	for (let i = 0; i < list.length; i++) {
		const item = list[i] || {};
		if (caseText(item.value) !== text) continue;
		const label = caseText(item.label).trim();
		const fallback = caseText(item.value).trim();
		return { index: i, case: label !== '' ? label : fallback !== '' ? fallback : 'Case ' + (i + 1) };
	}
	return elseResult;
}

/**
 * Splits items into the node's outputs by their `event.value`, as {@link routeEvent} picks: the
 * trigger's `execute()` step, which routes what its `webhook()` admitted. Routing off: one output.
 */
export function routeItems<T extends { json: Record<string, unknown> }>(
	items: T[],
	eventPath: unknown,
	cases: RoutingCase[],
): T[][] {
	if (!isRoutingEnabled(eventPath)) return [items];
	const list = Array.isArray(cases) ? cases : [];
	const outputs: T[][] = Array.from({ length: list.length + 1 }, () => []);
	for (const item of items) {
		const event = item.json.event as { value?: unknown } | null | undefined;
		outputs[routeEvent(event?.value, list).index].push(item);
	}
	return outputs;
}
