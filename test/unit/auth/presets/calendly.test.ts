import { createHmac } from 'crypto';

import { calendlyVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/calendly';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Calendly: `Calendly-Webhook-Signature: t=…,v1=…`, v1 = hex HMAC-SHA256 of `${t}.${body}` with the
// signing key. https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures
const v1 = (secret: string, body: string, t: number) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
const sign = (secret: string, body: string, t: number) => ({
	headers: { 'calendly-webhook-signature': `t=${t},v1=${v1(secret, body, t)}` },
});

describe('calendly preset', () => {
	it('names body.event and no delivery id (Calendly sends none)', () => {
		expect(presetDefaults('calendly')).toEqual({ eventPath: 'body.event' });
	});
});

runPresetSuite({
	verifier: calendlyVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'calendly-signing-key-1',
	otherSecret: 'calendly-signing-key-2',
	body: '{"event":"invitee.created","payload":{"email":"a@example.com"}}',
	sign,
	signatureHeader: 'calendly-webhook-signature',
	several: (valid, wrong) => ({
		headers: {
			'calendly-webhook-signature': `${wrong.headers['calendly-webhook-signature']},${valid.headers['calendly-webhook-signature'].split(',')[1]}`,
		},
	}),
	timestamped: true,
});
