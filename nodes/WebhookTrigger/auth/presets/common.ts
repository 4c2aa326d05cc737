import { stripPrefix, type HmacAlgorithm, type SignatureEncoding } from '../hmac-core';
import { credentialString, methodOf, rawBytes, readHeader } from '../request';
import type { Rejected, VerificationRequest } from '../types';
import { reject, signatureRejection, type PresetDefaults, type SchemeVerifier } from '../verifier';
import { standardWebhooksKey } from './standardWebhooks';
import { readKeyValueHeader, type KeyValueFormat, type KeyValueSignatures } from './keyValueHeader';
import { isRejected, requiredHeader, signedPreset, type SigningSecretCredentials } from './signed';

/**
 * A provider that signs in a common HMAC shape, as data: which header, which algorithm and
 * encoding, what text precedes the signature, and which parts are signed in which order. The
 * catalogue (./catalogue.ts) lists them; `commonPreset` turns one into a verifier on the shared
 * signing-secret credential, with rotation, replay window and constant-time checks from signed.ts.
 */

/** One part of the signed message, concatenated in order. `url`: the public webhook URL n8n publishes. */
export type SignedPart = 'body' | 'timestamp' | 'id' | 'url' | 'method' | { text: string };

export interface CommonSpec {
	displayName: string;
	description: string;
	/** The provider's signing documentation. */
	docs: string;
	/** The header carrying the signature. */
	header: string;
	algorithm: HmacAlgorithm;
	encoding: SignatureEncoding;
	/** Text in front of each signature (`sha256=`, `v1,`), compared case-insensitively. */
	prefix?: string;
	/** Several signatures in one header, separated by this (`,` or a space). */
	list?: string;
	/** `t=…,v1=…` headers: the field separator, the timestamp's key (if it is there) and the signatures' key. */
	fields?: KeyValueFormat;
	signs: readonly SignedPart[];
	/**
	 * A signed timestamp checked against the replay window: in its own header, in `fields`, or (`first`)
	 * as the first entry of the signature header's `list`, the signatures after it (Recurly: `ts,sig,sig`).
	 */
	timestamp?: { header?: string; first?: boolean; unit: 'seconds' | 'milliseconds' | 'iso' };
	/** The header of a signed message id. */
	idHeader?: string;
	/** How the saved secret becomes the key: as text (default) or the base64 after `whsec_` (Svix). */
	key?: 'text' | 'whsec';
	/** Other headers to hide with the signature. */
	alsoHide?: string[];
	preset: PresetDefaults;
}

const DIGITS = /^\d{1,15}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Text the replay check always calls malformed. */
const UNREADABLE = 'unreadable';

/**
 * Whole seconds as text (what the replay check reads). Milliseconds and ISO 8601 that do not read
 * as such are `unreadable` (malformed there): a seconds value in an ISO header is not accepted.
 */
export function secondsOf(value: string, unit: 'seconds' | 'milliseconds' | 'iso'): string {
	if (unit === 'seconds') return value;
	if (unit === 'milliseconds') {
		if (!DIGITS.test(value)) return UNREADABLE;
		// The last three digits dropped (and leading zeros): exact, and twice as fast as via a number.
		const end = value.length - 3;
		let start = 0;
		while (start < end && value.charCodeAt(start) === 48) start++;
		return start >= end ? '0' : value.slice(start, end);
	}
	const ms = ISO.test(value) ? Date.parse(value) : NaN;
	return Number.isFinite(ms) && ms >= 0 ? String(Math.floor(ms / 1000)) : UNREADABLE;
}

function keyFor(kind: CommonSpec['key']): ((secret: string) => string | Buffer | undefined) | undefined {
	return kind === 'whsec' ? standardWebhooksKey : undefined;
}

