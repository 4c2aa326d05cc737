import { hotmartVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/hotmart';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request } from './presetSuite';

// Hotmart sends its Hottok in X-HOTMART-HOTTOK (no signature). https://developers.hotmart.com/docs/en/webhooks/
const verify = (headers: Record<string, unknown>, creds: Record<string, string> = { secret: 'hottok-1' }) =>
	hotmartVerifier.verify(request({ headers: headers as Record<string, string> }, '{}', {}, NOW), creds as never);

describe('hotmart preset', () => {
	it('accepts the configured Hottok and hides the header', () => {
		expect(verify({ 'x-hotmart-hottok': 'hottok-1' })).toEqual({
			kind: 'accepted',
			scheme: 'hotmart',
			details: { secret: 'current' },
			redact: { headers: ['x-hotmart-hottok'], query: [] },
		});
	});

	it('accepts the previous Hottok during a rotation', () => {
		expect(verify({ 'x-hotmart-hottok': 'hottok-0' }, { secret: 'hottok-1', previousSecret: 'hottok-0' })).toMatchObject({
			kind: 'accepted',
			details: { secret: 'previous' },
		});
	});

	it('rejects a wrong, missing or repeated Hottok without echoing it', () => {
		const wrong = verify({ 'x-hotmart-hottok': 'hottok-2' });
		expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
		expect(JSON.stringify(wrong)).not.toContain('hottok-1');
		expect(verify({})).toMatchObject({ code: 'missing_token' });
		expect(verify({ 'x-hotmart-hottok': ['hottok-1', 'hottok-1'] })).toMatchObject({ code: 'malformed_token' });
	});

	it('is not configured with a blank Hottok, even when the caller sends the same blank', () => {
		expect(verify({ 'x-hotmart-hottok': ' ' }, { secret: ' ' })).toMatchObject({ code: 'not_configured' });
	});

	it('names body.event and body.id', () => {
		expect(presetDefaults('hotmart')).toEqual({ eventPath: 'body.event', deliveryIdPath: 'body.id' });
	});
});
