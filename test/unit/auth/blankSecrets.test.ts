import { createHmac } from 'crypto';

import { verifyRequest, type AuthScheme, type VerificationRequest } from '../../../nodes/WebhookTrigger/auth';
import { webhookCredentialCheck } from '../../../nodes/WebhookTrigger/credentialCheck';
import type { ICredentialTestFunctions } from 'n8n-workflow';

/**
 * Review #5: a secret that is blank after trimming is not configured. A caller sending the same
 * whitespace (`?t=%20`) or signing with it must get 401 not_configured, and the credential's Test
 * button must name the field.
 */
const BLANKS = [' ', '\t', '  \n '];
const NOW = 1_700_000_000_000;
const body = Buffer.from('{"event":"x"}');
const hmac = (secret: string, payload: Buffer | string) => createHmac('sha256', secret).update(payload).digest('hex');

function request(blank: string, overrides: Partial<VerificationRequest> = {}): VerificationRequest {
	const ts = String(NOW / 1000);
	return {
		method: 'POST',
		headers: {
			authorization: `Bearer ${blank}`,
			'x-webhook-token': blank,
			'x-signature': hmac(blank, body),
			'x-slack-request-timestamp': ts,
			'x-slack-signature': `v0=${hmac(blank, Buffer.concat([Buffer.from(`v0:${ts}:`), body]))}`,
			'x-hub-signature-256': `sha256=${hmac(blank, body)}`,
		},
		query: { t: blank, 'hub.mode': 'subscribe', 'hub.verify_token': blank, 'hub.challenge': '42' },
		rawBody: body,
		body: { event: 'x' },
		now: NOW,
		...overrides,
	};
}

const cases: Array<[AuthScheme, (blank: string) => Record<string, string>, Partial<VerificationRequest>?]> = [
	['bearer', (blank) => ({ token: blank })],
	['header', (blank) => ({ headerName: 'X-Webhook-Token', token: blank })],
	['query', (blank) => ({ parameterName: 't', token: blank })],
	[
		'hmac',
		(blank) => ({ secret: blank, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: '' }),
	],
	['slack', (blank) => ({ signingSecret: blank })],
	['meta', (blank) => ({ verifyToken: 'v', appSecret: blank })],
	['meta', (blank) => ({ verifyToken: blank, appSecret: 'a' }), { method: 'GET' }],
];

describe('whitespace-only secrets are not configured', () => {
	it.each(cases.flatMap(([scheme, creds, extra]) => BLANKS.map((blank) => [scheme, blank, creds(blank), extra ?? {}] as const)))(
		'%s with secret %j: 401 not_configured, even when the caller sends the same whitespace',
		(scheme, blank, credentials, extra) => {
			const result = verifyRequest(scheme, request(blank, extra), credentials);
			expect(result).toMatchObject({ kind: 'rejected', status: 401, code: 'not_configured' });
		},
	);

	const check = async (type: string, data: Record<string, string>) =>
		await webhookCredentialCheck.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type, data });

	it.each([
		['webhookBearerAuthApi', { token: ' ' }, 'Token is empty'],
		['webhookHeaderAuthApi', { headerName: 'X-Token', token: '\t' }, 'Token is empty'],
		['webhookQueryAuthApi', { parameterName: 't', token: '  ' }, 'Token is empty'],
		['webhookHmacApi', { secret: ' ', parameterName: 'X-Signature' }, 'Secret is empty'],
		['webhookSlackApi', { signingSecret: ' \n' }, 'Signing secret is empty'],
		['webhookMetaApi', { verifyToken: ' ', appSecret: 'a' }, 'Verify token is empty'],
	])('the Test button of %s fails and names the blank field', async (type, data, message) => {
		await expect(check(type, data)).resolves.toEqual({ status: 'Error', message });
	});
});
