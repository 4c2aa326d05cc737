import { checkSignature, decodeCandidates, type SignatureOutcome, type SignedMessage } from './hmac-core';
import { credentialSecret } from './request';

/** Current and previous secret of a credential; the previous one is optional ('' = not set). */
export interface RotatingSecrets<K = string | Buffer> {
	current: K;
	previous: K;
}

export function rotatingSecrets(credentials: unknown, field: string, previousField: string): RotatingSecrets<string> {
	return { current: credentialSecret(credentials, field), previous: credentialSecret(credentials, previousField) };
}

export type RotatedOutcome =
	| { outcome: Exclude<SignatureOutcome, 'valid'> }
	| { outcome: 'valid'; secret: 'current' | 'previous' };

/**
 * Checks the message against both secrets. Both HMACs are always computed and every candidate is
 * compared with each (no early exit), so timing does not say which secret, if any, matched.
 */
export function checkRotated(message: SignedMessage, secrets: RotatingSecrets): RotatedOutcome {
	// The candidates decoded once for both.
	const decoded = decodeCandidates(message);
	const current = checkSignature(message, [secrets.current], decoded);
	const previous = checkSignature(message, [secrets.previous], decoded);
	if (current === 'valid') return { outcome: 'valid', secret: 'current' };
	if (previous === 'valid') return { outcome: 'valid', secret: 'previous' };
	return { outcome: current };
}
