import { oktaVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/okta';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { gateCall } from './gateCall';
import { NOW, request } from './presetSuite';

// Okta event hooks: Okta signs nothing; it sends the hook's Authentication secret in the configured
// Authentication field (here Authorization). The one-time verification is a GET with
// x-okta-verification-challenge, answered {"verification": <the value>}. Example values from the docs:
// https://developer.okta.com/docs/guides/event-hook-implementation/nodejs/main/
const SECRET = 'okta-hook-secret-1';
const CHALLENGE = 'X-Okta-Verification-Challenge-Value';
const BODY = '{"eventType":"com.okta.event_hook","eventId":"b5a188b9-5ece-4636-b041-482ffda96311","data":{"events":[{"eventType":"user.lifecycle.create"}]}}';
const verify = (headers: Record<string, unknown>, method = 'POST', creds: Record<string, string> = { secret: SECRET }) =>
	oktaVerifier.verify({ ...request({ headers: headers as Record<string, string> }, BODY, JSON.parse(BODY), NOW), method }, creds as never);

describe('okta preset', () => {
	it('answers the one-time verification through the gate with {"verification": …}, without an execution', () => {
		const reply = gateCall('okta', { secret: SECRET }, { get: true, headers: { authorization: SECRET, 'x-okta-verification-challenge': CHALLENGE } });
		expect(reply).toMatchObject({ kind: 'reply', code: 'handshake', status: 200, contentType: 'application/json' });
		expect(JSON.parse((reply as { body: string }).body)).toEqual({ verification: CHALLENGE });
	});

	it('does not answer a verification with a wrong or missing secret', () => {
		expect(verify({ authorization: 'wrong', 'x-okta-verification-challenge': CHALLENGE }, 'GET')).toMatchObject({ code: 'invalid_token', status: 401 });
		expect(verify({ 'x-okta-verification-challenge': CHALLENGE }, 'GET')).toMatchObject({ code: 'missing_token' });
	});

	it('refuses an authenticated GET without a challenge', () => {
		expect(verify({ authorization: SECRET }, 'GET')).toMatchObject({ code: 'invalid_handshake', status: 400 });
	});

	it('accepts an event with the current or the previous secret, and hides the header', () => {
		expect(verify({ authorization: SECRET })).toEqual({
			kind: 'accepted',
			scheme: 'okta',
			details: { secret: 'current' },
			redact: { headers: ['authorization'], query: [] },
		});
		expect(verify({ authorization: 'okta-old' }, 'POST', { secret: SECRET, previousSecret: 'okta-old' })).toMatchObject({ details: { secret: 'previous' } });
		expect(gateCall('okta', { secret: SECRET }, { headers: { authorization: SECRET }, body: BODY })).toMatchObject({ kind: 'run' });
	});

	it('rejects a wrong, missing or repeated secret without echoing it; blank is not configured', () => {
		const wrong = verify({ authorization: 'okta-hook-secret-2' });
		expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
		expect(JSON.stringify(wrong)).not.toContain(SECRET);
		expect(verify({})).toMatchObject({ code: 'missing_token' });
		expect(verify({ authorization: [SECRET, SECRET] })).toMatchObject({ code: 'malformed_token' });
		expect(verify({ authorization: ' ' }, 'POST', { secret: ' ' })).toMatchObject({ code: 'not_configured' });
	});

	it('names the first event type and the eventId', () => {
		expect(presetDefaults('okta')).toEqual({ eventPath: 'body.data.events.0.eventType', deliveryIdPath: 'body.eventId' });
	});
});
