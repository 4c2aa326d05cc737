/**
 * The gate every call passes before a workflow runs: allowlists, body limit, authentication,
 * provider handshakes, body schema, then the output item and the output it leaves by. Pure (no n8n
 * context, no I/O), so the node file only reads parameters and writes the answer.
 * Anything but `run` is answered directly and starts no execution.
 */
import { DateTime } from 'luxon';

import { verifyRequest, redactionsFor } from './auth';
import type { AuthScheme, VerificationRequest } from './auth';
import type { IpAllowlist, OriginAllowlist } from './allowlist';
import { isIpAllowed, isOriginAllowed } from './allowlist';
import { mapVariables, resolvePath } from './paths';
import type { VariableMapping } from './paths';
import { redactRequest } from './redact';
import type { RoutingCase } from './routing';
import { isRoutingEnabled, routeEvent } from './routing';
import { validateBody } from './schema';

export interface GateConfig {
	scheme: AuthScheme;
	credentials: unknown;
	ipAllowlist: IpAllowlist;
	originAllowlist: OriginAllowlist;
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

export interface Reply {
	kind: 'reply';
	status: number;
	headers: Record<string, string>;
	contentType: string;
	body: string;
}

export interface Run {
	kind: 'run';
	item: Record<string, unknown>;
	/** Output index the item leaves by. */
	output: number;
	/** Number of outputs the node has (cases + else, or 1). */
	outputs: number;
}

const SIGNED_BODY_SCHEMES: AuthScheme[] = ['hmac', 'slack', 'meta'];

function errorReply(
	status: number,
	error: string,
	message: string,
	extra: Record<string, unknown> = {},
	headers: Record<string, string> = {},
): Reply {
	return {
		kind: 'reply',
		status,
		headers,
		contentType: 'application/json',
		body: JSON.stringify({ error, message, ...extra }),
	};
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function bodySize(call: IncomingCall): number {
	if (call.rawBody) return call.rawBody.length;
	const declared = Number(headerText(call.headers['content-length']));
	return Number.isFinite(declared) ? declared : 0;
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

function checkAllowlists(call: IncomingCall, config: GateConfig): Reply | undefined {
	if (!isIpAllowed(config.ipAllowlist, call.ip)) {
		return errorReply(403, 'ip_not_allowed', 'The caller address is not in the allowlist');
	}
	if (!isOriginAllowed(config.originAllowlist, headerText(call.headers.origin))) {
		return errorReply(403, 'origin_not_allowed', 'The request origin is not in the allowlist');
	}
	return undefined;
}

export function admitCall(call: IncomingCall, config: GateConfig): Reply | Run {
	const refused = checkAllowlists(call, config);
	if (refused) return refused;

	if (call.webhookName === 'setup' && config.scheme !== 'meta') {
		return errorReply(405, 'method_not_allowed', `This webhook accepts ${config.method}`, {}, { Allow: config.method });
	}

	const size = bodySize(call);
	if (size > config.maxBodyBytes) {
		return errorReply(413, 'payload_too_large', `The body is ${size} bytes; the limit is ${config.maxBodyBytes}`);
	}
	if (call.webhookName !== 'setup' && !call.rawBody && SIGNED_BODY_SCHEMES.includes(config.scheme)) {
		return errorReply(415, 'unsupported_media_type', 'Signed calls need a JSON, text, form or XML body');
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
		return errorReply(verification.status, verification.code, verification.message, {}, verification.headers);
	}
	if (verification.kind === 'handshake') {
		return { kind: 'reply', status: verification.status, headers: {}, contentType: verification.contentType, body: verification.body };
	}

	if (config.jsonSchema.trim() !== '') {
		const parsed = bodyForSchema(call);
		if (!parsed.ok) return errorReply(400, 'invalid_json', 'The body must be JSON');
		const result = validateBody(config.jsonSchema, parsed.value);
		if (!result.valid) {
			return errorReply(422, 'schema_violation', 'The body does not match the schema', { errors: result.errors });
		}
	}

	const { headers, query } = redactRequest(
		{ headers: call.headers, query: call.query },
		redactionsFor(config.scheme, config.credentials),
	);
	const root = { body: call.body, headers, query, params: call.params };
	const variables = mapVariables(root, config.variables);
	const saveAs = config.saveBodyAs.trim();
	// defineProperty: a variable named `__proto__` must be data, not a prototype swap.
	if (saveAs !== '') Object.defineProperty(variables, saveAs, { value: call.body, enumerable: true, writable: true, configurable: true });

	const routing = isRoutingEnabled(config.eventPath);
	const eventValue = routing ? resolvePath(root, config.eventPath.trim()) : null;
	const route = routing ? routeEvent(eventValue, config.cases) : { index: 0, case: null };

	const item = {
		body: call.body,
		headers,
		query,
		params: call.params,
		method: request.method,
		ip: call.ip ?? null,
		origin: headerText(call.headers.origin) ?? null,
		receivedAt: DateTime.fromMillis(call.now, { zone: 'utc' }).toISO(),
		event: { path: routing ? config.eventPath.trim() : null, value: eventValue ?? null, case: route.case },
		variables,
		verification: { scheme: verification.scheme, ...verification.details },
	};
	return { kind: 'run', item, output: route.index, outputs: routing ? config.cases.length + 1 : 1 };
}
