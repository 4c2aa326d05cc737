import { safeEqual } from '../compare';
import { readQuery } from '../request';
import { rotatingSecrets } from '../rotation';
import type { VerificationRequest, VerificationResult } from '../types';
import { accept, echoedText, notConfigured, reject, type SchemeVerifier } from '../verifier';
import { parsedBody } from './body';
import { onSigningSecret, type SigningSecretCredentials } from './signed';

/**
 * Microsoft Graph change notifications: Graph signs nothing; each notification in `body.value`
 * carries the `clientState` the subscription was created with, compared in constant time with the
 * credential's Secret (every notification must carry it). Creating or renewing a subscription
 * first POSTs `?validationToken=…` with no notification: it is answered with the token as
 * text/plain 200, without an execution (Graph sends no clientState with it).
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 */
const TOKEN = 'validationToken';
/** Longer is no Graph validation token: it is not echoed. */
const MAX_TOKEN = 1024;

function validation(request: VerificationRequest): VerificationResult | undefined {
	const field = readQuery(request, TOKEN);
	if (field.kind === 'missing') return undefined;
	if (field.kind === 'malformed' || field.value.length > MAX_TOKEN) {
		return reject('invalid_handshake', `Send exactly one ${TOKEN}`, { status: 400 });
	}
	return echoedText(field.value);
}

/** The body with every notification's clientState removed: the output must not carry the secret. */
function withoutClientState(body: unknown): unknown {
	const value = (body as { value?: unknown } | null)?.value;
	if (!Array.isArray(value)) return body;
	const notifications = value.map((notification: unknown) => {
		if (notification === null || typeof notification !== 'object' || !('clientState' in notification)) return notification;
		const { clientState: _hidden, ...rest } = notification as Record<string, unknown>;
		return rest;
	});
	return { ...(body as Record<string, unknown>), value: notifications };
}

export const microsoftGraphVerifier: SchemeVerifier<SigningSecretCredentials> = {
	...onSigningSecret('microsoftGraph', {
		displayName: 'Microsoft Graph',
		description: 'clientState of every notification; answers the validationToken',
	}),
	// Graph sends no delivery id (subscriptionId names the subscription, not the call).
	preset: { eventPath: 'body.value.0.changeType' },
	verify(request, credentials) {
		const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
		if (saved.current === '') return notConfigured('Microsoft Graph clientState');
		const handshake = validation(request);
		if (handshake !== undefined) return handshake;

		const value = (parsedBody(request) as { value?: unknown } | undefined)?.value;
		if (!Array.isArray(value) || value.length === 0) return reject('missing_token', 'The body carries no notifications in value');
		let current = true;
		let previous = saved.previous !== '';
		for (const notification of value as unknown[]) {
			const state = (notification as { clientState?: unknown } | null)?.clientState;
			if (typeof state !== 'string' || state === '') return reject('missing_token', 'A notification carries no clientState');
			// Both compared, always: timing must not tell which one matched.
			const byCurrent = safeEqual(state, saved.current);
			const byPrevious = saved.previous !== '' && safeEqual(state, saved.previous);
			current &&= byCurrent;
			previous &&= byPrevious;
		}
		if (!current && !previous) return reject('invalid_token', 'clientState is not valid');
		return accept('microsoftGraph', { secret: current ? 'current' : 'previous' });
	},
	// The secret travels in the body, not in a header or the query: bodyWithoutSecrets hides it.
	redactions: () => ({ headers: [], query: [] }),
	secretFields: { headers: [], query: [] },
	bodyWithoutSecrets: withoutClientState,
	tokenOnly: true,
};
