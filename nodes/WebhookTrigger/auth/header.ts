import { safeEqual } from './compare';
import { credentialSecret, credentialString, readHeader } from './request';
import { accept, notConfigured, reject, type SchemeVerifier } from './verifier';

export interface HeaderCredentials {
	headerName: string;
	token: string;
}

function headerNameOf(credentials: unknown): string {
	return credentialString(credentials, 'headerName').trim().toLowerCase();
}

export const headerVerifier: SchemeVerifier<HeaderCredentials> = {
	scheme: 'header',
	credentialType: 'webhookHeaderAuthApi',
	displayName: 'Custom Header',
	description: 'A token in a header you name',
	requirements: { httpNames: [{ field: 'headerName', label: 'Header name' }], secrets: [{ field: 'token', label: 'Token' }] },
	verify(request, credentials) {
		const headerName = headerNameOf(credentials);
		const token = credentialSecret(credentials, 'token');
		if (headerName === '' || token === '') return notConfigured('Header token');
		const header = readHeader(request, headerName);
		if (header.kind === 'missing') {
			return reject('missing_token', `Send the token in the ${headerName} header`);
		}
		if (header.kind === 'malformed') {
			return reject('malformed_token', `Send exactly one ${headerName} header`);
		}
		if (!safeEqual(header.value, token)) {
			return reject('invalid_token', `The ${headerName} header is not valid`);
		}
		return accept('header', { headerName }, { headers: [headerName] });
	},
	redactions(credentials) {
		const headerName = headerNameOf(credentials);
		return { headers: headerName === '' ? [] : [headerName], query: [] };
	},
	// The credential's default header name.
	secretFields: { headers: ['x-webhook-token'], query: [] },
	tokenOnly: true,
};
