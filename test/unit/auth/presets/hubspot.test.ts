import { createHmac } from 'crypto';

import { verifiers, presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// HubSpot v3: `X-HubSpot-Signature-v3` is base64(HMAC-SHA256(client secret, method + URI + body +
// timestamp)), `X-HubSpot-Request-Timestamp` in milliseconds, older than 5 minutes rejected.
// https://developers.hubspot.com/docs/api/webhooks/validating-requests
const URL = 'https://n8n.example.com/webhook/hooks?x=1';
const sign = (secret: string, body: string, ts: number) => ({
	headers: { 'x-hubspot-signature-v3': createHmac('sha256', secret).update('POST').update(URL).update(body).update(String(ts * 1000)).digest('base64'), 'x-hubspot-request-timestamp': String(ts * 1000) },
});

describe('hubspot preset', () => {
	it('names its event and delivery id', () => {
		expect(presetDefaults('hubspot')).toEqual({ eventPath: 'body.0.subscriptionType', deliveryIdPath: 'body.0.eventId' });
	});
});

runPresetSuite({
	verifier: verifiers.hubspot,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds, webhookUrl: URL }),
	secret: 'hubspot-secret-current',
	otherSecret: 'hubspot-secret-previous',
	body: '[{"eventId":1,"subscriptionType":"contact.creation","objectId":123}]',
	sign,
	signatureHeader: 'x-hubspot-signature-v3',
	timestamped: true,
});
