import { createHmac } from 'crypto';

import { linearVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/linear';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// Linear: `Linear-Signature` = hex HMAC-SHA256 of the raw body; `webhookTimestamp` (ms) in the body.
// https://linear.app/developers/webhooks#securing-webhooks
const bodyAt = (t: number) => `{"action":"create","type":"Issue","webhookTimestamp":${t * 1000}}`;
const hex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

describe('linear preset', () => {
	const verify = (body: string, secret = 'lin_wh_1') =>
		linearVerifier.verify(
			request({ headers: { 'linear-signature': hex(secret, body) } }, body, JSON.parse(body), NOW),
			{ secret: 'lin_wh_1' },
		);

	it('accepts a signed body with a fresh webhookTimestamp', () => {
		expect(verify(bodyAt(NOW_SECONDS - 10))).toMatchObject({ kind: 'accepted', details: { timestamp: NOW_SECONDS - 10 } });
	});

	it('rejects a signed body whose webhookTimestamp is 10 minutes old or missing', () => {
		expect(verify(bodyAt(NOW_SECONDS - 600))).toMatchObject({ kind: 'rejected', code: 'timestamp_outside_tolerance' });
		expect(verify('{"type":"Issue"}')).toMatchObject({ kind: 'rejected', code: 'missing_timestamp' });
	});

	it('names body.type and the Linear-Delivery header', () => {
		expect(presetDefaults('linear')).toEqual({ eventPath: 'body.type', deliveryIdPath: 'headers.linear-delivery' });
	});
});

// The shared suite signs a fixed body; its timestamp lives in the parsed body, so each case's body
// carries the time the case asks for via `parsed` below (fresh), and the expiry cases are above.
const BODY = bodyAt(NOW_SECONDS);
runPresetSuite({
	verifier: linearVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'lin_wh_1',
	otherSecret: 'lin_wh_2',
	body: BODY,
	parsed: JSON.parse(BODY),
	sign: (secret, body) => ({ headers: { 'linear-signature': hex(secret, body) } }),
	signatureHeader: 'linear-signature',
	timestamped: false,
});
