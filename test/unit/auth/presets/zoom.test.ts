import { createHmac } from 'crypto';

import { zoomVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/zoom';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

// Zoom: `x-zm-signature: v0=` hex HMAC-SHA256 of `v0:${x-zm-request-timestamp}:${body}`; the
// endpoint.url_validation event is answered with plainToken and its hex HMAC-SHA256.
// https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
const hex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
const sign = (secret: string, body: string, t: number) => ({
	headers: { 'x-zm-signature': `v0=${hex(secret, `v0:${t}:${body}`)}`, 'x-zm-request-timestamp': String(t) },
});

describe('zoom preset', () => {
	const VALIDATION = '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}';

	it('answers endpoint.url_validation with the encrypted token, once the call verified', () => {
		const result = zoomVerifier.verify(
			request(sign('zoom-secret', VALIDATION, NOW_SECONDS), VALIDATION, JSON.parse(VALIDATION), NOW),
			{ secret: 'zoom-secret' },
		);
		expect(result).toEqual({
			kind: 'handshake',
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: hex('zoom-secret', 'qgg8vlvZRS6UYooatFL8Aw') }),
		});
	});

	it('does not answer a validation signed with another secret', () => {
		const result = zoomVerifier.verify(
			request(sign('other', VALIDATION, NOW_SECONDS), VALIDATION, JSON.parse(VALIDATION), NOW),
			{ secret: 'zoom-secret' },
		);
		expect(result).toMatchObject({ kind: 'rejected', code: 'signature_mismatch' });
	});

	it('rejects a validation without a plainToken', () => {
		const body = '{"payload":{},"event":"endpoint.url_validation"}';
		expect(
			zoomVerifier.verify(request(sign('zoom-secret', body, NOW_SECONDS), body, JSON.parse(body), NOW), { secret: 'zoom-secret' }),
		).toMatchObject({ kind: 'rejected', status: 400, code: 'invalid_handshake' });
	});

	it('rejects a missing timestamp header', () => {
		const call = sign('zoom-secret', '{}', NOW_SECONDS);
		expect(
			zoomVerifier.verify(request({ headers: { 'x-zm-signature': call.headers['x-zm-signature'] } }, '{}', {}, NOW), {
				secret: 'zoom-secret',
			}),
		).toMatchObject({ kind: 'rejected', code: 'missing_timestamp' });
	});

	it('names body.event and the tracking id', () => {
		expect(presetDefaults('zoom')).toEqual({ eventPath: 'body.event', deliveryIdPath: 'headers.x-zm-trackingid' });
	});
});

runPresetSuite({
	verifier: zoomVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'zoom-secret-1',
	otherSecret: 'zoom-secret-2',
	body: '{"event":"meeting.started","payload":{"object":{"id":"1"}}}',
	sign,
	signatureHeader: 'x-zm-signature',
	timestamped: true,
});
