import { rawBytes } from '../request';
import type { VerificationRequest } from '../types';

/** n8n's parsed body when it is an object, else the raw bytes as JSON (or undefined). */
export function parsedBody(request: VerificationRequest): unknown {
	const body: unknown = request?.body;
	if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return body;
	try {
		return JSON.parse(rawBytes(request).toString('utf8'));
	} catch {
		return undefined;
	}
}
