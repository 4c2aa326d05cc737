import { validateSignature } from '@line/bot-sdk';
import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// LINE Messaging API: `x-line-signature` is base64(HMAC-SHA256(channel secret, request body)).
// https://developers.line.biz/en/reference/messaging-api/#signature-validation
const sign = (secret: string, body: string) => ({
	headers: { 'x-line-signature': createHmac('sha256', secret).update(body).digest('base64') },
});

describe('line preset', () => {
	it("agrees with LINE's own validateSignature (devDependency @line/bot-sdk) both ways", () => {
		const body = '{"destination":"U1","events":[]}';
		const signature = sign('channel-secret', body).headers['x-line-signature'];
		expect(validateSignature(body, 'channel-secret', signature)).toBe(true);
		expect(validateSignature(body, 'other-secret', signature)).toBe(false);
		const request = { method: 'POST', headers: { 'x-line-signature': signature }, query: {}, rawBody: Buffer.from(body), body: {}, now: 0 };
		expect(verifiers.line.verify(request, { secret: 'channel-secret' })).toMatchObject({ kind: 'accepted' });
	});

	it('names its event and delivery id', () => {
		expect(presetDefaults('line')).toEqual({ eventPath: 'body.events.0.type', deliveryIdPath: 'body.events.0.webhookEventId' });
	});
});

runPresetSuite({
	verifier: verifiers.line,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'line-secret-current',
	otherSecret: 'line-secret-previous',
	body: '{"destination":"U1","events":[{"type":"message","webhookEventId":"01H"}]}',
	sign,
	signatureHeader: 'x-line-signature',
	timestamped: false,
});
