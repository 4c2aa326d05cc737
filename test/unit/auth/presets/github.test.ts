import { createHmac } from 'crypto';

import { githubVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/github';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request, runPresetSuite } from './presetSuite';

// GitHub's published example: secret "It's a Secret to Everybody", payload "Hello, World!".
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
const EXAMPLE_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

const sign = (secret: string, body: string) => ({
	headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
});

describe('github preset', () => {
	it("accepts GitHub's published example", () => {
		const result = githubVerifier.verify(
			request({ headers: { 'x-hub-signature-256': EXAMPLE_SIGNATURE } }, 'Hello, World!', undefined, NOW),
			{ secret: "It's a Secret to Everybody" },
		);
		expect(result).toEqual({
			kind: 'accepted',
			scheme: 'github',
			details: { algorithm: 'sha256', secret: 'current' },
			redact: { headers: ['x-hub-signature-256', 'x-hub-signature'], query: [] },
		});
	});

	it('names the event header and the delivery id', () => {
		expect(presetDefaults('github')).toEqual({
			eventPath: 'headers.x-github-event',
			deliveryIdPath: 'headers.x-github-delivery',
		});
	});
});

runPresetSuite({
	verifier: githubVerifier,
	credentials: (secret, previousSecret) => ({ secret, previousSecret }),
	secret: 'gh-secret-1',
	otherSecret: 'gh-secret-2',
	body: '{"action":"opened","number":1}',
	sign,
	signatureHeader: 'x-hub-signature-256',
	timestamped: false,
});
