import { createHmac } from 'crypto';

import { intercomVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/intercom';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';

// https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications
// The provider publishes the scheme (prefix sha1=, sha1, hex of the raw body), not a fixed vector:
// this one was made with `printf '%s' "$BODY" | openssl dgst -sha1 -hmac "$SECRET" -binary | xxd -p -c 256`.
const sign = (secret: string, body: string) => ({
	headers: { 'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` },
});
const BODY = '{"type":"notification_event","topic":"conversation.user.created","id":"notif_1"}';
const EXAMPLE_SIGNATURE = 'sha1=' + createHmac('sha1', 'example-secret').update(BODY).digest('hex');

describe('intercom preset', () => {
	it('accepts a signature made the documented way', () => {
		expect(
			intercomVerifier.verify(request({ headers: { 'x-hub-signature': EXAMPLE_SIGNATURE } }, BODY, undefined, NOW), {
				secret: 'example-secret',
			}),
		).toEqual({
			kind: 'accepted',
			scheme: 'intercom',
			details: { algorithm: 'sha1', secret: 'current' },
			redact: { headers: ['x-hub-signature'], query: [] },
		});
	});

	it('names the event and the delivery id', () => {
		expect(presetDefaults('intercom')).toEqual({ eventPath: 'body.topic', deliveryIdPath: 'body.id' });
	});
});

runPresetSuite({
	verifier: intercomVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'intercom-secret-1',
	otherSecret: 'intercom-secret-2',
	body: BODY,
	sign,
	signatureHeader: 'x-hub-signature',
	timestamped: false,
});
