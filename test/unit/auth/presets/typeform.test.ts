import { createHmac } from 'crypto';

import { typeformVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/typeform';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';

// https://www.typeform.com/developers/webhooks/secure-your-webhooks/
// The provider publishes the scheme (prefix sha256=, sha256, base64 of the raw body), not a fixed vector:
// this one was made with `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64`.
const sign = (secret: string, body: string) => ({
	headers: { 'typeform-signature': `sha256=${createHmac('sha256', secret).update(body).digest('base64')}` },
});
const BODY = '{"event_id":"01H","event_type":"form_response"}';
const EXAMPLE_SIGNATURE = 'sha256=' + createHmac('sha256', 'example-secret').update(BODY).digest('base64');

describe('typeform preset', () => {
	it('accepts a signature made the documented way', () => {
		expect(
			typeformVerifier.verify(request({ headers: { 'typeform-signature': EXAMPLE_SIGNATURE } }, BODY, undefined, NOW), {
				secret: 'example-secret',
			}),
		).toEqual({
			kind: 'accepted',
			scheme: 'typeform',
			details: { algorithm: 'sha256', secret: 'current' },
			redact: { headers: ['typeform-signature'], query: [] },
		});
	});

	it('names the event and the delivery id', () => {
		expect(presetDefaults('typeform')).toEqual({ eventPath: 'body.event_type', deliveryIdPath: 'body.event_id' });
	});
});

runPresetSuite({
	verifier: typeformVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'typeform-secret-1',
	otherSecret: 'typeform-secret-2',
	body: BODY,
	sign,
	signatureHeader: 'typeform-signature',
	timestamped: false,
});
