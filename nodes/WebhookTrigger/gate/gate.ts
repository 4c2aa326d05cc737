/**
 * The gate every call passes before a workflow runs: allowlists, body limit, authentication,
 * provider handshakes, body schema, then the output item and the output it leaves by. Pure (no n8n
 * context, no I/O), so the node file only reads parameters and writes the answer.
 * Anything but `run` is answered directly and starts no execution.
 */

import { answersGet, bodyForOutput, redactionsFor, signsBody, verifyRequest } from '../auth';
import type { AuthScheme, VerificationRequest } from '../auth';
import type { IpAllowlist, OriginAllowlist } from './allowlist';
import { isIpAllowed, isOriginAllowed } from './allowlist';
import { mapVariables, resolvePath } from './paths';
import type { VariableMapping } from './paths';
import { answerFor, replyFor } from '../replies';
import type { Reply } from '../replies';
import { CREDENTIAL_NAME, redactRequest } from './redact';
import type { RoutingCase } from './routing';
import { isRoutingEnabled, routeEvent } from './routing';
import { validateBody } from './schema';

/** The checks that need neither the credential nor the body: run first, on every call. */
export interface CallerRules {
	ipAllowlist: IpAllowlist;
	originAllowlist: OriginAllowlist;
}

export interface GateConfig extends CallerRules {
	scheme: AuthScheme;
	credentials: unknown;
	maxBodyBytes: number;
	jsonSchema: string;
	eventPath: string;
	cases: RoutingCase[];
	variables: VariableMapping[];
	saveBodyAs: string;
	/** The method of the `default` webhook, for the `Allow` header of a 405. */
	method: string;
}

export interface IncomingCall {
	/** `default` (the configured method) or `setup` (GET, for handshakes). */
	webhookName: string;
	method: string;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, unknown>;
	params: Record<string, unknown>;
	body: unknown;
	/** The bytes sent; undefined where n8n keeps none (multipart/form-data). */
	rawBody: Buffer | undefined;
	ip: string | undefined;
	now: number;
}

export type { Reply };

