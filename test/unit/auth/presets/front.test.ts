import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Front application webhooks: `X-Front-Signature` is base64(HMAC-SHA256(signing key, timestamp + ':' + body)),
// `X-Front-Request-Timestamp` in milliseconds. https://dev.frontapp.com/docs/application-webhooks
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'x-front-signature': createHmac('sha256', secret).update(`${ts * 1000}:`).update(body).digest('base64'), 'x-front-request-timestamp': String(ts * 1000) },
});

describe('front preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('front')).toEqual({ eventPath: 'body.type' });
	});
});

runPresetSuite({
	verifier: verifiers.front,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'front-secret-current',
	otherSecret: 'front-secret-previous',
	body: '{"type":"inbound_received","payload":{"id":"evt_1"}}',
	sign,
	signatureHeader: 'x-front-signature',
	timestamped: true,
});
