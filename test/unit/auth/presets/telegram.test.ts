import { verifiers } from '../../../../nodes/WebhookTrigger/auth';
import { describeTokenPreset } from './tokenPreset';

// Telegram: setWebhook's `secret_token` is sent unchanged in `X-Telegram-Bot-Api-Secret-Token` (no signature).
// https://core.telegram.org/bots/api#setwebhook
describeTokenPreset({
	scheme: 'telegram',
	verify: (call, creds) => verifiers.telegram.verify(call, creds as never),
	header: 'x-telegram-bot-api-secret-token',
	defaults: { deliveryIdPath: 'body.update_id' },
});
