import { safeEqual } from './compare';
import { credentialSecret, credentialString, readQuery } from './request';
import { accept, notConfigured, reject, type SchemeVerifier } from './verifier';

export interface QueryCredentials {
	parameterName: string;
	token: string;
}

// Query keys are case-sensitive, so the name is only trimmed.
function parameterNameOf(credentials: unknown): string {
	return credentialString(credentials, 'parameterName').trim();
}

export const queryVerifier: SchemeVerifier<QueryCredentials> = {
	scheme: 'query',
	credentialType: 'webhookQueryAuthApi',
	displayName: 'Query Parameter',
	description: 'A token in the URL, e.g. ?token=…',
	requirements: { required: [{ field: 'parameterName', label: 'Parameter name' }], secrets: [{ field: 'token', label: 'Token' }] },
	verify(request, credentials) {
		const parameterName = parameterNameOf(credentials);
		const token = credentialSecret(credentials, 'token');
		if (parameterName === '' || token === '') return notConfigured('Query token');
		const param = readQuery(request, parameterName);
		if (param.kind === 'missing') {
			return reject('missing_token', `Send the token as the ${parameterName} query parameter`);
		}
		if (param.kind === 'malformed') {
			return reject('malformed_token', `Send the ${parameterName} query parameter exactly once`);
		}
		if (!safeEqual(param.value, token)) {
			return reject('invalid_token', `The ${parameterName} query parameter is not valid`);
		}
		return accept('query', { parameterName }, { query: [parameterName] });
	},
	redactions(credentials) {
		const parameterName = parameterNameOf(credentials);
		return { headers: [], query: parameterName === '' ? [] : [parameterName] };
	},
	// The credential's default parameter name.
	secretFields: { headers: [], query: ['token'] },
	tokenOnly: true,
};
