import { readDottedQuery, readHeader } from '../request';
import type { Rejected, VerificationRequest } from '../types';
import { reject } from '../verifier';
import { parsedBody } from './body';
import { readKeyValueHeader } from './keyValueHeader';
import { isRejected, signedPreset } from './signed';

/**
 * Mercado Pago: `x-signature: ts=<unix>,v1=<hex>`, HMAC-SHA256 of the manifest
 * `id:{data.id};request-id:{x-request-id};ts:{ts};`. `data.id` comes from the notification URL's
 * query (lower-cased when alphanumeric); parts whose value is absent are left out.
 * https://www.mercadopago.com.br/developers/en/docs/your-integrations/notifications/webhooks
 *
 * The body is not signed: anyone holding one captured call can send it again within the replay
 * window with any body. So nothing is read from the body by default (no event path; the duplicate
 * key is the signed x-request-id), and a body whose `data.id` is not the signed one is refused
 * (401 `body_id_mismatch`). A body without `data.id` is admitted: Mercado Pago sends some, e.g.
 * Card Updater's `card.updated`, whose `data` holds card ids.
 */
const HEADER = 'x-signature';

/** The body's `data.id` as sent (undefined when absent or null). */
function bodyDataId(request: VerificationRequest): unknown {
	const data = (parsedBody(request) as { data?: unknown } | undefined)?.data;
	if (data === null || typeof data !== 'object') return undefined;
	return (data as { id?: unknown }).id ?? undefined;
}

/** An id as the manifest writes it: text or a number, lower-cased; undefined for anything else. */
function idText(id: unknown): string | undefined {
	return typeof id === 'string' || typeof id === 'number' ? String(id).toLowerCase() : undefined;
}

/** The data.id the manifest signs: the query's, else (no query parameter) the body's. */
function signedDataId(request: VerificationRequest): string | undefined {
	const query = readDottedQuery(request, 'data.id');
	if (query.kind === 'present') return query.value.toLowerCase();
	return idText(bodyDataId(request));
}

/** After the signature: a body naming another resource than the signed data.id is refused. */
function bodyMatchesSignedId(request: VerificationRequest): Rejected | undefined {
	const body = bodyDataId(request);
	if (body === undefined) return undefined;
	const text = idText(body);
	if (text !== undefined && text === signedDataId(request)) return undefined;
	return reject('body_id_mismatch');
}

export const mercadoPagoVerifier = signedPreset({
	scheme: 'mercadoPago',
	displayName: 'Mercado Pago',
	description: 'x-signature (ts=…,v1=…) over its manifest, with a replay window',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const signed = readKeyValueHeader(request, HEADER, { separator: ',', timestamp: 'ts', signature: 'v1' });
		if (isRejected(signed)) return signed;
		const { candidates, timestamp: ts } = signed;
		// Optional: a manifest without it leaves its part out; repeated, it is refused.
		const requestId = readHeader(request, 'x-request-id');
		if (requestId.kind === 'malformed') return reject('malformed_request_id');
		const id = signedDataId(request);
		let manifest = '';
		if (id !== undefined) manifest += `id:${id};`;
		if (requestId.kind === 'present') manifest += `request-id:${requestId.value};`;
		if (ts === undefined) return reject('missing_timestamp', 'x-signature carries no ts');
		manifest += `ts:${ts};`;
		// The documented example is in seconds; some deliveries are reported in milliseconds. The
		// window accepts both; the manifest always signs ts exactly as sent.
		const seconds = /^\d{13}$/.test(ts) ? String(Math.floor(Number(ts) / 1000)) : ts;
		return { payload: Buffer.from(manifest, 'utf8'), candidates, timestamp: seconds };
	},
	consistent: bodyMatchesSignedId,
	secretFields: { headers: [HEADER], query: [] },
	// Only signed fields: the body's action and id are the caller's word.
	preset: { deliveryIdPath: 'headers.x-request-id' },
});
