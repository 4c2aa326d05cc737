import type { SchemeVerifier } from '../verifier';
import { commonPreset, type CommonSpec } from './common';
import type { SigningSecretCredentials } from './signed';
import { tokenPreset, type TokenSpec } from './token';
import { COMMERCE_AND_PAYMENTS } from './catalogueCommerce';

/**
 * Providers that sign in a common shape, as data (./common.ts) or send a plain token (./token.ts).
 * Adding one is one entry here plus one test file (test/unit/auth/presets/<scheme>.test.ts); the
 * registry, the node's Authentication list, its credential and the property tests pick it up.
 * Cookbook: docs/providers.md.
 */
export type CatalogueEntry = ({ kind: 'hmac' } & CommonSpec) | ({ kind: 'token' } & TokenSpec);

const SVIX = {
	kind: 'hmac',
	header: 'svix-signature',
	algorithm: 'sha256',
	encoding: 'base64',
	prefix: 'v1,',
	list: ' ',
	idHeader: 'svix-id',
	timestamp: { header: 'svix-timestamp', unit: 'seconds' },
	signs: ['id', { text: '.' }, 'timestamp', { text: '.' }, 'body'],
	key: 'whsec',
	preset: { eventPath: 'body.type', deliveryIdPath: 'headers.svix-id' },
} as const satisfies Partial<CatalogueEntry>;

