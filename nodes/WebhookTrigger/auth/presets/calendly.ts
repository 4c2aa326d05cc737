import { signatureRejection } from '../verifier';
import { isRejected, parseKeyValues, prefixed, requiredHeader, signedPreset } from './signed';

/**
 * Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, HMAC-SHA256 of `${t}.${body}` with the
 * webhook signing key. https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures
 */
const HEADER = 'calendly-webhook-signature';

export const calendlyVerifier = signedPreset({
	scheme: 'calendly',
	displayName: 'Calendly',
	description: 'Calendly-Webhook-Signature (t=…,v1=…) with a replay window',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const fields = parseKeyValues(header, ',');
		const t = fields.get('t')?.[0];
		const candidates = fields.get('v1') ?? [];
		if (candidates.length === 0) return signatureRejection('malformed');
		return { payload: prefixed(`${t ?? ''}.`, request), candidates, timestamp: t };
	},
	secretFields: { headers: [HEADER], query: [] },
	// No delivery id: the payload's URIs are shared by different events (created, then canceled).
	preset: { eventPath: 'body.event' },
});
