import { createHmac } from 'crypto';

import { stripeVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/stripe';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// Stripe publishes the scheme, not a fixed vector: `t` and `v1` = hex HMAC-SHA256 of `${t}.${body}`
// with the whsec_ secret as text. https://docs.stripe.com/webhooks#verify-manually
const v1 = (secret: string, body: string, t: number) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
const sign = (secret: string, body: string, t: number) => ({
	headers: { 'stripe-signature': `t=${t},v1=${v1(secret, body, t)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39` },
});
const BODY = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}';

describe('stripe preset', () => {
	it('ignores v0 and unknown schemes, checks every v1', () => {
		const t = NOW_SECONDS;
		const header = `t=${t},v1=${'0'.repeat(64)},v1=${v1('whsec_test', BODY, t)},scheme=x`;
		expect(
			stripeVerifier.verify(request({ headers: { 'stripe-signature': header } }, BODY, undefined, NOW), {
				secret: 'whsec_test',
			}),
		).toMatchObject({ kind: 'accepted', details: { timestamp: t, secret: 'current' } });
	});

	it('rejects a header without t as a missing timestamp', () => {
		const header = `v1=${v1('whsec_test', BODY, NOW_SECONDS)}`;
		expect(
			stripeVerifier.verify(request({ headers: { 'stripe-signature': header } }, BODY, undefined, NOW), {
				secret: 'whsec_test',
			}),
		).toMatchObject({ kind: 'rejected', code: 'missing_timestamp' });
	});

	it('calls a header with t but only v0 (test-mode) signatures a missing signature, one without t or v1 malformed', () => {
		const verify = (header: string) =>
			stripeVerifier.verify(request({ headers: { 'stripe-signature': header } }, BODY, undefined, NOW), { secret: 'whsec_test' });
		expect(verify(`t=${NOW_SECONDS},v0=${'0'.repeat(64)}`)).toMatchObject({ kind: 'rejected', code: 'missing_signature' });
		expect(verify(`v0=${'0'.repeat(64)}`)).toMatchObject({ kind: 'rejected', code: 'malformed_signature' });
	});

	it('names body.type and body.id', () => {
		expect(presetDefaults('stripe')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: stripeVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'whsec_current',
	otherSecret: 'whsec_previous',
	body: BODY,
	sign,
	signatureHeader: 'stripe-signature',
	several: (valid, wrong) => ({
		headers: {
			'stripe-signature': `${wrong.headers['stripe-signature'].split(',').slice(0, 2).join(',')},${valid.headers['stripe-signature'].split(',')[1]}`,
		},
	}),
	timestamped: true,
});
