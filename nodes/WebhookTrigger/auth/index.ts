import { bearerVerifier, type BearerCredentials } from './bearer';
import { headerVerifier, type HeaderCredentials } from './header';
import { hmacVerifier, type HmacCredentials } from './hmac';
import { metaVerifier, type MetaCredentials } from './meta';
import { noneVerifier, type NoCredentials } from './none';
import { queryVerifier, type QueryCredentials } from './query';
import { slackVerifier, type SlackCredentials } from './slack';
import { calendlyVerifier } from './presets/calendly';
import { catalogueVerifiers } from './presets/catalogue';
import { discordVerifier } from './presets/discord';
import { sendgridVerifier } from './presets/sendgrid';
import { telnyxVerifier } from './presets/telnyx';
import { githubVerifier } from './presets/github';
import { hotmartVerifier } from './presets/hotmart';
import { intercomVerifier } from './presets/intercom';
import { kiwifyVerifier } from './presets/kiwify';
import { linearVerifier } from './presets/linear';
import { mercadoPagoVerifier } from './presets/mercadoPago';
import { paddleVerifier } from './presets/paddle';
import { shopifyVerifier } from './presets/shopify';
import type { SigningSecretCredentials } from './presets/signed';
import { standardWebhooksVerifier } from './presets/standardWebhooks';
import { stripeVerifier } from './presets/stripe';
import { asanaVerifier } from './presets/asana';
import { dropboxVerifier } from './presets/dropbox';
import { oktaVerifier } from './presets/okta';
import { microsoftGraphVerifier } from './presets/microsoftGraph';
import { twitchVerifier } from './presets/twitch';
import { wiseVerifier } from './presets/wise';
import { twilioVerifier, type TwilioCredentials } from './presets/twilio';
import { typeformVerifier } from './presets/typeform';
import { woocommerceVerifier } from './presets/woocommerce';
import { zoomVerifier } from './presets/zoom';
import type { Redactions, VerificationRequest, VerificationResult } from './types';
import {
	reject,
	type CredentialField,
	type CredentialRequirements,
	type PresetDefaults,
	type SchemeVerifier,
} from './verifier';

export type * from './types';
export type {
	BearerCredentials,
	HeaderCredentials,
	HmacCredentials,
	MetaCredentials,
	NoCredentials,
	QueryCredentials,
	CredentialField,
	CredentialRequirements,
	PresetDefaults,
	SchemeVerifier,
	SigningSecretCredentials,
	SlackCredentials,
	TwilioCredentials,
};

/**
 * The one list of schemes. The node's Authentication options, its credential list and each
 * credential's Test-button check are derived from it: a preset is one module plus one line here.
 */
export const verifiers = {
	none: noneVerifier,
	bearer: bearerVerifier,
	header: headerVerifier,
	query: queryVerifier,
	hmac: hmacVerifier,
	slack: slackVerifier,
	meta: metaVerifier,
	stripe: stripeVerifier,
	github: githubVerifier,
	standardWebhooks: standardWebhooksVerifier,
	shopify: shopifyVerifier,
	twilio: twilioVerifier,
	zoom: zoomVerifier,
	paddle: paddleVerifier,
	mercadoPago: mercadoPagoVerifier,
	typeform: typeformVerifier,
	calendly: calendlyVerifier,
	woocommerce: woocommerceVerifier,
	intercom: intercomVerifier,
	linear: linearVerifier,
	hotmart: hotmartVerifier,
	kiwify: kiwifyVerifier,
	discord: discordVerifier,
	telnyx: telnyxVerifier,
	sendgrid: sendgridVerifier,
	wise: wiseVerifier,
	twitch: twitchVerifier,
	dropbox: dropboxVerifier,
	asana: asanaVerifier,
	okta: oktaVerifier,
	microsoftGraph: microsoftGraphVerifier,
	// Common-shape presets as data (presets/catalogue.ts).
	...catalogueVerifiers,
} satisfies Record<string, SchemeVerifier<never>>;

/** Every scheme's name: the registry's keys. */
export type AuthScheme = keyof typeof verifiers;

export const AUTH_SCHEMES = Object.keys(verifiers) as readonly AuthScheme[];

export function isAuthScheme(value: unknown): value is AuthScheme {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(verifiers, value);
}

/** The n8n credential type a scheme needs, or undefined for `none`. */
export function credentialTypeFor(scheme: AuthScheme): string | undefined {
	return isAuthScheme(scheme) ? verifiers[scheme].credentialType : undefined;
}

const ALL = Object.values(verifiers) as ReadonlyArray<SchemeVerifier<unknown>>;

/** Schemes whose signature covers the URL the provider called (the node passes it as `webhookUrl`). */
export function signsPublicUrl(scheme: AuthScheme): boolean {
	return isAuthScheme(scheme) && verifiers[scheme].signsPublicUrl === true;
}

/**
 * This webhook's URL as n8n publishes it (WEBHOOK_URL, not the Host a proxy forwarded), with the
 * call's own query string; the test URL when the call came to /webhook-test/.
 */
