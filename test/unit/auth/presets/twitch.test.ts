import { createHmac } from 'crypto';

import { twitchVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/twitch';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// Twitch EventSub: Twitch-Eventsub-Message-Signature = `sha256=` + hex HMAC-SHA256 of
// message id + timestamp (RFC 3339, nanoseconds) + raw body, with the subscription's secret. Built
// step by step from the docs (Twitch's own sample computes exactly this; no npm package signs):
// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
const ID = 'e76c6bd4-55c9-4987-8304-da1588d8988b';
const rfc3339 = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.634234626Z');
const sign = (secret: string, body: string, t: number, type = 'notification') => {
	const timestamp = rfc3339(t);
	return {
		headers: {
			'twitch-eventsub-message-id': ID,
			'twitch-eventsub-message-timestamp': timestamp,
			'twitch-eventsub-message-type': type,
			'twitch-eventsub-message-signature': `sha256=${createHmac('sha256', secret).update(ID + timestamp + body).digest('hex')}`,
		},
	};
};

describe('twitch preset', () => {
	const VERIFICATION =
		'{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow","version":"2"}}';

	it('answers a signed webhook_callback_verification with the challenge as text/plain, without an execution', () => {
		const call = sign('twitch-secret', VERIFICATION, NOW_SECONDS, 'webhook_callback_verification');
		expect(twitchVerifier.verify(request(call, VERIFICATION, JSON.parse(VERIFICATION), NOW), { secret: 'twitch-secret' })).toEqual({
			kind: 'handshake',
			status: 200,
			contentType: 'text/plain',
			body: 'pogchamp-kappa-360noscope-vohiyo',
		});
	});

	it('does not answer a verification signed with another secret', () => {
		const call = sign('forger', VERIFICATION, NOW_SECONDS, 'webhook_callback_verification');
		expect(twitchVerifier.verify(request(call, VERIFICATION, JSON.parse(VERIFICATION), NOW), { secret: 'twitch-secret' })).toMatchObject({
			kind: 'rejected',
			code: 'signature_mismatch',
		});
	});

	it('refuses a verification without a challenge', () => {
		const body = '{"subscription":{}}';
		const call = sign('twitch-secret', body, NOW_SECONDS, 'webhook_callback_verification');
		expect(twitchVerifier.verify(request(call, body, JSON.parse(body), NOW), { secret: 'twitch-secret' })).toMatchObject({
			kind: 'rejected',
			status: 400,
			code: 'invalid_handshake',
		});
	});

	it('signs the message id: another id does not verify, a missing one is refused', () => {
		const body = '{"event":{}}';
		const call = sign('twitch-secret', body, NOW_SECONDS);
		const other = { headers: { ...call.headers, 'twitch-eventsub-message-id': 'another' } };
		expect(twitchVerifier.verify(request(other, body, {}, NOW), { secret: 'twitch-secret' })).toMatchObject({ code: 'signature_mismatch' });
		const { 'twitch-eventsub-message-id': _id, ...without } = call.headers;
		expect(twitchVerifier.verify(request({ headers: without }, body, {}, NOW), { secret: 'twitch-secret' })).toMatchObject({ code: 'missing_id' });
	});

	it('refuses a timestamp that is not RFC 3339', () => {
		const body = '{}';
		const call = sign('twitch-secret', body, NOW_SECONDS);
		const seconds = { headers: { ...call.headers, 'twitch-eventsub-message-timestamp': String(NOW_SECONDS) } };
		expect(twitchVerifier.verify(request(seconds, body, {}, NOW), { secret: 'twitch-secret' })).toMatchObject({ code: 'malformed_timestamp' });
	});

	it('names the subscription type and the message id', () => {
		expect(presetDefaults('twitch')).toEqual({
			eventPath: 'headers.twitch-eventsub-subscription-type',
			deliveryIdPath: 'headers.twitch-eventsub-message-id',
		});
	});
});

runPresetSuite({
	verifier: twitchVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'twitch-secret-current-0123',
	otherSecret: 'twitch-secret-previous-4567',
	body: '{"subscription":{"type":"channel.follow"},"event":{"user_id":"1337","user_login":"awesome_user"}}',
	sign,
	signatureHeader: 'twitch-eventsub-message-signature',
	timestamped: true,
});