export const CATALOGUE = {
	...COMMERCE_AND_PAYMENTS,
	// Developer tools and operations
	gitlab: {
		kind: 'token',
		displayName: 'GitLab',
		description: 'The secret token in X-Gitlab-Token',
		docs: 'https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token',
		header: 'x-gitlab-token',
		preset: { eventPath: 'headers.x-gitlab-event', deliveryIdPath: 'headers.x-gitlab-event-uuid' },
	},
	bitbucket: {
		kind: 'hmac',
		displayName: 'Bitbucket',
		description: 'X-Hub-Signature (sha256=…) with the webhook secret',
		docs: 'https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/',
		header: 'x-hub-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		prefix: 'sha256=',
		signs: ['body'],
		preset: { eventPath: 'headers.x-event-key', deliveryIdPath: 'headers.x-request-uuid' },
	},
	sentry: {
		kind: 'hmac',
		displayName: 'Sentry',
		description: 'Sentry-Hook-Signature (hex) with the integration client secret',
		docs: 'https://docs.sentry.io/integrations/integration-platform/webhooks/',
		header: 'sentry-hook-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		signs: ['body'],
		preset: { eventPath: 'headers.sentry-hook-resource', deliveryIdPath: 'headers.request-id' },
	},
	vercel: {
		kind: 'hmac',
		displayName: 'Vercel',
		description: 'x-vercel-signature (HMAC-SHA1, hex)',
		docs: 'https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks',
		header: 'x-vercel-signature',
		algorithm: 'sha1',
		encoding: 'hex',
		signs: ['body'],
		preset: { eventPath: 'body.type', deliveryIdPath: 'body.id' },
	},
	pagerDuty: {
		kind: 'hmac',
		displayName: 'PagerDuty',
		description: 'X-PagerDuty-Signature (v1=…, several while rotating)',
		docs: 'https://developer.pagerduty.com/docs/verifying-webhook-signatures',
		header: 'x-pagerduty-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		fields: { separator: ',', signature: 'v1' },
		signs: ['body'],
		preset: { eventPath: 'body.event.event_type', deliveryIdPath: 'body.event.id' },
	},
	circleci: {
		kind: 'hmac',
		displayName: 'CircleCI',
		description: 'circleci-signature (v1=…)',
		docs: 'https://circleci.com/docs/outbound-webhooks/#validate-webhooks',
		header: 'circleci-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		fields: { separator: ',', signature: 'v1' },
		signs: ['body'],
		preset: { eventPath: 'headers.circleci-event-type', deliveryIdPath: 'body.id' },
	},
	heroku: {
		kind: 'hmac',
		displayName: 'Heroku',
		description: 'Heroku-Webhook-Hmac-SHA256 (base64)',
		docs: 'https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests',
		header: 'heroku-webhook-hmac-sha256',
		algorithm: 'sha256',
		encoding: 'base64',
		signs: ['body'],
		preset: { eventPath: 'body.resource', deliveryIdPath: 'headers.heroku-webhook-id' },
	},
	// CRM and support
	hubspot: {
		kind: 'hmac',
		displayName: 'HubSpot',
		description: 'X-HubSpot-Signature-v3 over method, URL, body and timestamp, with a replay window',
		docs: 'https://developers.hubspot.com/docs/api/webhooks/validating-requests',
		header: 'x-hubspot-signature-v3',
		algorithm: 'sha256',
		encoding: 'base64',
		timestamp: { header: 'x-hubspot-request-timestamp', unit: 'milliseconds' },
		signs: ['method', 'url', 'body', 'timestamp'],
		alsoHide: ['x-hubspot-signature'],
		preset: { eventPath: 'body.0.subscriptionType', deliveryIdPath: 'body.0.eventId' },
	},
	zendesk: {
		kind: 'hmac',
		displayName: 'Zendesk',
		description: 'X-Zendesk-Webhook-Signature over the timestamp and the body, with a replay window',
		docs: 'https://developer.zendesk.com/documentation/webhooks/verifying/',
		header: 'x-zendesk-webhook-signature',
		algorithm: 'sha256',
		encoding: 'base64',
		timestamp: { header: 'x-zendesk-webhook-signature-timestamp', unit: 'iso' },
		signs: ['timestamp', 'body'],
		preset: { eventPath: 'body.type', deliveryIdPath: 'headers.x-zendesk-webhook-invocation-id' },
	},
	front: {
		kind: 'hmac',
		displayName: 'Front',
		description: 'X-Front-Signature over timestamp:body, with a replay window',
		docs: 'https://dev.frontapp.com/docs/application-webhooks',
		header: 'x-front-signature',
		algorithm: 'sha256',
		encoding: 'base64',
		timestamp: { header: 'x-front-request-timestamp', unit: 'milliseconds' },
		signs: ['timestamp', { text: ':' }, 'body'],
		preset: { eventPath: 'body.type' },
	},
	helpScout: {
		kind: 'hmac',
		displayName: 'Help Scout',
		description: 'X-HelpScout-Signature (HMAC-SHA1, base64)',
		docs: 'https://developer.helpscout.com/webhooks/',
		header: 'x-helpscout-signature',
		algorithm: 'sha1',
		encoding: 'base64',
		signs: ['body'],
		preset: { eventPath: 'headers.x-helpscout-event' },
	},
	attio: {
		kind: 'hmac',
		displayName: 'Attio',
		description: 'Attio-Signature (hex) with the webhook secret',
		docs: 'https://docs.attio.com/rest-api/guides/webhooks',
		header: 'attio-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		signs: ['body'],
		alsoHide: ['x-attio-signature'],
		preset: { eventPath: 'body.events.0.event_type', deliveryIdPath: 'body.webhook_id' },
	},
	customerIo: {
		kind: 'hmac',
		displayName: 'Customer.io',
		description: 'X-CIO-Signature over v0:timestamp:body, with a replay window',
		docs: 'https://docs.customer.io/journeys/webhooks/#securely-verifying-requests',
		header: 'x-cio-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		timestamp: { header: 'x-cio-timestamp', unit: 'seconds' },
		signs: [{ text: 'v0:' }, 'timestamp', { text: ':' }, 'body'],
		preset: { eventPath: 'body.metric', deliveryIdPath: 'body.event_id' },
	},
	segment: {
		kind: 'hmac',
		displayName: 'Segment',
		description: 'X-Signature (HMAC-SHA1, hex) with the Webhooks destination shared secret',
		docs: 'https://www.twilio.com/docs/segment/connections/destinations/catalog/actions-webhook',
		header: 'x-signature',
		algorithm: 'sha1',
		encoding: 'hex',
		signs: ['body'],
		preset: { eventPath: 'body.type', deliveryIdPath: 'body.messageId' },
	},
	// Forms and authentication
	tally: {
		kind: 'hmac',
		displayName: 'Tally',
		description: 'Tally-Signature (base64) with the signing secret',
		docs: 'https://tally.so/help/webhooks',
		header: 'tally-signature',
		algorithm: 'sha256',
		encoding: 'base64',
		signs: ['body'],
		preset: { eventPath: 'body.eventType', deliveryIdPath: 'body.eventId' },
	},
	webflow: {
		kind: 'hmac',
		displayName: 'Webflow',
		description: 'x-webflow-signature over timestamp:body, with a replay window',
		docs: 'https://developers.webflow.com/data/docs/working-with-webhooks',
		header: 'x-webflow-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		timestamp: { header: 'x-webflow-timestamp', unit: 'milliseconds' },
		signs: ['timestamp', { text: ':' }, 'body'],
		preset: { eventPath: 'body.triggerType' },
	},
	workos: {
		kind: 'hmac',
		displayName: 'WorkOS',
		description: 'WorkOS-Signature (t=…, v1=…) with a replay window',
		docs: 'https://workos.com/docs/events/data-syncing/webhooks',
		header: 'workos-signature',
		algorithm: 'sha256',
		encoding: 'hex',
		fields: { separator: ',', timestamp: 't', signature: 'v1' },
		timestamp: { unit: 'milliseconds' },
		signs: ['timestamp', { text: '.' }, 'body'],
		preset: { eventPath: 'body.event', deliveryIdPath: 'body.id' },
	},
	clerk: {
		...SVIX,
		displayName: 'Clerk',
		description: 'Svix headers (svix-id, svix-timestamp, svix-signature) with a replay window',
		docs: 'https://clerk.com/docs/webhooks/verify-webhooks',
	},
	resend: {
		...SVIX,
		displayName: 'Resend',
		description: 'Svix headers (svix-id, svix-timestamp, svix-signature) with a replay window',
		docs: 'https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests',
	},
} as const satisfies Record<string, CatalogueEntry>;

export type CatalogueScheme = keyof typeof CATALOGUE;

function verifierFor(scheme: string, entry: CatalogueEntry): SchemeVerifier<SigningSecretCredentials> {
	return entry.kind === 'token' ? tokenPreset(scheme, entry) : commonPreset(scheme, entry);
}

export const catalogueVerifiers = Object.fromEntries(
	Object.entries(CATALOGUE).map(([scheme, entry]) => [scheme, verifierFor(scheme, entry as CatalogueEntry)]),
) as { [K in CatalogueScheme]: SchemeVerifier<SigningSecretCredentials> };
