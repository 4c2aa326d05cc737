import { generateKeyPairSync, sign as ecdsaSign, type KeyObject } from 'crypto';

import { sendgridVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/sendgrid';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// SendGrid signed Event Webhook: X-Twilio-Email-Event-Webhook-Signature = base64 DER ECDSA P-256 /
// SHA-256 signature of X-Twilio-Email-Event-Webhook-Timestamp + raw body; the receiver holds the
// Verification Key (base64 DER public key). Signed here with node:crypto, step by step from the docs.
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
const pairs = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
const pair = (secret: string) => {
	let found = pairs.get(secret);
	if (!found) pairs.set(secret, (found = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })));
	return found;
};
const verificationKey = (secret: string) => (pair(secret).publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');

const sign = (secret: string, body: string, ts: number) => ({
	headers: {
		'x-twilio-email-event-webhook-signature': ecdsaSign('sha256', Buffer.from(`${ts}${body}`), pair(secret).privateKey).toString('base64'),
		'x-twilio-email-event-webhook-timestamp': String(ts),
	},
});
const credentials = (secret: string, previous?: string, toleranceSeconds?: number) => ({
	secret: secret.trim() === '' ? secret : verificationKey(secret),
	previousSecret: previous === undefined ? undefined : verificationKey(previous),
	toleranceSeconds,
});

describe('sendgrid preset', () => {
	it('accepts the verification key with PEM armour and line breaks', () => {
		const body = '[{"event":"delivered"}]';
		const pem = pair('acct').publicKey.export({ format: 'pem', type: 'spki' }) as string;
		expect(sendgridVerifier.verify(request(sign('acct', body, NOW_SECONDS), body, [], NOW), { secret: pem })).toMatchObject({
			kind: 'accepted',
			details: { algorithm: 'ecdsa-p256' },
		});
	});

	it('is not configured with a key that is not a P-256 public key', () => {
		const body = '[]';
		const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
		expect(sendgridVerifier.verify(request(sign('acct', body, NOW_SECONDS), body, [], NOW), { secret: ed25519 })).toMatchObject({ code: 'not_configured' });
	});

	it('names the first event and its sg_event_id', () => {
		expect(presetDefaults('sendgrid')).toEqual({ eventPath: 'body.0.event', deliveryIdPath: 'body.0.sg_event_id' });
	});
});

runPresetSuite({
	verifier: sendgridVerifier,
	credentials,
	secret: 'sendgrid-current',
	otherSecret: 'sendgrid-previous',
	body: '[{"email":"a@example.com","event":"delivered","sg_event_id":"e1"}]',
	sign,
	signatureHeader: 'x-twilio-email-event-webhook-signature',
	timestamped: true,
});
