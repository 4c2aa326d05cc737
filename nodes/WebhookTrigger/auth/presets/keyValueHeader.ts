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

/**
 * The signatures (and timestamp) of the required header `name`; a rejection when it carries no
 * signature. One scan of the fields by index (a split and its array cost more than the rest of the
 * parse), reading only the two keys asked for; a field without `=` or without a key is skipped.
 */
export function readKeyValueHeader(request: VerificationRequest, name: string, format: KeyValueFormat): KeyValueSignatures | Rejected {
	const header = requiredHeader(request, name);
	if (isRejected(header)) return header;
	const { separator, signature } = format;
	let timestamp: string | undefined;
	const candidates: string[] = [];
	for (let start = 0; start <= header.length; ) {
		let end = header.indexOf(separator, start);
		if (end < 0) end = header.length;
		const at = header.indexOf('=', start);
		if (at > start && at < end) {
			const key = header.slice(start, at).trim();
			if (key === signature) candidates.push(header.slice(at + 1, end).trim());
			if (key === format.timestamp && timestamp === undefined) timestamp = header.slice(at + 1, end).trim();
		}
		start = end + (separator.length || 1);
	}
	if (candidates.length === 0) {
		return signatureRejection(format.timestampAloneIsMissing === true && timestamp !== undefined ? 'missing' : 'malformed');
	}
	return { candidates, timestamp };
}
