import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request } from './presetSuite';

// GitLab: the webhook's secret token is sent unchanged in `X-Gitlab-Token` (no signature).
// https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token
const HEADER = 'x-gitlab-token';
const verify = (headers: Record<string, unknown>, creds: Record<string, string> = { secret: 'gitlab-token-1' }) =>
	verifiers.gitlab.verify(request({ headers: headers as Record<string, string> }, '{}', {}, NOW), creds as never);

describe('gitlab preset', () => {
	it('accepts the configured token and hides the header', () => {
		expect(verify({ [HEADER]: 'gitlab-token-1' })).toEqual({
			kind: 'accepted',
			scheme: 'gitlab',
			details: { secret: 'current' },
			redact: { headers: [HEADER], query: [] },
		});
	});

	it('accepts the previous token during a rotation', () => {
		expect(verify({ [HEADER]: 'gitlab-token-0' }, { secret: 'gitlab-token-1', previousSecret: 'gitlab-token-0' })).toMatchObject({
			kind: 'accepted',
			details: { secret: 'previous' },
		});
	});

	it('rejects a wrong, missing or repeated token without echoing it', () => {
		const wrong = verify({ [HEADER]: 'gitlab-token-2' });
		expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
		expect(JSON.stringify(wrong)).not.toContain('gitlab-token-1');
		expect(verify({})).toMatchObject({ code: 'missing_token' });
		expect(verify({ [HEADER]: ['gitlab-token-1', 'gitlab-token-1'] })).toMatchObject({ code: 'malformed_token' });
	});

	it('is not configured with a blank token, even when the caller sends the same blank', () => {
		expect(verify({ [HEADER]: ' ' }, { secret: ' ' })).toMatchObject({ code: 'not_configured' });
	});

	it('names its event and delivery id', () => {
		expect(presetDefaults('gitlab')).toEqual({ eventPath: 'headers.x-gitlab-event', deliveryIdPath: 'headers.x-gitlab-event-uuid' });
	});
});
