import type { Handshake, VerificationRequest } from '../types';
import { asymmetricPreset } from './asymmetric';
import { parsedBody } from './body';

/**
 * Discord interactions: `X-Signature-Ed25519` (hex) is the application's Ed25519 signature of
 * `X-Signature-Timestamp` + raw body; the credential's Secret holds the application's Public Key
 * (hex, Developer Portal > General Information). A verified PING (`{"type":1}`) is answered
 * `{"type":1}` without an execution.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
function ping(request: VerificationRequest): Handshake | undefined {
	const body = parsedBody(request) as { type?: unknown } | undefined;
	return body?.type === 1 ? { kind: 'handshake', status: 200, contentType: 'application/json', body: '{"type":1}' } : undefined;
}

export const discordVerifier = asymmetricPreset('discord', {
	displayName: 'Discord Interactions',
	description: 'X-Signature-Ed25519 with the application public key; answers PING',
	signatureHeader: 'x-signature-ed25519',
	timestampHeader: 'x-signature-timestamp',
	separator: '',
	encoding: 'hex',
	handshake: ping,
	preset: { eventPath: 'body.type', deliveryIdPath: 'body.id' },
});
