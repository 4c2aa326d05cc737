import { createHmac } from 'crypto';

import { twilioVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/twilio';
import { presetDefaults, publicWebhookUrl } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request } from './presetSuite';

// Twilio's published example: URL, form parameters and auth token 12345 → 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
const SIGNATURE = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
const form = new URLSearchParams(PARAMS).toString();

const verify = (headers: Record<string, unknown>, creds: Record<string, string>, params: unknown = PARAMS) =>
	twilioVerifier.verify(request({ headers: headers as Record<string, string> }, form, params, NOW), creds as never);

describe('twilio preset', () => {
	it("accepts Twilio's published example with the configured public URL", () => {
		expect(verify({ 'x-twilio-signature': SIGNATURE }, { authToken: '12345', publicUrl: URL })).toEqual({
			kind: 'accepted',
			scheme: 'twilio',
			details: { algorithm: 'sha1', secret: 'current', url: URL },
			redact: { headers: ['x-twilio-signature'], query: [] },
		});
	});

	it("falls back to n8n's public webhook URL (behind a proxy, never the Host header)", () => {
		expect(verify({ 'x-twilio-signature': SIGNATURE, host: 'internal:5678' }, { authToken: '12345', webhookUrl: URL })).toMatchObject({
			kind: 'accepted',
		});
		expect(verify({ 'x-twilio-signature': SIGNATURE }, { authToken: '12345' })).toMatchObject({ code: 'not_configured' });
	});

	it('rejects a changed parameter, another URL, another token', () => {
		expect(verify({ 'x-twilio-signature': SIGNATURE }, { authToken: '12345', publicUrl: URL }, { ...PARAMS, Digits: '1235' })).toMatchObject({
			code: 'signature_mismatch',
		});
		expect(verify({ 'x-twilio-signature': SIGNATURE }, { authToken: '12345', publicUrl: `${URL}&x=1` })).toMatchObject({
			code: 'signature_mismatch',
		});
		expect(verify({ 'x-twilio-signature': SIGNATURE }, { authToken: '54321', publicUrl: URL })).toMatchObject({
			code: 'signature_mismatch',
		});
	});

	it('accepts the previous auth token during a rotation', () => {
		expect(
			verify({ 'x-twilio-signature': SIGNATURE }, { authToken: 'new-token', previousAuthToken: '12345', publicUrl: URL }),
		).toMatchObject({ kind: 'accepted', details: { secret: 'previous' } });
	});

	it('rejects missing and malformed signatures, and a blank token', () => {
		expect(verify({}, { authToken: '12345', publicUrl: URL })).toMatchObject({ code: 'missing_signature' });
		expect(verify({ 'x-twilio-signature': 'nope' }, { authToken: '12345', publicUrl: URL })).toMatchObject({
			code: 'malformed_signature',
		});
		expect(verify({ 'x-twilio-signature': SIGNATURE }, { authToken: ' ', publicUrl: URL })).toMatchObject({ code: 'not_configured' });
	});

	it('signs every value of a repeated parameter, in order', () => {
		const params = { To: '+1', Media: ['a', 'b'] };
		const sig = createHmac('sha1', 't').update(`${URL}MediaaMediabTo+1`).digest('base64');
		expect(verify({ 'x-twilio-signature': sig }, { authToken: 't', publicUrl: URL }, params)).toMatchObject({ kind: 'accepted' });
	});

	it('builds the public URL from n8n\'s webhook URL and the query as received', () => {
		const context = (originalUrl: string) => ({
			getNodeWebhookUrl: () => 'https://n8n.example.com/webhook/sms',
			getRequestObject: () => ({ originalUrl }),
		});
		expect(publicWebhookUrl(context('/webhook/sms?a=1&b=2'))).toBe('https://n8n.example.com/webhook/sms?a=1&b=2');
		expect(publicWebhookUrl(context('/webhook-test/sms'))).toBe('https://n8n.example.com/webhook-test/sms');
	});

	it('names the idempotency token as the delivery id', () => {
		expect(presetDefaults('twilio')).toEqual({ deliveryIdPath: 'headers.i-twilio-idempotency-token' });
	});
});
