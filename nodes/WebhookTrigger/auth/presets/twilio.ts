import { credentialString, readHeader } from '../request';
import { checkRotated, rotatingSecrets } from '../rotation';
import { accept, notConfigured, signatureRejection, type SchemeVerifier } from '../verifier';

/**
 * Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 (auth token) of the full public URL followed by
 * every POST form parameter sorted by name, each as name + value.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
 *
 * The URL is the one Twilio called, not what n8n sees behind a proxy: the credential's Public URL
 * when set, else the node's webhook URL as n8n publishes it (WEBHOOK_URL), which the node passes in
 * as `webhookUrl`.
 */
export interface TwilioCredentials {
	authToken: string;
	previousAuthToken?: string;
	publicUrl?: string;
	/** Filled in by the node, never saved: n8n's public URL of this webhook, with the call's query. */
	webhookUrl?: string;
}

const HEADER = 'x-twilio-signature';

/** Form fields (n8n parses urlencoded bodies into an object); repeated names sign every value. */
function formPairs(body: unknown): string {
	if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return '';
	const entries = Object.entries(body as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	let text = '';
	for (const [name, value] of entries) {
		const values = Array.isArray(value) ? value : [value];
		for (const one of values) text += name + (typeof one === 'string' ? one : String(one ?? ''));
	}
	return text;
}

export const twilioVerifier: SchemeVerifier<TwilioCredentials> = {
	scheme: 'twilio',
	credentialType: 'webhookTwilioApi',
	displayName: 'Twilio',
	description: 'X-Twilio-Signature over the public URL and the form parameters',
	requirements: { secrets: [{ field: 'authToken', label: 'Auth token' }] },
	signsPublicUrl: true,
	preset: { deliveryIdPath: 'headers.i-twilio-idempotency-token' },
	verify(request, credentials) {
		const secrets = rotatingSecrets(credentials, 'authToken', 'previousAuthToken');
		if (secrets.current === '') return notConfigured('Twilio auth token');
		const url = credentialString(credentials, 'publicUrl').trim() || credentialString(credentials, 'webhookUrl');
		if (url === '') return notConfigured('Twilio public URL');
		const header = readHeader(request, HEADER);
		if (header.kind !== 'present') return signatureRejection(header.kind);
		const result = checkRotated(
			{
				payload: Buffer.from(url + formPairs(request?.body), 'utf8'),
				candidates: [header.value],
				algorithm: 'sha1',
				encoding: 'base64',
			},
			secrets,
		);
		if (result.outcome !== 'valid') return signatureRejection(result.outcome);
		return accept('twilio', { algorithm: 'sha1', secret: result.secret, url }, { headers: [HEADER] });
	},
	redactions: () => ({ headers: [HEADER], query: [] }),
	secretFields: { headers: [HEADER], query: [] },
};
