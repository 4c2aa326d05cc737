import { createHmac } from 'crypto';

import { dropboxVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/dropbox';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { gateCall } from './gateCall';
import { runPresetSuite } from './presetSuite';

// Dropbox: X-Dropbox-Signature = hex HMAC-SHA256 of the raw body with the app secret; the
// verification request is `GET ?challenge=…`, echoed as text/plain with X-Content-Type-Options:
// nosniff. Built step by step from the docs (the Dropbox SDK does not sign webhooks):
// https://www.dropbox.com/developers/reference/webhooks
const sign = (secret: string, body: string) => ({
	headers: { 'x-dropbox-signature': createHmac('sha256', secret).update(body).digest('hex') },
});
const BODY = '{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},"delta":{"users":[12345678]}}';

describe('dropbox preset', () => {
	it('answers the GET challenge through the gate: text/plain, nosniff, no execution', () => {
		const reply = gateCall('dropbox', { secret: 'app-secret' }, { get: true, query: { challenge: 'aChallengeValue123' } });
		expect(reply).toMatchObject({
			kind: 'reply',
			code: 'handshake',
			status: 200,
			contentType: 'text/plain',
			body: 'aChallengeValue123',
			headers: { 'X-Content-Type-Options': 'nosniff' },
		});
	});

	it('refuses a GET without a challenge (or a repeated one), and runs a signed POST', () => {
		expect(gateCall('dropbox', { secret: 'app-secret' }, { get: true })).toMatchObject({ code: 'invalid_handshake', status: 400 });
		expect(gateCall('dropbox', { secret: 'app-secret' }, { get: true, query: { challenge: ['a', 'b'] } })).toMatchObject({
			code: 'invalid_handshake',
		});
		expect(gateCall('dropbox', { secret: 'app-secret' }, { headers: sign('app-secret', BODY).headers, body: BODY })).toMatchObject({
			kind: 'run',
			item: { verification: { scheme: 'dropbox', secret: 'current' } },
		});
	});

	it('names the first account with changes (Dropbox sends no event type or delivery id)', () => {
		expect(presetDefaults('dropbox')).toEqual({ eventPath: 'body.list_folder.accounts.0' });
	});
});

runPresetSuite({
	verifier: dropboxVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'dropbox-app-secret-1',
	otherSecret: 'dropbox-app-secret-2',
	body: BODY,
	sign,
	signatureHeader: 'x-dropbox-signature',
	timestamped: false,
});
