import { hotmartVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/hotmart';
import { describeTokenPreset } from './tokenPreset';

// Hotmart sends its Hottok in X-HOTMART-HOTTOK (no signature). https://developers.hotmart.com/docs/en/webhooks/
describeTokenPreset({
	scheme: 'hotmart',
	verify: (call, creds) => hotmartVerifier.verify(call, creds as never),
	header: 'x-hotmart-hottok',
	defaults: { eventPath: 'body.event', deliveryIdPath: 'body.id' },
});
