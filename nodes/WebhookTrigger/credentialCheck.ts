import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/**
 * These credentials hold secrets a caller proves it knows; there is no remote API to call. So the
 * "Test" button checks what can be checked locally: every secret is set and every header or query
 * parameter name is one an HTTP client can actually send.
 */

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function problems(type: string, data: Record<string, unknown>): string[] {
	const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
	// Whitespace is not a secret: a blank one would let a caller in with a blank token.
	const required = (key: string, label: string) => (text(key).trim() ? [] : [`${label} is empty`]);
	const name = (key: string, label: string) =>
		HTTP_TOKEN.test(text(key)) ? [] : [`${label} "${text(key)}" is not a valid HTTP name`];

	switch (type) {
		case 'webhookBearerAuthApi':
			return required('token', 'Token');
		case 'webhookHeaderAuthApi':
			return [...name('headerName', 'Header name'), ...required('token', 'Token')];
		case 'webhookQueryAuthApi':
			return [...required('parameterName', 'Parameter name'), ...required('token', 'Token')];
		case 'webhookHmacApi':
			return [...required('secret', 'Secret'), ...name('parameterName', 'Parameter name')];
		case 'webhookSlackApi':
			return required('signingSecret', 'Signing secret');
		case 'webhookMetaApi':
			return [...required('verifyToken', 'Verify token'), ...required('appSecret', 'App secret')];
		default:
			return [`Unknown credential type ${type}`];
	}
}

export async function webhookCredentialCheck(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const found = problems(credential.type ?? '', (credential.data ?? {}) as Record<string, unknown>);
	if (found.length > 0) return { status: 'Error', message: found.join('; ') };
	return { status: 'OK', message: 'Credential is complete; callers can now be verified with it' };
}
