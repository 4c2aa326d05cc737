import { safeEqual } from '../compare';
import { readHeader } from '../request';
import { rotatingSecrets } from '../rotation';
import { accept, notConfigured, reject, type SchemeVerifier } from '../verifier';
import { SIGNING_SECRET_CREDENTIAL, type SigningSecretCredentials } from './signed';

/**
 * Hotmart: no signature; every call carries the account's Hottok in `X-HOTMART-HOTTOK`, compared
 * in constant time with the current and the previous token.
 * https://developers.hotmart.com/docs/en/webhooks/
 */
const HEADER = 'x-hotmart-hottok';

export const hotmartVerifier: SchemeVerifier<SigningSecretCredentials> = {
	scheme: 'hotmart',
	credentialType: SIGNING_SECRET_CREDENTIAL,
	displayName: 'Hotmart',
	description: 'The Hottok in X-HOTMART-HOTTOK',
	requirements: { secrets: [{ field: 'secret', label: 'Secret' }] },
	preset: { eventPath: 'body.event', deliveryIdPath: 'body.id' },
	verify(request, credentials) {
		const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
		if (saved.current === '') return notConfigured('Hotmart Hottok');
		const field = readHeader(request, HEADER);
		if (field.kind === 'missing') return reject('missing_token', 'The request carries no X-HOTMART-HOTTOK header');
		if (field.kind === 'malformed') return reject('malformed_token', 'Send exactly one X-HOTMART-HOTTOK header');
		// Both compared, always: timing must not tell which one matched.
		const current = safeEqual(field.value, saved.current);
		const previous = saved.previous !== '' && safeEqual(field.value, saved.previous);
		if (!current && !previous) return reject('invalid_token', 'X-HOTMART-HOTTOK is not valid');
		return accept('hotmart', { secret: current ? 'current' : 'previous' }, { headers: [HEADER] });
	},
	redactions: () => ({ headers: [HEADER], query: [] }),
	secretFields: { headers: [HEADER], query: [] },
	tokenOnly: true,
};
