import { REASONS } from '../reasons';
import type { ReasonSpec } from '../reasons';
import type { StatusOf, VerifierCode } from '../replies';
import type { SignatureOutcome } from './hmac-core';
import type { Accepted, Handshake, Redactions, Rejected, SchemeName, Verifier } from './types';

/**
 * A verifier as the modules here implement it: the shared interface plus the static list of
 * secret-bearing fields, so the node can also scrub requests it rejects or answers as a handshake.
 */
/** A credential field the Test button checks, with the label its message uses. */
export interface CredentialField {
	field: string;
	label: string;
}

/** What a credential must hold before it can verify anyone (the Test button checks exactly this). */
export interface CredentialRequirements {
	/** Secrets: non-blank after trimming. */
	secrets?: CredentialField[];
	/** Other fields that must not be blank. */
	required?: CredentialField[];
	/** Header or parameter names an HTTP client can send (RFC 9110 token). */
	httpNames?: CredentialField[];
}

/**
 * A provider's own fields, as data: where its event type and its delivery id are, as payload paths
 * (`body.type`, `headers.x-github-delivery`). Undefined when the provider sends none.
 */
export interface PresetDefaults {
	eventPath?: string;
	deliveryIdPath?: string;
}

export interface SchemeVerifier<C> extends Verifier<C> {
	/** The Authentication option's name and description in the node. */
	displayName: string;
	description: string;
	/** What the credential's Test button checks; the fields the credential class declares. */
	requirements?: CredentialRequirements;
	/** The parsed body as the output may keep it: without a secret the provider sends in it (Graph's clientState). */
	bodyWithoutSecrets?(body: unknown): unknown;
	/** Answers a GET handshake on the node's `setup` webhook (Meta, Dropbox, Okta); other schemes refuse GET with 405. */
	handshakeOnGet?: boolean;
	/** The signature covers the public URL (Twilio): the node passes it in as credential `webhookUrl`. */
	signsPublicUrl?: boolean;
	/**
	 * The signature covers a timestamp checked against the replay window, so a captured call is
	 * refused once the window has passed. Without it a captured call verifies forever (docs/security.md,
	 * Security model: duplicate suppression is not replay protection).
	 */
	signsTimestamp?: boolean;
	/** Set for provider presets. */
	preset?: PresetDefaults;
	/** What this node's credential makes secret (the configured header or parameter name). */
	redactions(credentials: C): Redactions;
	/**
	 * Where this scheme reads a secret or signature by default. Hidden on every node, whatever its
	 * own scheme: a call that also carries another provider's signature must not leak it.
	 */
	secretFields: Redactions;
	/**
	 * True for schemes that compare a token and sign nothing: they can verify a call whose raw
	 * bytes n8n did not keep (multipart). Every other scheme signs the body and refuses such a call.
	 */
	tokenOnly?: boolean;
}

/**
 * A refusal with a code of the reason catalogue (../reasons.ts): its default status and message
 * unless the verifier says more precisely (one of the code's statuses; a message naming the field).
 */
export function reject<C extends VerifierCode>(
	code: C,
	message?: string,
	options: { status?: StatusOf<C>; headers?: Record<string, string> } = {},
): Rejected {
	const spec: ReasonSpec = REASONS[code];
	const status = options.status ?? (spec.statuses[0] as StatusOf<C>);
	const text = message ?? spec.message ?? '';
	const headers = spec.headers || options.headers ? { ...spec.headers, ...options.headers } : undefined;
	return headers ? { kind: 'rejected', status, code, message: text, headers } : { kind: 'rejected', status, code, message: text };
}

export function accept(
	scheme: SchemeName,
	details: Record<string, unknown> = {},
	redact: Partial<Redactions> = {},
): Accepted {
	return {
		kind: 'accepted',
		scheme,
		details,
		redact: { headers: redact.headers ?? [], query: redact.query ?? [] },
	};
}

/** A handshake that echoes text the caller sent, as plain text a browser must never sniff as HTML. */
export function echoedText(text: string): Handshake {
	return { kind: 'handshake', status: 200, contentType: 'text/plain', body: text, headers: { 'X-Content-Type-Options': 'nosniff' } };
}

/** A blank secret must never mean "accept everything". */
export function notConfigured(what: string): Rejected {
	return reject('not_configured', `${what} is not configured for this webhook`);
}

const SIGNATURE_CODES = {
	missing: 'missing_signature',
	malformed: 'malformed_signature',
	mismatch: 'signature_mismatch',
} as const satisfies Record<Exclude<SignatureOutcome, 'valid'>, VerifierCode>;

/** The catalogue's code and message for a signature that is missing, malformed or wrong. */
export function signatureRejection(outcome: Exclude<SignatureOutcome, 'valid'>): Rejected {
	return reject(SIGNATURE_CODES[outcome]);
}

export function noRedactions(): Redactions {
	return { headers: [], query: [] };
}
