import type { ICredentialTestFunctions } from 'n8n-workflow';

import { webhookCredentialCheck } from '../../nodes/WebhookTrigger/credentialCheck';

const check = (type: string, data: Record<string, string>) =>
	webhookCredentialCheck.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type, data });

describe('webhook credential check', () => {
	it('accepts complete credentials', async () => {
		await expect(check('webhookBearerAuthApi', { token: 't0ken' })).resolves.toMatchObject({ status: 'OK' });
		await expect(
			check('webhookHmacApi', { secret: 's', parameterName: 'X-Signature' }),
		).resolves.toMatchObject({ status: 'OK' });
		await expect(
			check('webhookMetaApi', { verifyToken: 'v', appSecret: 'a' }),
		).resolves.toMatchObject({ status: 'OK' });
	});

	it('names every missing secret', async () => {
		const result = await check('webhookMetaApi', { verifyToken: '', appSecret: '' });
		expect(result.status).toBe('Error');
		expect(result.message).toBe('Verify token is empty; App secret is empty');
	});

	it('rejects a header name no HTTP client can send', async () => {
		const result = await check('webhookHeaderAuthApi', { headerName: 'X Token', token: 'x' });
		expect(result).toEqual({ status: 'Error', message: 'Header name "X Token" is not a valid HTTP name' });
	});

	it('never echoes the secret in its message', async () => {
		const result = await check('webhookHeaderAuthApi', { headerName: 'bad name', token: 'super-secret' });
		expect(result.message).not.toContain('super-secret');
	});
});

describe('webhook credential check, derived from the verifier registry', () => {
	it('checks the provider signing secret and Twilio credentials', async () => {
		await expect(check('webhookSigningSecretApi', { secret: 'whsec_x' })).resolves.toMatchObject({ status: 'OK' });
		await expect(check('webhookSigningSecretApi', { secret: '  ' })).resolves.toEqual({ status: 'Error', message: 'Secret is empty' });
		await expect(check('webhookTwilioApi', { authToken: '' })).resolves.toEqual({ status: 'Error', message: 'Auth token is empty' });
	});

	it('keeps the previous secret optional', async () => {
		await expect(check('webhookHmacApi', { secret: 's', parameterName: 'X-Signature', previousSecret: '' })).resolves.toMatchObject({
			status: 'OK',
		});
	});

	it('refuses an unknown credential type', async () => {
		await expect(check('webhookNopeApi', {})).resolves.toEqual({ status: 'Error', message: 'Unknown credential type webhookNopeApi' });
	});
});
