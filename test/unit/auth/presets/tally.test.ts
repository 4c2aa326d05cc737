import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Tally: `Tally-Signature` is base64(HMAC-SHA256(signing secret, raw JSON body)). https://tally.so/help/webhooks
const sign = (secret: string, body: string) => ({
	headers: { 'tally-signature': createHmac('sha256', secret).update(body).digest('base64') },
});

describe('tally preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('tally')).toEqual({ eventPath: 'body.eventType', deliveryIdPath: 'body.eventId' });
	});
});

runPresetSuite({
	verifier: verifiers.tally,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'tally-secret-current',
	otherSecret: 'tally-secret-previous',
	body: '{"eventId":"a1","eventType":"FORM_RESPONSE","data":{}}',
	sign,
	signatureHeader: 'tally-signature',
	timestamped: false,
});
