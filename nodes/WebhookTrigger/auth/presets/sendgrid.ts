import { asymmetricPreset } from './asymmetric';

/**
 * SendGrid Event Webhook (signed): `X-Twilio-Email-Event-Webhook-Signature` is the base64 DER
 * ECDSA P-256 / SHA-256 signature of `X-Twilio-Email-Event-Webhook-Timestamp` + raw body; the
 * credential's Secret holds the Verification Key SendGrid shows (base64 DER public key).
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
export const sendgridVerifier = asymmetricPreset('sendgrid', {
	displayName: 'SendGrid Event Webhook',
	description: 'X-Twilio-Email-Event-Webhook-Signature (ECDSA P-256) with the verification key',
	signatureHeader: 'x-twilio-email-event-webhook-signature',
	timestampHeader: 'x-twilio-email-event-webhook-timestamp',
	separator: '',
	encoding: 'base64',
	algorithm: 'ecdsa-p256',
	preset: { eventPath: 'body.0.event', deliveryIdPath: 'body.0.sg_event_id' },
});
