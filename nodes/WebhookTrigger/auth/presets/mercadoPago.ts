import { readDottedQuery } from '../request';
import { reject, signatureRejection } from '../verifier';
import { isRejected, parseKeyValues, requiredHeader, signedPreset } from './signed';
import { parsedBody } from './body';

/**
 * Mercado Pago: `x-signature: ts=<unix>,v1=<hex>`, HMAC-SHA256 of the manifest
 * `id:{data.id};request-id:{x-request-id};ts:{ts};`. `data.id` comes from the notification URL's
 * query (lower-cased when alphanumeric); parts whose value is absent are left out.
 * https://www.mercadopago.com.br/developers/en/docs/your-integrations/notifications/webhooks
 */
const HEADER = 'x-signature';

function dataId(request: Parameters<typeof parsedBody>[0]): string | undefined {
	const query = readDottedQuery(request, 'data.id');
	if (query.kind === 'present') return query.value.toLowerCase();
	const id = (parsedBody(request) as { data?: { id?: unknown } } | undefined)?.data?.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id).toLowerCase() : undefined;
}

export const mercadoPagoVerifier = signedPreset({
	scheme: 'mercadoPago',
	displayName: 'Mercado Pago',
	description: 'x-signature (ts=…,v1=…) over its manifest, with a replay window',
	algorithm: 'sha256',
	encoding: 'hex',
	timestamped: true,
	parse(request) {
		const header = requiredHeader(request, HEADER);
		if (isRejected(header)) return header;
		const fields = parseKeyValues(header, ',');
		const ts = fields.get('ts')?.[0];
		const candidates = fields.get('v1') ?? [];
		if (candidates.length === 0) return signatureRejection('malformed');
		const requestId = requiredHeader(request, 'x-request-id', 'request_id');
		if (isRejected(requestId) && requestId.code === 'malformed_request_id') return requestId;
		const id = dataId(request);
		let manifest = '';
		if (id !== undefined) manifest += `id:${id};`;
		if (!isRejected(requestId)) manifest += `request-id:${requestId};`;
		if (ts === undefined) return reject(401, 'missing_timestamp', 'x-signature carries no ts');
		manifest += `ts:${ts};`;
		// The documented example is in seconds; some deliveries are reported in milliseconds. The
		// window accepts both; the manifest always signs ts exactly as sent.
		const seconds = /^\d{13}$/.test(ts) ? String(Math.floor(Number(ts) / 1000)) : ts;
		return { payload: Buffer.from(manifest, 'utf8'), candidates, timestamp: seconds };
	},
	secretFields: { headers: [HEADER], query: [] },
	preset: { eventPath: 'body.action', deliveryIdPath: 'body.id' },
});
