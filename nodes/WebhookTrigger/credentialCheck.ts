import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { credentialRequirements } from './auth';

/**
 * These credentials hold secrets a caller proves it knows; there is no remote API to call. So the
 * "Test" button checks what can be checked locally: every secret is set and every header or query
 * parameter name is one an HTTP client can actually send.
 */

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The checks come from the verifier registry: the schemes that use a credential say what it needs. */
function problems(type: string, data: Record<string, unknown>): string[] {
	const requirements = credentialRequirements(type);
	if (requirements === undefined) return [`Unknown credential type ${type}`];
	const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
	return [
		...(requirements.httpNames ?? []).flatMap(({ field, label }) =>
			HTTP_TOKEN.test(text(field)) ? [] : [`${label} "${text(field)}" is not a valid HTTP name`],
		),
		// Whitespace is not a secret: a blank one would let a caller in with a blank token.
		...[...(requirements.required ?? []), ...(requirements.secrets ?? [])].flatMap(({ field, label }) =>
			text(field).trim() ? [] : [`${label} is empty`],
		),
	];
}

export async function webhookCredentialCheck(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const found = problems(credential.type ?? '', (credential.data ?? {}) as Record<string, unknown>);
	if (found.length > 0) return { status: 'Error', message: found.join('; ') };
	return { status: 'OK', message: 'Credential is complete; callers can now be verified with it' };
}
