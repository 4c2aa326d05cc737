import { readHeader } from '../request';
import { reject, signatureRejection } from '../verifier';
import type { VerificationRequest } from '../types';
import { prefixed, signedPreset } from './signed';

/**
 * Standard Webhooks (Svix and the platforms built on it: Resend, Clerk, …):
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> v1,<base64>`; HMAC-SHA256 of
 * `${id}.${timestamp}.${body}`. The `whsec_` secret is base64: the key is the decoded bytes.
 * Svix sends the same headers as `svix-*`.
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
const NAMES = ['webhook', 'svix'];

function header(request: VerificationRequest, suffix: string): string | undefined | false {
	for (const prefix of NAMES) {
		const field = readHeader(request, `${prefix}-${suffix}`);
		if (field.kind === 'present') return field.value;
		if (field.kind === 'malformed') return false;
	}
	return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function standardWebhooksKey(secret: string): Buffer | undefined {
	const text = secret.trim().replace(/^whsec_/, '');
	if (!BASE64.test(text)) return undefined;
	const key = Buffer.from(text, 'base64');
	return key.length === 0 ? undefined : key;
}

export const standardWebhooksVerifier = signedPreset({
	scheme: 'standardWebhooks',
	displayName: 'Standard Webhooks / Svix',
	description: 'webhook-id, webhook-timestamp, webhook-signature (v1,…) with a replay window',
	algorithm: 'sha256',
	encoding: 'base64',
	timestamped: true,
	key: standardWebhooksKey,
	parse(request) {
		const signature = header(request, 'signature');
		if (signature === undefined) return signatureRejection('missing');
		if (signature === false) return signatureRejection('malformed');
		const id = header(request, 'id');
		if (id === undefined || id === false) return reject('missing_id');
		const timestamp = header(request, 'timestamp');
		if (timestamp === false) return reject('malformed_timestamp', 'Send exactly one webhook-timestamp header');
		// Space-separated `version,signature` pairs; only v1 (HMAC) is checked.
		const candidates = signature
			.split(' ')
			.filter((entry) => entry.startsWith('v1,'))
			.map((entry) => entry.slice(3));
		if (candidates.length === 0) return signatureRejection('malformed');
		return { payload: prefixed(`${id}.${timestamp ?? ''}.`, request), candidates, timestamp };
	},
	secretFields: {
		headers: ['webhook-signature', 'svix-signature'],
		query: [],
	},
	preset: { eventPath: 'body.type', deliveryIdPath: 'headers.webhook-id' },
});
