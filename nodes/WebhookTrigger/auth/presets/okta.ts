import { methodOf, readHeader } from '../request';
import type { VerificationResult } from '../types';
import { reject, type SchemeVerifier } from '../verifier';
import type { SigningSecretCredentials } from './signed';
import { tokenPreset } from './token';

/**
 * Okta event hooks: Okta signs nothing but sends the hook's Authentication secret in the
 * Authentication field header (set it to `Authorization`). The one-time verification is a GET with
 * `x-okta-verification-challenge`, answered `{"verification": …}` once the secret matched, without an
 * execution.
 * https://developer.okta.com/docs/concepts/event-hooks/
 */
const CHALLENGE = 'x-okta-verification-challenge';

const token = tokenPreset('okta', {
	displayName: 'Okta Event Hooks',
	description: 'The Authentication secret in the Authorization header; answers the one-time verification',
	docs: 'https://developer.okta.com/docs/concepts/event-hooks/',
	header: 'authorization',
	preset: { eventPath: 'body.data.events.0.eventType', deliveryIdPath: 'body.eventId' },
});

export const oktaVerifier: SchemeVerifier<SigningSecretCredentials> = {
	...token,
	handshakeOnGet: true,
	verify(request, credentials): VerificationResult {
		const result = token.verify(request, credentials);
		if (result.kind !== 'accepted' || methodOf(request) !== 'GET') return result;
		const challenge = readHeader(request, CHALLENGE);
		if (challenge.kind !== 'present') return reject('invalid_handshake', `Expected a GET with one ${CHALLENGE} header`, { status: 400 });
		return { kind: 'handshake', status: 200, contentType: 'application/json', body: JSON.stringify({ verification: challenge.value }) };
	},
};
