import { createHmac } from 'crypto';

import { kiwifyVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/kiwify';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { runPresetSuite } from './presetSuite';

// Kiwify: `?signature=` hex HMAC-SHA1 of the raw body with the webhook token (the same shape the
// generic HMAC scheme's Kiwify example uses).
const sign = (secret: string, body: string) => ({
	headers: {},
	query: { signature: createHmac('sha1', secret).update(body).digest('hex') },
});

describe('kiwify preset', () => {
	it('names body.webhook_event_type and no delivery id', () => {
		expect(presetDefaults('kiwify')).toEqual({ eventPath: 'body.webhook_event_type' });
	});
});

runPresetSuite({
	verifier: kiwifyVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'kiwify-token-1',
	otherSecret: 'kiwify-token-2',
	body: '{"order_id":"o1","webhook_event_type":"order_approved"}',
	sign,
	signatureHeader: 'signature',
	inQuery: true,
	timestamped: false,
});
