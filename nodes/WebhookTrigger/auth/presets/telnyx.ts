import { asymmetricPreset } from './asymmetric';

/**
 * Telnyx (API v2): `telnyx-signature-ed25519` (base64) is Telnyx's Ed25519 signature of
 * `${telnyx-timestamp}|${raw body}`; the credential's Secret holds the account's Public Key
 * (base64, Mission Control > Keys & Credentials > Public Key).
 * https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
 */
export const telnyxVerifier = asymmetricPreset('telnyx', {
	displayName: 'Telnyx',
	description: 'telnyx-signature-ed25519 with the account public key, with a replay window',
	signatureHeader: 'telnyx-signature-ed25519',
	timestampHeader: 'telnyx-timestamp',
	separator: '|',
	encoding: 'base64',
	preset: { eventPath: 'body.data.event_type', deliveryIdPath: 'body.data.id' },
});