/** The header's signatures (and a timestamp sent with them: `t=`, or a leading entry), prefixes removed; a rejection when none is usable. */
function readSignatures(spec: CommonSpec, request: VerificationRequest): KeyValueSignatures | Rejected {
	let sent: KeyValueSignatures;
	if (spec.fields) {
		const fields = readKeyValueHeader(request, spec.header, spec.fields);
		if (isRejected(fields)) return fields;
		sent = fields;
	} else {
		const value = requiredHeader(request, spec.header);
		if (isRejected(value)) return value;
		const entries = spec.list === undefined ? [value] : value.split(spec.list).map((part) => part.trim()).filter((part) => part !== '');
		// A leading timestamp is never a candidate: the signatures are the entries after it.
		const timestamp = spec.timestamp?.first === true ? entries.shift() : undefined;
		sent = { candidates: entries, timestamp };
	}
	const prefix = spec.prefix ?? '';
	if (prefix === '') return sent.candidates.length === 0 ? signatureRejection('malformed') : sent;
	const candidates: string[] = [];
	for (const entry of sent.candidates) {
		const candidate = stripPrefix(entry, prefix);
		if (candidate !== undefined) candidates.push(candidate);
	}
	if (candidates.length === 0) return signatureRejection('malformed');
	return { candidates, timestamp: sent.timestamp };
}

/**
 * The signed parts in order, as the HMAC hashes them: adjacent text joined (`${t}.` is one string,
 * one update, no Buffer made), the body as its raw bytes (never copied).
 */
function signedParts(signs: readonly SignedPart[], values: { timestamp?: string; id?: string; url: string }, request: VerificationRequest): Array<Buffer | string> {
	const parts: Array<Buffer | string> = [];
	let text = '';
	for (const piece of signs) {
		if (piece === 'body') {
			if (text !== '') parts.push(text);
			parts.push(rawBytes(request));
			text = '';
		} else if (typeof piece === 'object') text += piece.text;
		else if (piece === 'method') text += methodOf(request);
		else text += (piece === 'url' ? values.url : piece === 'id' ? values.id : values.timestamp) ?? '';
	}
	// Empty text adds nothing to the hash: left out.
	if (text !== '') parts.push(text);
	return parts;
}

export function commonPreset(scheme: string, spec: CommonSpec): SchemeVerifier<SigningSecretCredentials> {
	const signsUrl = spec.signs.includes('url');
	const timestampHeader = spec.timestamp?.header;
	const verifier = signedPreset({
		scheme,
		displayName: spec.displayName,
		description: spec.description,
		algorithm: spec.algorithm,
		encoding: spec.encoding,
		timestamped: spec.timestamp !== undefined,
		key: keyFor(spec.key),
		parse(request, credentials) {
			const signatures = readSignatures(spec, request);
			if (isRejected(signatures)) return signatures;
			let sent = signatures.timestamp;
			if (timestampHeader !== undefined) {
				const value = requiredHeader(request, timestampHeader, 'timestamp');
				if (isRejected(value)) return value;
				sent = value;
			}
			let id: string | undefined;
			if (spec.idHeader !== undefined) {
				const field = readHeader(request, spec.idHeader);
				if (field.kind !== 'present') return reject('missing_id', `Send exactly one ${spec.idHeader} header`);
				id = field.value;
			}
			const url = signsUrl ? credentialString(credentials, 'webhookUrl') : '';
			if (signsUrl && url === '') return reject('not_configured', `${spec.displayName}: the webhook's public URL is unknown`);
			const payload = signedParts(spec.signs, { timestamp: sent, id, url }, request);
			const timestamp = spec.timestamp === undefined || sent === undefined ? undefined : secondsOf(sent, spec.timestamp.unit);
			return { payload, candidates: signatures.candidates, timestamp };
		},
		secretFields: { headers: [spec.header, ...(spec.alsoHide ?? [])], query: [] },
		preset: spec.preset,
	});
	return signsUrl ? { ...verifier, signsPublicUrl: true } : verifier;
}
