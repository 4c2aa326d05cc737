import {
	isHmacAlgorithm,
	isSignatureEncoding,
	stripPrefix,
	type HmacAlgorithm,
	type SignatureEncoding,
} from './hmac-core';
import { credentialSecret, credentialString, rawBytes, readHeader, readQuery } from './request';
import { checkRotated } from './rotation';
import type { Redactions } from './types';
import { accept, notConfigured, signatureRejection, type SchemeVerifier } from './verifier';

/** Generic "HMAC of the raw body" (Kiwify: sha1, query `signature`, hex). */
export interface HmacCredentials {
	secret: string;
	/** Optional, during a rotation: calls signed with either secret are accepted. */
	previousSecret?: string;
	algorithm: HmacAlgorithm;
	source: 'header' | 'query';
	parameterName: string;
	encoding: SignatureEncoding;
	prefix: string;
}

/** The credential checked field by field; anything unexpected is a configuration error, never "accept". */
function readConfig(credentials: unknown): HmacCredentials | undefined {
	const secret = credentialSecret(credentials, 'secret');
	const algorithm = credentialString(credentials, 'algorithm');
	const source = credentialString(credentials, 'source');
	const encoding = credentialString(credentials, 'encoding');
	const rawName = credentialString(credentials, 'parameterName').trim();
	if (secret === '' || rawName === '' || !isHmacAlgorithm(algorithm)) return undefined;
	if (!isSignatureEncoding(encoding) || (source !== 'header' && source !== 'query')) return undefined;
	// Header names are case-insensitive (stored lower-cased, as Node gives them); query keys are not.
	const parameterName = source === 'header' ? rawName.toLowerCase() : rawName;
	const prefix = credentialString(credentials, 'prefix');
	const previousSecret = credentialSecret(credentials, 'previousSecret');
	return { secret, previousSecret, algorithm, source, parameterName, encoding, prefix };
}

function redactionsOf(config: Pick<HmacCredentials, 'source' | 'parameterName'>): Redactions {
	return config.source === 'header'
		? { headers: [config.parameterName], query: [] }
		: { headers: [], query: [config.parameterName] };
}

export const hmacVerifier: SchemeVerifier<HmacCredentials> = {
	scheme: 'hmac',
	credentialType: 'webhookHmacApi',
	displayName: 'HMAC Signature',
	description: 'SHA-1/256/512 signature of the raw body',
	requirements: { secrets: [{ field: 'secret', label: 'Secret' }], httpNames: [{ field: 'parameterName', label: 'Parameter name' }] },
	verify(request, credentials) {
		const config = readConfig(credentials);
		if (config === undefined) return notConfigured('HMAC signature verification');
		const { algorithm, source, parameterName, encoding } = config;
		const field =
			source === 'header' ? readHeader(request, parameterName) : readQuery(request, parameterName);
		if (field.kind !== 'present') return signatureRejection(field.kind);
		const candidate = stripPrefix(field.value, config.prefix);
		if (candidate === undefined) return signatureRejection('malformed');
		const result = checkRotated(
			{ payload: rawBytes(request), candidates: [candidate], algorithm, encoding },
			{ current: config.secret, previous: config.previousSecret ?? '' },
		);
		if (result.outcome !== 'valid') return signatureRejection(result.outcome);
		return accept(
			'hmac',
			{ algorithm, encoding, source, parameterName, secret: result.secret },
			redactionsOf(config),
		);
	},
	// From the field's location alone: hide it even when the rest of the credential is incomplete.
	redactions(credentials) {
		const name = credentialString(credentials, 'parameterName').trim();
		if (name === '') return { headers: [], query: [] };
		return credentialString(credentials, 'source') === 'query'
			? redactionsOf({ source: 'query', parameterName: name })
			: redactionsOf({ source: 'header', parameterName: name.toLowerCase() });
	},
	// The credential's default header, and Kiwify's query parameter (docs/authentication.md).
	secretFields: { headers: ['x-signature'], query: ['signature'] },
};
