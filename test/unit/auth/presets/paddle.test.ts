import { createHmac } from 'crypto';

import { paddleVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/paddle';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Paddle Billing: `Paddle-Signature: ts=…;h1=…`, h1 = hex HMAC-SHA256 of `${ts}:${body}`; several h1
// while a secret rotates. https://developer.paddle.com/webhooks/signature-verification
const h1 = (secret: string, body: string, ts: number) => createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex');
const sign = (secret: string, body: string, ts: number) => ({ headers: { 'paddle-signature': `ts=${ts};h1=${h1(secret, body, ts)}` } });

describe('paddle preset', () => {
	it('names body.event_type and body.event_id', () => {
		expect(presetDefaults('paddle')).toEqual({ eventPath: 'body.event_type', deliveryIdPath: 'body.event_id' });
	});
});

runPresetSuite({
	verifier: paddleVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'pdl_ntfset_current',
	otherSecret: 'pdl_ntfset_previous',
	body: '{"event_id":"evt_01","event_type":"transaction.completed"}',
	sign,
	signatureHeader: 'paddle-signature',
	several: (valid, wrong) => ({
		headers: { 'paddle-signature': `${wrong.headers['paddle-signature']};${valid.headers['paddle-signature'].split(';')[1]}` },
	}),
	timestamped: true,
});
