/**
 * Test mode's answer to "why was my call rejected?": while the user listens for a test event, a
 * rejected call's JSON also says what the node expected and what arrived — which header or query
 * parameter carries the secret and whether it was present, the algorithm and encoding, how many
 * body bytes were signed. Never a secret, a signature value or the expected signature.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AuthScheme } from '../auth';
import { expectedFields } from '../auth';
import type { IncomingCall, Reply } from './gate';

/** Credential fields that describe the scheme and are not secrets. */
const DESCRIPTIVE_FIELDS = ['algorithm', 'encoding', 'source', 'prefix', 'tolerance', 'toleranceSeconds'];

export function explainRejection(
	call: Pick<IncomingCall, 'headers' | 'query' | 'rawBody' | 'body'>,
	scheme: AuthScheme,
	credentials: unknown,
): Record<string, unknown> {
	const fields = expectedFields(scheme, credentials);
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

/**
 * The editor waits for a test event until an execution starts: a rejected test call answered
 * without one leaves it "waiting" forever. So in test mode webhook() also hands n8n this one item,
 * and execute() (`testRejectionOf`) fails the node with the reason, which the editor then shows.
 * The key cannot come from a real call: webhook() builds every item of an admitted call itself.
 */
const TEST_REJECTION = '$webhookGatewayTestRejection';

export interface TestRejection {
	status: number;
	error: string;
	message: string;
	explanation?: Record<string, unknown>;
}

export function testRejectionItem(reply: Pick<Reply, 'status' | 'body' | 'code'>, explanation?: Record<string, unknown>): INodeExecutionData {
	let message = '';
	try {
		message = String((JSON.parse(reply.body) as { message?: unknown }).message ?? '');
	} catch {
		// A reply body that is not JSON: the code says enough.
	}
	const rejection: TestRejection = { status: reply.status, error: reply.code, message, ...(explanation ? { explanation } : {}) };
	return { json: { [TEST_REJECTION]: rejection as unknown as IDataObject } };
}

/** The rejection a test call's item carries, as the error the editor shows; undefined for a real item. */
export function testRejectionOf(items: INodeExecutionData[]): { message: string; description: string } | undefined {
	const rejection = items[0]?.json?.[TEST_REJECTION] as TestRejection | undefined;
	if (!rejection || typeof rejection !== 'object') return undefined;
	const lines = [`${rejection.message || 'The call was rejected'}. The caller was answered HTTP ${rejection.status}; in production this call starts no execution.`];
	const explanation = rejection.explanation;
	if (explanation) {
		const expected = Array.isArray(explanation.expected) ? (explanation.expected as Array<Record<string, unknown>>) : [];
		const looked = expected.map((field) => {
			const where = field.header !== undefined ? `header "${String(field.header)}"` : `query parameter "${String(field.query)}"`;
			return `${where} (${field.present ? 'present' : 'missing'})`;
		});
		if (looked.length) lines.push(`Looked for the signature or secret in: ${looked.join(', ')}.`);
		const settings = ['algorithm', 'encoding', 'source', 'prefix', 'tolerance', 'toleranceSeconds']
			.filter((key) => explanation[key] !== undefined && explanation[key] !== '')
			.map((key) => `${key} ${String(explanation[key])}`);
		if (settings.length) lines.push(`Credential settings: ${settings.join(', ')}.`);
		lines.push(`Signed bytes received: ${String(explanation.signedBytes ?? 0)} (${String(explanation.contentType ?? 'no content type')}).`);
		lines.push(`Scheme: ${String(explanation.scheme)}.`);
	}
	return { message: `Test call rejected: ${rejection.error} (HTTP ${rejection.status})`, description: lines.join('\n') };
}
