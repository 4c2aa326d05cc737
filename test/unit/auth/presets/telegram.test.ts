import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request } from './presetSuite';

// Telegram: setWebhook's `secret_token` is sent unchanged in `X-Telegram-Bot-Api-Secret-Token` (no signature).
// https://core.telegram.org/bots/api#setwebhook
const HEADER = 'x-telegram-bot-api-secret-token';
const verify = (headers: Record<string, unknown>, creds: Record<string, string> = { secret: 'telegram-token-1' }) =>
	verifiers.telegram.verify(request({ headers: headers as Record<string, string> }, '{}', {}, NOW), creds as never);

describe('telegram preset', () => {
	it('accepts the configured token and hides the header', () => {
		expect(verify({ [HEADER]: 'telegram-token-1' })).toEqual({
			kind: 'accepted',
			scheme: 'telegram',
			details: { secret: 'current' },
			redact: { headers: [HEADER], query: [] },
		});
	});

	it('accepts the previous token during a rotation', () => {
		expect(verify({ [HEADER]: 'telegram-token-0' }, { secret: 'telegram-token-1', previousSecret: 'telegram-token-0' })).toMatchObject({
			kind: 'accepted',
			details: { secret: 'previous' },
		});
	});

	it('rejects a wrong, missing or repeated token without echoing it', () => {
		const wrong = verify({ [HEADER]: 'telegram-token-2' });
		expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
		expect(JSON.stringify(wrong)).not.toContain('telegram-token-1');
		expect(verify({})).toMatchObject({ code: 'missing_token' });
		expect(verify({ [HEADER]: ['telegram-token-1', 'telegram-token-1'] })).toMatchObject({ code: 'malformed_token' });
	});

	it('is not configured with a blank token, even when the caller sends the same blank', () => {
		expect(verify({ [HEADER]: ' ' }, { secret: ' ' })).toMatchObject({ code: 'not_configured' });
	});

	it('names its event and delivery id', () => {
		expect(presetDefaults('telegram')).toEqual({ deliveryIdPath: 'body.update_id' });
	});
});
