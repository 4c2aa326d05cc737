import { methodOf, readQuery } from '../request';
import type { VerificationResult, VerificationRequest } from '../types';
import { echoedText, reject, type SchemeVerifier } from '../verifier';
import { commonPreset } from './common';
import type { SigningSecretCredentials } from './signed';

/**
 * Dropbox: `X-Dropbox-Signature` is the hex HMAC-SHA256 of the raw body with the app secret. When a
 * webhook URI is added, Dropbox sends `GET ?challenge=…` and expects the challenge echoed as
 * text/plain with `X-Content-Type-Options: nosniff`; it is answered without an execution.
 * https://www.dropbox.com/developers/reference/webhooks
 */
const signed = commonPreset('dropbox', {
	displayName: 'Dropbox',
	description: 'X-Dropbox-Signature with the app secret; answers the GET challenge',
	docs: 'https://www.dropbox.com/developers/reference/webhooks',
	header: 'x-dropbox-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	signs: ['body'],
	// Dropbox names no event type and no delivery: only the accounts whose files changed.
	preset: { eventPath: 'body.list_folder.accounts.0' },
});

/** A challenge longer than this is no Dropbox challenge: it is not echoed. */
const MAX_CHALLENGE = 256;

function challenge(request: VerificationRequest): VerificationResult {
	const field = readQuery(request, 'challenge');
	if (field.kind !== 'present' || field.value.length > MAX_CHALLENGE) {
		return reject('invalid_handshake', 'Expected GET ?challenge=…', { status: 400 });
	}
	return echoedText(field.value);
}

export const dropboxVerifier: SchemeVerifier<SigningSecretCredentials> = {
	...signed,
	handshakeOnGet: true,
	verify(request, credentials) {
		// Dropbox's GET carries nothing signed: it only proves the URL answers, and starts nothing.
		return methodOf(request) === 'GET' ? challenge(request) : signed.verify(request, credentials);
	},
};
