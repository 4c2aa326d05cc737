import { verifiers } from '../../../../nodes/WebhookTrigger/auth';
import { describeTokenPreset } from './tokenPreset';

// GitLab: the webhook's secret token is sent unchanged in `X-Gitlab-Token` (no signature).
// https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token
describeTokenPreset({
	scheme: 'gitlab',
	verify: (call, creds) => verifiers.gitlab.verify(call, creds as never),
	header: 'x-gitlab-token',
	defaults: { eventPath: 'headers.x-gitlab-event', deliveryIdPath: 'headers.x-gitlab-event-uuid' },
});
