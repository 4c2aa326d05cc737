import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request } from './presetSuite';

// Asaas: the webhook's authentication token is sent unchanged in `asaas-access-token` (no signature).
// https://docs.asaas.com/docs/criar-novo-webhook-pela-aplicacao-web
const HEADER = 'asaas-access-token';
const verify = (headers: Record<string, unknown>, creds: Record<string, string> = { secret: 'asaas-token-1' }) =>
	verifiers.asaas.verify(request({ headers: headers as Record<string, string> }, '{}', {}, NOW), creds as never);

describe('asaas preset', () => {
	it('accepts the configured token and hides the header', () => {
		expect(verify({ [HEADER]: 'asaas-token-1' })).toEqual({
			kind: 'accepted',
			scheme: 'asaas',
			details: { secret: 'current' },
			redact: { headers: [HEADER], query: [] },
		});
	});

	it('accepts the previous token during a rotation', () => {
		expect(verify({ [HEADER]: 'asaas-token-0' }, { secret: 'asaas-token-1', previousSecret: 'asaas-token-0' })).toMatchObject({
			kind: 'accepted',
			details: { secret: 'previous' },
		});
	});

	it('rejects a wrong, missing or repeated token without echoing it', () => {
		const wrong = verify({ [HEADER]: 'asaas-token-2' });
		expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
		expect(JSON.stringify(wrong)).not.toContain('asaas-token-1');
		expect(verify({})).toMatchObject({ code: 'missing_token' });
		expect(verify({ [HEADER]: ['asaas-token-1', 'asaas-token-1'] })).toMatchObject({ code: 'malformed_token' });
	});

	it('is not configured with a blank token, even when the caller sends the same blank', () => {
		expect(verify({ [HEADER]: ' ' }, { secret: ' ' })).toMatchObject({ code: 'not_configured' });
	});

	it('names its event and delivery id', () => {
		expect(presetDefaults('asaas')).toEqual({ eventPath: 'body.event', deliveryIdPath: 'body.id' });
	});
});
