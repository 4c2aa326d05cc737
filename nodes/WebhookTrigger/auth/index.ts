import { bearerVerifier, type BearerCredentials } from './bearer';
import { headerVerifier, type HeaderCredentials } from './header';
import { hmacVerifier, type HmacCredentials } from './hmac';
import { metaVerifier, type MetaCredentials } from './meta';
import { noneVerifier, type NoCredentials } from './none';
import { queryVerifier, type QueryCredentials } from './query';
import { slackVerifier, type SlackCredentials } from './slack';
import type { AuthScheme, Redactions, VerificationRequest, VerificationResult } from './types';
import { reject, type SchemeVerifier } from './verifier';

export type * from './types';
export type {
	BearerCredentials,
	HeaderCredentials,
	HmacCredentials,
	MetaCredentials,
	NoCredentials,
	QueryCredentials,
	SchemeVerifier,
	SlackCredentials,
};

/** The credential shape each scheme's verifier reads. */
export interface CredentialsByScheme {
	none: NoCredentials;
	bearer: BearerCredentials;
	header: HeaderCredentials;
	query: QueryCredentials;
	hmac: HmacCredentials;
	slack: SlackCredentials;
	meta: MetaCredentials;
}

export type VerifierRegistry = { readonly [S in AuthScheme]: SchemeVerifier<CredentialsByScheme[S]> };

export const verifiers: VerifierRegistry = {
	none: noneVerifier,
	bearer: bearerVerifier,
	header: headerVerifier,
	query: queryVerifier,
	hmac: hmacVerifier,
	slack: slackVerifier,
	meta: metaVerifier,
};

export const AUTH_SCHEMES = Object.keys(verifiers) as readonly AuthScheme[];

export function isAuthScheme(value: unknown): value is AuthScheme {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(verifiers, value);
}

/** The n8n credential type a scheme needs, or undefined for `none`. */
export function credentialTypeFor(scheme: AuthScheme): string | undefined {
	return isAuthScheme(scheme) ? verifiers[scheme].credentialType : undefined;
}

/** Credential-bearing headers of HTTP itself, never part of a scheme but never to be kept. */
const HTTP_CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Every field any scheme reads a secret or signature from, plus HTTP's own credential headers. */
export const KNOWN_SECRET_FIELDS: Redactions = {
	headers: [...new Set([...HTTP_CREDENTIAL_HEADERS, ...Object.values(verifiers).flatMap((v) => v.secretFields.headers)])],
	query: [...new Set(Object.values(verifiers).flatMap((v) => v.secretFields.query))],
};

/**
 * Fields to hide whatever the outcome (also for rejected calls and handshakes): every known
 * secret-bearing field, plus the names this node's own credential configures.
 */
export function redactionsFor(scheme: AuthScheme, credentials: unknown): Redactions {
	if (!isAuthScheme(scheme)) return KNOWN_SECRET_FIELDS;
	const own = (verifiers[scheme] as SchemeVerifier<unknown>).redactions(credentials);
	return {
		headers: [...KNOWN_SECRET_FIELDS.headers, ...own.headers],
		query: [...KNOWN_SECRET_FIELDS.query, ...own.query],
	};
}

/**
 * The node's entry point. Credentials arrive untyped from n8n (`getCredentials`); every verifier
 * checks them at run time, so one cast here is safe. Fails closed: an unknown scheme or an
 * unexpected exception is a rejection, never an acceptance.
 */
export function verifyRequest(
	scheme: AuthScheme,
	request: VerificationRequest,
	credentials: unknown,
): VerificationResult {
	if (!isAuthScheme(scheme)) {
		return reject(401, 'not_configured', 'Unknown authentication scheme');
	}
	try {
		return (verifiers[scheme] as SchemeVerifier<unknown>).verify(request, credentials);
	} catch {
		return reject(401, 'verification_error', 'The request could not be verified');
	}
}
