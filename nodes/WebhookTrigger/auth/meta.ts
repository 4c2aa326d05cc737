import { safeEqual } from './compare';
import { stripPrefix } from './hmac-core';
import { checkRotated } from './rotation';
import { credentialSecret, methodOf, rawBytes, readDottedQuery, readHeader } from './request';
import type { VerificationRequest, VerificationResult } from './types';
import { accept, notConfigured, reject, signatureRejection, type SchemeVerifier } from './verifier';

/**
 * Meta platforms (WhatsApp, Messenger, Instagram, Threads): a GET subscription handshake with a verify
 * token, then POSTs signed with the app secret.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 */
export interface MetaCredentials {
	verifyToken: string;
	appSecret: string;
	previousAppSecret?: string;
}

const SIGNATURE_HEADER = 'x-hub-signature-256';
// Meta also sends the legacy SHA-1 signature; it is not checked but is kept out of the output too.
const LEGACY_SIGNATURE_HEADER = 'x-hub-signature';
const VERIFY_TOKEN_PARAM = 'hub.verify_token';

function subscriptionHandshake(request: VerificationRequest, credentials: unknown): VerificationResult {
	const verifyToken = credentialSecret(credentials, 'verifyToken');
	if (verifyToken === '') return notConfigured('Meta verify token');
	const mode = readDottedQuery(request, 'hub.mode');
	const token = readDottedQuery(request, VERIFY_TOKEN_PARAM);
	const challenge = readDottedQuery(request, 'hub.challenge');
	if (
		mode.kind !== 'present' ||
		mode.value !== 'subscribe' ||
		token.kind !== 'present' ||
		challenge.kind !== 'present'
	) {
		return reject('invalid_handshake', 'Expected hub.mode=subscribe, hub.verify_token and hub.challenge');
	}
	if (!safeEqual(token.value, verifyToken)) {
		return reject('verify_token_mismatch');
	}
	return { kind: 'handshake', status: 200, contentType: 'text/plain', body: challenge.value };
}

function signedDelivery(request: VerificationRequest, credentials: unknown): VerificationResult {
	const appSecret = credentialSecret(credentials, 'appSecret');
	if (appSecret === '') return notConfigured('Meta app secret');
	const header = readHeader(request, SIGNATURE_HEADER);
	if (header.kind !== 'present') return signatureRejection(header.kind);
	const candidate = stripPrefix(header.value, 'sha256=');
	if (candidate === undefined) return signatureRejection('malformed');
	const result = checkRotated(
		{ payload: rawBytes(request), candidates: [candidate], algorithm: 'sha256', encoding: 'hex' },
		{ current: appSecret, previous: credentialSecret(credentials, 'previousAppSecret') },
	);
	if (result.outcome !== 'valid') return signatureRejection(result.outcome);
	return accept(
		'meta',
		{ algorithm: 'sha256', secret: result.secret },
		{ headers: [SIGNATURE_HEADER, LEGACY_SIGNATURE_HEADER] },
	);
}

export const metaVerifier: SchemeVerifier<MetaCredentials> = {
	scheme: 'meta',
	credentialType: 'webhookMetaApi',
	handshakeOnGet: true,
	displayName: 'Meta (WhatsApp, Messenger, Instagram)',
	description: 'The hub.challenge handshake and X-Hub-Signature-256',
	requirements: {
		secrets: [
			{ field: 'verifyToken', label: 'Verify token' },
			{ field: 'appSecret', label: 'App secret' },
		],
	},
	// Meta sends neither an event type nor a delivery id; the field is the closest to an event.
	preset: { eventPath: 'body.entry[0].changes[0].field' },
	verify(request, credentials) {
		return methodOf(request) === 'GET'
			? subscriptionHandshake(request, credentials)
			: signedDelivery(request, credentials);
	},
	// Static union of both methods: the GET token and the POST signatures.
	redactions: () => ({
		headers: [SIGNATURE_HEADER, LEGACY_SIGNATURE_HEADER],
		query: [VERIFY_TOKEN_PARAM],
	}),
	secretFields: { headers: [SIGNATURE_HEADER, LEGACY_SIGNATURE_HEADER], query: [VERIFY_TOKEN_PARAM] },
};