export interface Run {
	kind: 'run';
	item: Record<string, unknown>;
	/** Output index the item leaves by. */
	output: number;
	/** Number of outputs the node has (cases + else, or 1). */
	outputs: number;
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Bytes of a multipart body as n8n parsed it (formidable: `{ data: fields, files }`, each file with
 * its `size`): what was really received, so a chunked upload without Content-Length is sized too.
 */
function multipartBytes(body: unknown): number {
	if (body === null || typeof body !== 'object') return 0;
	const { data, files } = body as { data?: unknown; files?: unknown };
	let total = data === undefined ? 0 : Buffer.byteLength(JSON.stringify(data) ?? '');
	const sizes = (file: unknown): number => {
		if (Array.isArray(file)) return file.reduce((sum: number, f) => sum + sizes(f), 0);
		const size = file !== null && typeof file === 'object' ? (file as { size?: unknown }).size : undefined;
		return typeof size === 'number' && Number.isFinite(size) ? size : 0;
	};
	if (files !== null && typeof files === 'object') for (const file of Object.values(files)) total += sizes(file);
	if (data === undefined && files === undefined) total = Buffer.byteLength(JSON.stringify(body) ?? '');
	return total;
}

/** The real bytes where n8n kept them; otherwise the larger of what was parsed and what was declared. */
export function bodySize(call: Pick<IncomingCall, 'rawBody' | 'headers' | 'body'>): number {
	if (call.rawBody) return call.rawBody.length;
	const declared = Number(headerText(call.headers['content-length']));
	return Math.max(multipartBytes(call.body), Number.isFinite(declared) ? declared : 0);
}

/** JSON Schema needs a JSON value: a text body is parsed, and one that is not JSON is a 400. */
function bodyForSchema(call: IncomingCall): { ok: true; value: unknown } | { ok: false } {
	if (typeof call.body !== 'string') return { ok: true, value: call.body };
	try {
		return { ok: true, value: JSON.parse(call.rawBody ? call.rawBody.toString('utf8') : call.body) };
	} catch {
		return { ok: false };
	}
}

/**
 * The cheapest checks: the caller's address and Origin. The node runs them before it reads the
 * rest of its parameters or decrypts a credential, so a refused caller costs almost nothing.
 */
export function admitCaller(call: Pick<IncomingCall, 'ip' | 'headers'>, rules: CallerRules): Reply | undefined {
	if (!isIpAllowed(rules.ipAllowlist, call.ip)) {
		return replyFor('ip_not_allowed');
	}
	if (!isOriginAllowed(rules.originAllowlist, headerText(call.headers.origin))) {
		return replyFor('origin_not_allowed');
	}
	return undefined;
}

/** The checks after the caller's: method, size, authentication and handshakes, schema; then the item. */
export function admitRequest(call: IncomingCall, config: Omit<GateConfig, keyof CallerRules>): Reply | Run {
	if (call.webhookName === 'setup' && !answersGet(config.scheme)) {
		return replyFor('method_not_allowed', { message: `This webhook accepts ${config.method}`, headers: { Allow: config.method } });
	}

	const size = bodySize(call);
	if (size > config.maxBodyBytes) {
		return replyFor('payload_too_large', { message: `The body is ${size} bytes; the limit is ${config.maxBodyBytes}` });
	}
	if (call.webhookName !== 'setup' && !call.rawBody && signsBody(config.scheme)) {
		return replyFor('unsupported_media_type');
	}

	const request: VerificationRequest = {
		method: call.method.toUpperCase(),
		headers: call.headers,
		query: call.query,
		rawBody: call.rawBody ?? Buffer.alloc(0),
		body: call.body,
		now: call.now,
	};
	const verification = verifyRequest(config.scheme, request, config.credentials);
	if (verification.kind === 'rejected') {
		return replyFor(verification.code, { status: verification.status, message: verification.message, headers: verification.headers });
	}
	if (verification.kind === 'handshake') {
		return answerFor('handshake', verification.body, {
			status: verification.status,
			contentType: verification.contentType,
			headers: verification.headers,
		});
	}

	if (config.jsonSchema.trim() !== '') {
		const parsed = bodyForSchema(call);
		if (!parsed.ok) return replyFor('invalid_json');
		const result = validateBody(config.jsonSchema, parsed.value);
		if (!result.valid) {
			return replyFor('schema_violation', { extra: { errors: result.errors } });
		}
	}

	const { headers, query } = redactRequest(
		{ headers: call.headers, query: call.query },
		redactionsFor(config.scheme, config.credentials),
		CREDENTIAL_NAME,
	);
	const body = bodyForOutput(config.scheme, call.body);
	const root = { body, headers, query, params: call.params };
	const variables = mapVariables(root, config.variables);
	const saveAs = config.saveBodyAs.trim();
	// defineProperty: a variable named `__proto__` must be data, not a prototype swap.
	if (saveAs !== '') Object.defineProperty(variables, saveAs, { value: body, enumerable: true, writable: true, configurable: true });

	const routing = isRoutingEnabled(config.eventPath);
	const eventValue = routing ? resolvePath(root, config.eventPath.trim()) : null;
	const route = routing ? routeEvent(eventValue, config.cases) : { index: 0, case: null };

	const item = {
		body,
		headers,
		query,
		params: call.params,
		method: request.method,
		ip: call.ip ?? null,
		origin: headerText(call.headers.origin) ?? null,
		// ISO 8601 in UTC, as luxon's toISO() wrote it; a Date does it without a DateTime per call.
		receivedAt: new Date(call.now).toISOString(),
		event: { path: routing ? config.eventPath.trim() : null, value: eventValue ?? null, case: route.case },
		variables,
		verification: { scheme: verification.scheme, ...verification.details },
	};
	return { kind: 'run', item, output: route.index, outputs: routing ? config.cases.length + 1 : 1 };
}
