import type { Rejected, VerificationRequest } from '../types';
import { signatureRejection } from '../verifier';
import { isRejected, requiredHeader } from './signed';

/**
 * Signature headers of keyed fields: `t=1,v1=a,v1=b` (Stripe, Calendly, WorkOS), `ts=1,v1=a`
 * (Mercado Pago), `ts=1;h1=a` (Paddle), `v1=a,v1=b` (PagerDuty). The one parser of them.
 */
export interface KeyValueFormat {
	/** Between the fields: `,` or `;`. */
	separator: string;
	/** The key of the timestamp, when the header carries one (`t`, `ts`). */
	timestamp?: string;
	/** The key of the signatures (`v1`, `h1`); every field under it is a candidate. */
	signature: string;
	/**
	 * A header with the timestamp but no signature under the key is `missing_signature`, not
	 * malformed (Stripe: a header of `v0` test signatures only carries none of the scheme checked).
	 */
	timestampAloneIsMissing?: boolean;
}

export interface KeyValueSignatures {
	candidates: string[];
	/** The first value under the timestamp key, as sent. */
	timestamp?: string;
}

/** Every value per key; a field without `=` or without a key is skipped. */
function parseKeyValues(header: string, separator: string): Map<string, string[]> {
	const fields = new Map<string, string[]>();
	for (const part of header.split(separator)) {
		const at = part.indexOf('=');
		if (at <= 0) continue;
		const key = part.slice(0, at).trim();
		const value = part.slice(at + 1).trim();
		fields.set(key, [...(fields.get(key) ?? []), value]);
	}
	return fields;
}

/** The signatures (and timestamp) of the required header `name`; a rejection when it carries no signature. */
export function readKeyValueHeader(request: VerificationRequest, name: string, format: KeyValueFormat): KeyValueSignatures | Rejected {
	const header = requiredHeader(request, name);
	if (isRejected(header)) return header;
	const fields = parseKeyValues(header, format.separator);
	const timestamp = format.timestamp === undefined ? undefined : fields.get(format.timestamp)?.[0];
	const candidates = fields.get(format.signature) ?? [];
	if (candidates.length === 0) {
		return signatureRejection(format.timestampAloneIsMissing === true && timestamp !== undefined ? 'missing' : 'malformed');
	}
	return { candidates, timestamp };
}
