import { asymmetricPreset } from './asymmetric';

/**
 * Wise (TransferWise): `X-Signature-SHA256` is Wise's base64 RSA-SHA256 (PKCS#1 v1.5) signature of
 * the raw body; the credential's Secret holds Wise's public key as published in its docs (PEM,
 * production and sandbox differ), pasted, never fetched. Wise signs no timestamp: no replay window.
 * https://docs.wise.com/guides/developer/webhooks/event-handling
 */
export const wiseVerifier = asymmetricPreset('wise', {
	displayName: 'Wise',
	description: 'X-Signature-SHA256 (RSA-SHA256) with the Wise public key',
	signatureHeader: 'x-signature-sha256',
	encoding: 'base64',
	algorithm: 'rsa-sha256',
	preset: { eventPath: 'body.event_type', deliveryIdPath: 'headers.x-delivery-id' },
});
