import { safeEqual } from '../compare';
import { readHeader } from '../request';
import { rotatingSecrets } from '../rotation';
import { accept, notConfigured, reject, type PresetDefaults, type SchemeVerifier } from '../verifier';
import { onSigningSecret, type SigningSecretCredentials } from './signed';

/**
 * A provider that signs nothing but sends a shared token in a header (Telegram, GitLab, Asaas,
 * Hotmart), as data. Compared in constant time with the current and the previous token, both always.
 */
export interface TokenSpec {
	displayName: string;
	description: string;
	docs: string;
	header: string;
	preset: PresetDefaults;
	/** What the not-configured answer calls the secret; default "<displayName> token". */
	secretName?: string;
}

export function tokenPreset(scheme: string, spec: TokenSpec): SchemeVerifier<SigningSecretCredentials> {
	const header = spec.header.toLowerCase();
	const hidden = { headers: [header], query: [] };
	return {
		...onSigningSecret(scheme, spec),
		preset: spec.preset,
		verify(request, credentials) {
			const saved = rotatingSecrets(credentials, 'secret', 'previousSecret');
			if (saved.current === '') return notConfigured(spec.secretName ?? `${spec.displayName} token`);
			const field = readHeader(request, header);
			if (field.kind === 'missing') return reject('missing_token', `The request carries no ${spec.header} header`);
			if (field.kind === 'malformed') return reject('malformed_token', `Send exactly one ${spec.header} header`);
			const current = safeEqual(field.value, saved.current);
			const previous = saved.previous !== '' && safeEqual(field.value, saved.previous);
			if (!current && !previous) return reject('invalid_token', `${spec.header} is not valid`);
			return accept(scheme, { secret: current ? 'current' : 'previous' }, { headers: [header] });
		},
		redactions: () => ({ headers: [header], query: [] }),
		secretFields: hidden,
		tokenOnly: true,
	};
}