export function publicWebhookUrl(context: {
	getNodeWebhookUrl(name: 'default'): string | undefined;
	getRequestObject(): { originalUrl?: string; url?: string };
}): string {
	const base = context.getNodeWebhookUrl('default') ?? '';
	const request = context.getRequestObject();
	const received = request.originalUrl ?? request.url ?? '';
	const query = received.indexOf('?');
	const path = query >= 0 ? received.slice(0, query) : received;
	const url = path.includes('/webhook-test/') ? base.replace(/\/webhook\/(?!.*\/webhook\/)/, '/webhook-test/') : base;
	return url + (query >= 0 ? received.slice(query) : '');
}

/** The body an accepted call's output keeps: the scheme's secrets in it removed (Graph's clientState). */
export function bodyForOutput(scheme: AuthScheme, body: unknown): unknown {
	const strip = isAuthScheme(scheme) ? (verifiers[scheme] as SchemeVerifier<unknown>).bodyWithoutSecrets : undefined;
	return strip ? strip(body) : body;
}

/** Schemes that answer a provider's GET handshake on the `setup` webhook; the others refuse GET with 405. */
export function answersGet(scheme: AuthScheme): boolean {
	return isAuthScheme(scheme) && verifiers[scheme].handshakeOnGet === true;
}

/** Whether the scheme signs the body, so needs the raw bytes n8n keeps for all but multipart. */
export function signsBody(scheme: AuthScheme): boolean {
	return isAuthScheme(scheme) && verifiers[scheme].tokenOnly !== true;
}

/** A preset's event path and delivery id path, so the node can pre-fill Event Path and the duplicate key. */
export function presetDefaults(scheme: string): PresetDefaults {
	return isAuthScheme(scheme) ? { ...verifiers[scheme].preset } : {};
}

/** The node's Authentication options, alphabetical by name as n8n's lint and editor expect. */
export function authenticationOptions(): Array<{ name: string; value: AuthScheme; description: string }> {
	return AUTH_SCHEMES.map((scheme) => ({
		name: verifiers[scheme].displayName,
		value: scheme,
		// The editor cannot pre-fill Event Path from this choice; saying where the event is helps.
		description: verifiers[scheme].preset?.eventPath
			? `${verifiers[scheme].description}. Event Path: ${verifiers[scheme].preset?.eventPath}`
			: verifiers[scheme].description,
	})).sort((a, b) => a.name.localeCompare(b.name));
}

/** Where the node shows a credential type: required, for every scheme that uses it. */
export function credentialShownFor(credentialType: string): {
	required: true;
	displayOptions: { show: { authentication: AuthScheme[] } };
} {
	const authentication = AUTH_SCHEMES.filter((scheme) => verifiers[scheme].credentialType === credentialType);
	return { required: true, displayOptions: { show: { authentication } } };
}

/** What the Test button checks for a credential type: the union over the schemes using it. */
export function credentialRequirements(credentialType: string): CredentialRequirements | undefined {
	const users = ALL.filter((verifier) => verifier.credentialType === credentialType);
	if (users.length === 0) return undefined;
	const merge = (pick: (r: CredentialRequirements) => CredentialField[] | undefined) => {
		const seen = new Map<string, CredentialField>();
		for (const verifier of users) for (const field of pick(verifier.requirements ?? {}) ?? []) seen.set(field.field, field);
		return [...seen.values()];
	};
	return {
		httpNames: merge((r) => r.httpNames),
		required: merge((r) => r.required),
		secrets: merge((r) => r.secrets),
	};
}

/** Credential-bearing headers of HTTP itself, never part of a scheme but never to be kept. */
export const HTTP_CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Every field any scheme reads a secret or signature from, plus HTTP's own credential headers. */
export const KNOWN_SECRET_FIELDS: Redactions = {
	headers: [...new Set([...HTTP_CREDENTIAL_HEADERS, ...ALL.flatMap((v) => v.secretFields.headers)])],
	query: [...new Set(ALL.flatMap((v) => v.secretFields.query))],
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

/** The headers and query parameters this scheme reads its secret or signature from, for this credential. */
export function schemeFields(scheme: AuthScheme, credentials: unknown): Redactions {
	if (!isAuthScheme(scheme)) return { headers: [], query: [] };
	const own = (verifiers[scheme] as SchemeVerifier<unknown>).redactions(credentials);
	const defaults = verifiers[scheme].secretFields;
	return {
		headers: [...new Set([...own.headers, ...defaults.headers])],
		query: [...new Set([...own.query, ...defaults.query])],
	};
}

/**
 * Where this credential makes the scheme look for its signature or secret: the credential's own
 * header or query parameter when it names one, else the scheme's defaults. (schemeFields() adds
 * the defaults to hide them as well; an explanation must name only where the node looked.)
 */
export function expectedFields(scheme: AuthScheme, credentials: unknown): Redactions {
	if (!isAuthScheme(scheme)) return { headers: [], query: [] };
	const own = (verifiers[scheme] as SchemeVerifier<unknown>).redactions(credentials);
	return own.headers.length + own.query.length > 0 ? own : verifiers[scheme].secretFields;
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
		return reject('not_configured', 'Unknown authentication scheme');
	}
	try {
		return (verifiers[scheme] as SchemeVerifier<unknown>).verify(request, credentials);
	} catch {
		return reject('verification_error');
	}
}
