import { createHmac } from 'crypto';

import { asanaVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/asana';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { gateCall } from './gateCall';
import { NOW, request, runPresetSuite } from './presetSuite';

// Asana: the handshake POST carries X-Hook-Secret, echoed in the answer's X-Hook-Secret; events then
// carry X-Hook-Signature = hex HMAC-SHA256 of the raw body with that secret. Built step by step from
// the docs (Asana's node SDK does not sign webhooks):
// https://developers.asana.com/docs/webhooks-guide
const sign = (secret: string, body: string) => ({
	headers: { 'x-hook-signature': createHmac('sha256', secret).update(body).digest('hex') },
});
const BODY = '{"events":[{"action":"changed","resource":{"gid":"1337","resource_type":"task"},"user":{"gid":"42"}}]}';

describe('asana preset', () => {
	it('echoes X-Hook-Secret through the gate, without an execution, even before the credential holds it', () => {
		const reply = gateCall('asana', { secret: 'placeholder' }, { headers: { 'x-hook-secret': 'b537207f20cbfa02357cf448134da559' } });
		expect(reply).toMatchObject({ kind: 'reply', code: 'handshake', status: 200, headers: { 'X-Hook-Secret': 'b537207f20cbfa02357cf448134da559' } });
	});

	it('refuses a repeated or unprintable X-Hook-Secret instead of echoing it', () => {
		const verify = (value: unknown) =>
			asanaVerifier.verify(request({ headers: { 'x-hook-secret': value as string } }, '', undefined, NOW), { secret: 's' });
		expect(verify(['a', 'b'])).toMatchObject({ code: 'invalid_handshake', status: 400 });
		expect(verify('a\r\nSet-Cookie: x=1')).toMatchObject({ code: 'invalid_handshake' });
	});

	it('verifies events with the secret of the handshake', () => {
		const secret = 'b537207f20cbfa02357cf448134da559';
		expect(gateCall('asana', { secret }, { headers: sign(secret, BODY).headers, body: BODY })).toMatchObject({
			kind: 'run',
			item: { verification: { scheme: 'asana' } },
		});
	});

	it('names the first event action', () => {
		expect(presetDefaults('asana')).toEqual({ eventPath: 'body.events.0.action' });
	});
});

runPresetSuite({
	verifier: asanaVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'b537207f20cbfa02357cf448134da559',
	otherSecret: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
	body: BODY,
	sign,
	signatureHeader: 'x-hook-signature',
	timestamped: false,
});
