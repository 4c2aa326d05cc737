import { createHmac } from 'crypto';
import fc from 'fast-check';

import type { AuthScheme } from '../../../nodes/WebhookTrigger/auth';
import { CATALOGUE, type CatalogueEntry } from '../../../nodes/WebhookTrigger/auth/presets/catalogue';
import type { SignedPart } from '../../../nodes/WebhookTrigger/auth/presets/common';
import type { Fixture, Payload, SignOptions, Wire } from './fixtures';

/**
 * A sender for every catalogue preset, read from its spec's data: the property tests sign random
 * bodies with these, then forge and mutate them. Written apart from presets/common.ts (which
 * verifies), so a wrong reading of a spec by the verifier shows as a refused valid call.
 */

const PUBLIC_URL = 'https://hooks.example.com/webhook/catalogue?site=1';
const SECRETS = ['catalogue-current-Cq17', 'catalogue-previous-Dr28'];
const WHSEC = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_cHJldmlvdXMtc2VjcmV0LWtleS0xMjM0'];
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const plain = fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 8, maxLength: 40 });
const whsec = fc.uint8Array({ minLength: 16, maxLength: 40 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);

function post(headers: Record<string, unknown>, payload: Payload): Wire {
	return {
		webhookName: 'default',
		method: 'POST',
		headers: { 'content-type': payload.contentType, 'content-length': String(payload.raw.length), ...headers },
		query: {},
		rawBody: payload.raw,
		body: payload.parsed,
	};
}

/** The timestamp as the provider sends it. */
function sentTimestamp(seconds: number, unit: 'seconds' | 'milliseconds' | 'iso'): string {
	if (unit === 'seconds') return String(seconds);
	if (unit === 'milliseconds') return String(seconds * 1000);
	return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function signer(entry: Extract<CatalogueEntry, { kind: 'hmac' }>): Fixture['sign'] {
	return (o: SignOptions) => {
		const id = `msg_${o.timestamp.toString(36)}`;
		const ts = entry.timestamp ? sentTimestamp(o.timestamp, entry.timestamp.unit) : '';
		const key = entry.key === 'whsec' ? Buffer.from(o.secret.replace(/^whsec_/, ''), 'base64') : o.secret;
		const hmac = createHmac(entry.algorithm, key);
		for (const part of entry.signs as readonly SignedPart[]) {
			if (typeof part === 'object') hmac.update(part.text);
			else if (part === 'body') hmac.update(o.payload.raw);
			else hmac.update({ timestamp: ts, id, url: PUBLIC_URL, method: 'POST' }[part]);
		}
		const digest = hmac.digest();
		const text = o.encode ? o.encode(digest, entry.encoding) : digest.toString(entry.encoding);
		const signature = `${entry.prefix ?? ''}${text}`;
		const headers: Record<string, string> = {};
		if (entry.fields) {
			const stamp = entry.fields.timestamp ? `${entry.fields.timestamp}=${ts},` : '';
			headers[entry.header] = `${stamp}${entry.fields.signature}=${signature}`;
		} else if (entry.timestamp?.first) headers[entry.header] = `${ts},${signature}`;
		else headers[entry.header] = signature;
		if (entry.timestamp?.header) headers[entry.timestamp.header] = ts;
		if (entry.idHeader) headers[entry.idHeader] = id;
		return post(headers, o.payload);
	};
}

export function catalogueFixtures(payload: fc.Arbitrary<Payload>): Fixture[] {
	return Object.entries(CATALOGUE).map(([scheme, spec]): Fixture => {
		const entry = spec as CatalogueEntry;
		const base = {
			label: scheme,
			scheme: scheme as AuthScheme,
			payload,
			signedQuery: [],
			expect: 'run' as const,
		};
		if (entry.kind === 'token') {
			return {
				...base,
				secrets: SECRETS,
				credentials: { secret: SECRETS[0], previousSecret: SECRETS[1] },
				forgedSecret: plain.filter((s) => !SECRETS.includes(s)),
				sign: ({ secret, payload: p }) => post({ [entry.header]: secret }, p),
				timestamped: false,
				signsRawBody: false,
				signsDigest: false,
				signedHeaders: [],
			};
		}
		const secrets = entry.key === 'whsec' ? WHSEC : SECRETS;
		return {
			...base,
			secrets,
			credentials: { secret: secrets[0], previousSecret: secrets[1], ...(entry.signs.includes('url') ? { webhookUrl: PUBLIC_URL } : {}) },
			forgedSecret: (entry.key === 'whsec' ? whsec : plain).filter((s) => !secrets.includes(s)),
			sign: signer(entry),
			timestamped: entry.timestamp !== undefined,
			signsRawBody: true,
			signsDigest: true,
			signedHeaders: [entry.timestamp?.header, entry.idHeader].filter((name): name is string => name !== undefined),
		};
	});
}
