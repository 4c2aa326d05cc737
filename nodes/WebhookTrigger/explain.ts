/**
 * Test mode's answer to "why was my call rejected?": while the user listens for a test event, a
 * rejected call's JSON also says what the node expected and what arrived — which header or query
 * parameter carries the secret and whether it was present, the algorithm and encoding, how many
 * body bytes were signed. Never a secret, a signature value or the expected signature.
 */
import type { AuthScheme } from './auth';
import { schemeFields } from './auth';
import type { IncomingCall } from './gate';

/** Credential fields that describe the scheme and are not secrets. */
const DESCRIPTIVE_FIELDS = ['algorithm', 'encoding', 'source', 'prefix', 'tolerance', 'toleranceSeconds'];

export function explainRejection(
	call: Pick<IncomingCall, 'headers' | 'query' | 'rawBody' | 'body'>,
	scheme: AuthScheme,
	credentials: unknown,
): Record<string, unknown> {
	const fields = schemeFields(scheme, credentials);
	const expected = [
		...fields.headers.map((name) => ({ header: name, present: call.headers[name.toLowerCase()] !== undefined })),
		...fields.query.map((name) => ({ query: name, present: Object.prototype.hasOwnProperty.call(call.query ?? {}, name) })),
	];
	const settings: Record<string, unknown> = {};
	if (credentials !== null && typeof credentials === 'object') {
		for (const key of DESCRIPTIVE_FIELDS) {
			const value = (credentials as Record<string, unknown>)[key];
			if (typeof value === 'string' || typeof value === 'number') settings[key] = value;
		}
	}
	const contentType = call.headers['content-type'];
	return {
		scheme,
		expected,
		...settings,
		signedBytes: call.rawBody?.length ?? 0,
		contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? null,
	};
}
