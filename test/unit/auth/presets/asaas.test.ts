import { verifiers } from '../../../../nodes/WebhookTrigger/auth';
import { describeTokenPreset } from './tokenPreset';

// Asaas: the webhook's authentication token is sent unchanged in `asaas-access-token` (no signature).
// https://docs.asaas.com/docs/criar-novo-webhook-pela-aplicacao-web
describeTokenPreset({
	scheme: 'asaas',
	verify: (call, creds) => verifiers.asaas.verify(call, creds as never),
	header: 'asaas-access-token',
	defaults: { eventPath: 'body.event', deliveryIdPath: 'body.id' },
});
