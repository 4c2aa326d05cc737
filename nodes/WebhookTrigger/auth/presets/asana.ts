import { readHeader } from '../request';
import type { VerificationResult } from '../types';
import { reject, type SchemeVerifier } from '../verifier';
import { commonPreset } from './common';
import type { SigningSecretCredentials } from './signed';

/**
 * Asana: creating a webhook first POSTs an `X-Hook-Secret` header, which must be echoed back in the
 * answer's `X-Hook-Secret`; it is answered without an execution, whatever the credential holds
 * (Asana sends it before anyone knows the secret). That secret then signs every event:
 * `X-Hook-Signature` is the hex HMAC-SHA256 of the raw body with it, so the user pastes it into the
 * credential's Secret (docs/providers.md says where to read it).
 * https://developers.asana.com/docs/webhooks-guide
 */
const HOOK_SECRET = 'x-hook-secret';
/** Asana's secrets are short hex strings; a longer header is not echoed. */
const MAX_SECRET = 256;

const signed = commonPreset('asana', {
	displayName: 'Asana',
	description: 'X-Hook-Signature with the X-Hook-Secret of the handshake, which is echoed',
	docs: 'https://developers.asana.com/docs/webhooks-guide',
	header: 'x-hook-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	signs: ['body'],
	// Asana sends no delivery id; each event names its action.
	preset: { eventPath: 'body.events.0.action' },
});

export const asanaVerifier: SchemeVerifier<SigningSecretCredentials> = {
	...signed,
	verify(request, credentials): VerificationResult {
		const handshake = readHeader(request, HOOK_SECRET);
		if (handshake.kind === 'missing') return signed.verify(request, credentials);
		if (handshake.kind === 'malformed' || handshake.value.length > MAX_SECRET || /[^\x21-\x7e]/.test(handshake.value)) {
			return reject('invalid_handshake', `Send exactly one ${HOOK_SECRET} header of visible ASCII`, { status: 400 });
		}
		return { kind: 'handshake', status: 200, contentType: 'text/plain', body: '', headers: { 'X-Hook-Secret': handshake.value } };
	},
};
