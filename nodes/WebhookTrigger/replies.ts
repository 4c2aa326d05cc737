/**
 * Answers built from the reason catalogue (reasons.ts): the JSON `{error, message}` replies, the
 * answers with a body of their own, and how the delivery log files each code.
 */
import type { DeliveryOutcome } from '../shared/store/deliveries';
import { REASONS, type Catalogue, type ReasonCode, type ReasonSpec } from './reasons';

/** The statuses `code` is answered with. */
export type StatusOf<C extends ReasonCode> = Catalogue[C]['statuses'][number];

/** Codes answered `{ error: code, message }` (replyFor). */
export type ErrorCode = { [C in ReasonCode]: Catalogue[C] extends { message: string } ? C : never }[ReasonCode];

/** Codes answered with a body of their own (answerFor): a handshake, a duplicate. */
export type OwnBodyCode = Exclude<{ [C in ReasonCode]: Catalogue[C]['statuses'] extends readonly [] ? never : C }[ReasonCode], ErrorCode>;

/** Codes a verifier rejects with (`reject` in auth/verifier.ts). */
export type VerifierCode = { [C in ErrorCode]: Catalogue[C]['from'] extends 'verifier' ? C : never }[ErrorCode];

/** An answer that starts no execution, as the node writes it. */
export interface Reply {
	kind: 'reply';
	status: number;
	headers: Record<string, string>;
	contentType: string;
	body: string;
	/** The stable reason the delivery log records: the JSON's `error`, or `handshake`, `duplicate`. */
	code: ReasonCode;
}

export interface ReplyOverrides<C extends ErrorCode> {
	/** One of the code's statuses (default: its first). */
	status?: StatusOf<C>;
	/** A more specific message than the catalogue's. */
	message?: string;
	/** More fields of the JSON body (`errors` of a schema violation). */
	extra?: Record<string, unknown>;
	/** More headers (`Allow`, `WWW-Authenticate`), after the catalogue's. */
	headers?: Record<string, string>;
}

function headersOf(code: ReasonCode, more: Record<string, string> | undefined): Record<string, string> {
	const spec: ReasonSpec = REASONS[code];
	return { ...spec.headers, ...more };
}

/** The answer `{ error: code, message, ...extra }` as JSON, with the code's status and headers. */
export function replyFor<C extends ErrorCode>(code: C, overrides: ReplyOverrides<C> = {}): Reply {
	const spec: ReasonSpec = REASONS[code];
	return {
		kind: 'reply',
		status: overrides.status ?? spec.statuses[0],
		headers: headersOf(code, overrides.headers),
		contentType: 'application/json',
		body: JSON.stringify({ error: code, message: overrides.message ?? spec.message, ...overrides.extra }),
		code,
	};
}

/** An answer with a body of its own (a handshake's challenge, a duplicate's first delivery). */
export function answerFor<C extends OwnBodyCode>(
	code: C,
	body: string,
	options: { status?: StatusOf<C>; contentType?: string; headers?: Record<string, string> } = {},
): Reply {
	const spec: ReasonSpec = REASONS[code];
	return {
		kind: 'reply',
		status: options.status ?? spec.statuses[0],
		headers: headersOf(code, options.headers),
		contentType: options.contentType ?? 'application/json',
		body,
		code,
	};
}

/** How the delivery log files an answer that started nothing. */
export function outcomeOf(code: ReasonCode): DeliveryOutcome {
	return REASONS[code].outcome;
}
