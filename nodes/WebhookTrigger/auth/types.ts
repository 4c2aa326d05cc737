/**
 * One verifier per auth scheme, all behind this interface. A verifier is a pure function of the
 * request (raw body bytes, headers, query), the scheme's credential and the current time: no I/O,
 * so every case is a plain unit test. The node wires the result to an HTTP answer.
 */
import type { StatusOf, VerifierCode } from '../replies';

/**
 * A scheme's name, e.g. `bearer` or `stripe`. The set of names is the verifier registry's keys
 * (`AuthScheme` in ./index.ts), so adding a preset does not touch this file.
 */
export type SchemeName = string;

export interface VerificationRequest {
	/** Upper-case HTTP method. */
	method: string;
	/** Header names lower-cased, as Node's http module gives them. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed query string (Express/qs shape). */
	query: Record<string, unknown>;
	/** Exactly the bytes the caller sent (n8n's `req.rawBody`); empty Buffer when there was no body. */
	rawBody: Buffer;
	/** The body n8n parsed (JSON object, form fields, text); used for handshakes like Slack url_verification. */
	body: unknown;
	/** Milliseconds since the epoch; a parameter so replay windows are testable. */
	now: number;
}

/** What the node must hide from output items and saved execution data. */
export interface Redactions {
	headers: string[];
	query: string[];
}

/** The call is authentic: run the workflow. `details` lands in the item's `verification` field. */
export interface Accepted {
	kind: 'accepted';
	scheme: SchemeName;
	details: Record<string, unknown>;
	redact: Redactions;
}

/** The call is refused: answer `{ error: code, message }` with `status`, start no execution. */
export interface Rejected {
	kind: 'rejected';
	status: StatusOf<VerifierCode>;
	/** Stable machine-readable reason of the catalogue (../reasons.ts), e.g. `missing_signature`, `timestamp_outside_tolerance`. */
	code: VerifierCode;
	/** Short human text. Never contains a secret or the expected signature. */
	message: string;
	/** Extra response headers, e.g. `WWW-Authenticate` for bearer. */
	headers?: Record<string, string>;
}

/** A provider handshake (Slack url_verification, Meta hub.challenge): answer it, start no execution. */
export interface Handshake {
	kind: 'handshake';
	status: StatusOf<'handshake'>;
	contentType: 'application/json' | 'text/plain';
	body: string;
	/** Response headers the provider expects (Asana's X-Hook-Secret echoed, Dropbox's nosniff). */
	headers?: Record<string, string>;
}

export type VerificationResult = Accepted | Rejected | Handshake;

export interface Verifier<C> {
	scheme: SchemeName;
	/** n8n credential type name holding C, or undefined for a scheme without secrets. */
	credentialType?: string;
	verify(request: VerificationRequest, credentials: C): VerificationResult;
}
