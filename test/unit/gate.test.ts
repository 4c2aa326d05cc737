import { createHmac } from 'crypto';
import { parseIpAllowlist, parseOriginAllowlist } from '../../nodes/WebhookTrigger/gate/allowlist';
import { AUTH_SCHEMES, signsBody } from '../../nodes/WebhookTrigger/auth';
import type { AuthScheme } from '../../nodes/WebhookTrigger/auth';
import { admitCall } from '../support/admitCall';
import { gateConfig } from '../support/gateConfig';
import type { GateConfig, IncomingCall, Reply, Run } from '../../nodes/WebhookTrigger/gate/gate';

/**
 * The gate as a composition: which check answers first when a call fails several at once, and
 * what the item of an admitted call looks like. Each piece (allowlists, verifiers, paths, schema,
 * routing, redaction) has its own unit tests; these only pin down how admitCall wires them.
 */

const NOW = Date.UTC(2024, 4, 17, 12, 30, 45, 123);
const CALLER_IP = '203.0.113.7';
const OTHER_IP = '198.51.100.9';

const BEARER_TOKEN = 'bearer-token-Zq81';
const HMAC_SECRET = 'hmac-secret-Kp42';
const SLACK_SECRET = 'slack-signing-secret-Wm93';
const META_VERIFY_TOKEN = 'meta-verify-token-Tx55';
const META_APP_SECRET = 'meta-app-secret-Hb17';
const SECRETS = [BEARER_TOKEN, HMAC_SECRET, SLACK_SECRET, META_VERIFY_TOKEN, META_APP_SECRET];

const hmacCredentials = {
	secret: HMAC_SECRET,
	algorithm: 'sha256',
	source: 'header',
	parameterName: 'X-Signature',
	encoding: 'hex',
	prefix: 'sha256=',
};
/** The gate with the generic HMAC scheme on hmacCredentials. */
const hmacConfig = (overrides: Partial<GateConfig> = {}) => gateConfig({ scheme: 'hmac', credentials: hmacCredentials, ...overrides });
const slackCredentials = { signingSecret: SLACK_SECRET };
const metaCredentials = { verifyToken: META_VERIFY_TOKEN, appSecret: META_APP_SECRET };

const EMAIL_SCHEMA = JSON.stringify({
	type: 'object',
	required: ['email'],
	properties: { email: { type: 'string' } },
});

/** A POST to the `default` webhook carrying `raw` as its bytes and `body` as n8n parsed it. */
function call(overrides: Partial<IncomingCall> = {}): IncomingCall {
	return {
		webhookName: 'default',
		method: 'POST',
		headers: {},
		query: {},
		params: {},
		body: {},
		rawBody: Buffer.from('{}'),
		ip: CALLER_IP,
		now: NOW,
		...overrides,
	};
}

/** A JSON call: the raw bytes are `raw` (default: the payload serialized), the parsed body the payload. */
function jsonCall(
	payload: unknown,
	overrides: Partial<IncomingCall> = {},
	raw: string = JSON.stringify(payload),
): IncomingCall {
	const rawBody = Buffer.from(raw, 'utf8');
	return call({
		body: payload,
		rawBody,
		...overrides,
		headers: {
			'content-type': 'application/json',
			'content-length': String(rawBody.length),
			...overrides.headers,
		},
	});
}

const hexHmac = (secret: string, payload: Buffer | string): string =>
	createHmac('sha256', secret).update(payload).digest('hex');

/** A JSON call signed the way `hmacCredentials` expects (over the raw bytes). */
function hmacCall(payload: unknown, overrides: Partial<IncomingCall> = {}): IncomingCall {
	const raw = JSON.stringify(payload);
	return jsonCall(payload, {
		...overrides,
		headers: { 'x-signature': `sha256=${hexHmac(HMAC_SECRET, raw)}`, ...overrides.headers },
	});
}

const BAD_SIGNATURE = { 'x-signature': `sha256=${'0'.repeat(64)}` };

function expectRun(result: Reply | Run): Run {
	expect(result.kind).toBe('run');
	if (result.kind !== 'run') throw new Error(`expected a run, got reply ${result.status}: ${result.body}`);
	return result;
}

function expectReply(result: Reply | Run, status: number): Reply {
	expect(result.kind).toBe('reply');
	if (result.kind !== 'reply') throw new Error('expected a reply, got a run');
	expect(result.status).toBe(status);
	return result;
}

/** A rejection: JSON content type and a body of exactly `{ error, message }` (plus `errors` for 422). */
function expectRejection(result: Reply | Run, status: number, error: string): Record<string, unknown> {
	const reply = expectReply(result, status);
	expect(reply.contentType).toBe('application/json');
	const body = JSON.parse(reply.body) as Record<string, unknown>;
	expect(body.error).toBe(error);
	expect(typeof body.message).toBe('string');
	expect(Object.keys(body).sort()).toEqual(status === 422 ? ['error', 'errors', 'message'] : ['error', 'message']);
	for (const secret of SECRETS) expect(reply.body).not.toContain(secret);
	return body;
}

describe('admitCall', () => {
	describe('a public call', () => {
		it('runs on output 0 of 1 with the whole item', () => {
			const payload = { hello: 'world' };
			const incoming = jsonCall(payload, {
				query: { page: '2' },
				params: { id: '7' },
				headers: { 'x-request-id': 'req-1' },
			});
			const run = expectRun(admitCall(incoming, gateConfig()));
			expect(run.output).toBe(0);
			expect(run.outputs).toBe(1);
			expect(run.item).toEqual({
				body: payload,
				headers: { 'content-type': 'application/json', 'content-length': '17', 'x-request-id': 'req-1' },
				query: { page: '2' },
				params: { id: '7' },
				method: 'POST',
				ip: CALLER_IP,
				origin: null,
				receivedAt: new Date(NOW).toISOString(),
				event: { path: null, value: null, case: null },
				variables: {},
				verification: { scheme: 'none' },
			});
		});

		it('upper-cases the method, takes the first Origin and gives a missing ip as null', () => {
			const incoming = jsonCall({}, {
				method: 'post',
				ip: undefined,
				headers: { origin: ['https://app.example.com', 'https://other.example.com'] },
			});
			const run = expectRun(admitCall(incoming, gateConfig()));
			expect(run.item.method).toBe('POST');
			expect(run.item.origin).toBe('https://app.example.com');
			expect(run.item.ip).toBeNull();
		});
	});

	describe('order of checks', () => {
		const bearer = (overrides: Partial<GateConfig> = {}) =>
			gateConfig({ scheme: 'bearer', credentials: { token: BEARER_TOKEN }, ...overrides });

		it('checks the IP allowlist before the origin allowlist and the token', () => {
			const incoming = jsonCall({}, {
				ip: OTHER_IP,
				headers: { authorization: 'Bearer wrong-token', origin: 'https://evil.example.net' },
			});
			const reply = admitCall(
				incoming,
				bearer({
					ipAllowlist: parseIpAllowlist(CALLER_IP),
					originAllowlist: parseOriginAllowlist('https://app.example.com'),
				}),
			);
			expectRejection(reply, 403, 'ip_not_allowed');
			// Not the bearer rejection: it would carry a WWW-Authenticate challenge.
			expect((reply as Reply).headers).toEqual({});
		});

		it('refuses a disallowed origin even with a valid token', () => {
			const incoming = jsonCall({}, {
				headers: { authorization: `Bearer ${BEARER_TOKEN}`, origin: 'https://evil.example.net' },
			});
			const gate = bearer({
				ipAllowlist: parseIpAllowlist(CALLER_IP),
				originAllowlist: parseOriginAllowlist('https://app.example.com'),
			});
			expectRejection(admitCall(incoming, gate), 403, 'origin_not_allowed');
			const allowed = jsonCall({}, {
				headers: { authorization: `Bearer ${BEARER_TOKEN}`, origin: 'https://app.example.com' },
			});
			expectRun(admitCall(allowed, gate));
		});

		it('checks the body size before the signature', () => {
			const payload = { text: 'x'.repeat(200) };
			const incoming = jsonCall(payload, { headers: BAD_SIGNATURE });
			const body = expectRejection(
				admitCall(incoming, hmacConfig({ maxBodyBytes: 100 })),
				413,
				'payload_too_large',
			);
			const size = (incoming.rawBody as Buffer).length;
			expect(body.message).toBe(`The body is ${size} bytes; the limit is 100`);
		});

		it('admits a body of exactly the limit', () => {
			const incoming = hmacCall({ text: 'x'.repeat(50) });
			const limit = (incoming.rawBody as Buffer).length;
			const gate = hmacConfig({ maxBodyBytes: limit });
			expectRun(admitCall(incoming, gate));
			expectRejection(admitCall(incoming, { ...gate, maxBodyBytes: limit - 1 }), 413, 'payload_too_large');
		});

		it('checks the signature before the schema', () => {
			const incoming = jsonCall({ email: 5 }, { headers: BAD_SIGNATURE });
			const gate = hmacConfig({ jsonSchema: EMAIL_SCHEMA });
			expectRejection(admitCall(incoming, gate), 401, 'signature_mismatch');
		});

		it('answers 422 with the schema errors once authentication passed', () => {
			const incoming = hmacCall({ email: 5 });
			const gate = hmacConfig({ jsonSchema: EMAIL_SCHEMA });
			const body = expectRejection(admitCall(incoming, gate), 422, 'schema_violation');
			expect(body.errors).toEqual([{ path: '/email', message: 'must be string' }]);
			expectRun(admitCall(hmacCall({ email: 'ana@example.com' }), gate));
		});

		it('answers 400 invalid_json for a text body when a schema is set', () => {
			const text = 'email=ana@example.com';
			const incoming = call({
				body: text,
				rawBody: Buffer.from(text),
				headers: { 'content-type': 'text/plain' },
			});
			expectRejection(admitCall(incoming, gateConfig({ jsonSchema: EMAIL_SCHEMA })), 400, 'invalid_json');
			// Without a schema the same call runs: the body is only parsed for validation.
			expectRun(admitCall(incoming, gateConfig()));
		});

		it('validates a text body that is JSON by parsing it, and keeps the text in the item', () => {
			const text = '{"email":"ana@example.com"}';
			const incoming = call({ body: text, rawBody: Buffer.from(text), headers: { 'content-type': 'text/plain' } });
			const run = expectRun(admitCall(incoming, gateConfig({ jsonSchema: EMAIL_SCHEMA })));
			expect(run.item.body).toBe(text);
			const invalid = '{"email":5}';
			const bad = call({ body: invalid, rawBody: Buffer.from(invalid), headers: { 'content-type': 'text/plain' } });
			expectRejection(admitCall(bad, gateConfig({ jsonSchema: EMAIL_SCHEMA })), 422, 'schema_violation');
		});

		it('passes a verifier rejection through with its status and headers', () => {
			const reply = expectReply(admitCall(jsonCall({}), bearer()), 401);
			expectRejection(reply, 401, 'missing_token');
			expect(reply.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="webhook"' });
		});
	});

	describe('the setup (GET) webhook', () => {
		const setupCall = (overrides: Partial<IncomingCall> = {}): IncomingCall =>
			call({ webhookName: 'setup', method: 'GET', body: {}, rawBody: undefined, ...overrides });
		const handshakeQuery = (token: string) => ({
			'hub.mode': 'subscribe',
			'hub.verify_token': token,
			'hub.challenge': 'challenge-8812',
		});

		it('answers 405 with Allow set to the configured method on a non-meta scheme', () => {
			const gate = gateConfig({ scheme: 'bearer', credentials: { token: BEARER_TOKEN }, method: 'PUT' });
			// A valid token and an oversized declared body: 405 comes before both.
			const incoming = setupCall({ headers: { authorization: `Bearer ${BEARER_TOKEN}`, 'content-length': '999999999' } });
			const reply = expectReply(admitCall(incoming, gate), 405);
			expectRejection(reply, 405, 'method_not_allowed');
			expect(reply.headers).toEqual({ Allow: 'PUT' });
			expect(JSON.parse(reply.body)).toEqual({ error: 'method_not_allowed', message: 'This webhook accepts PUT' });
		});

		it('answers 405 on the public scheme too', () => {
			const reply = expectReply(admitCall(setupCall(), gateConfig({ method: 'PATCH' })), 405);
			expect(reply.headers).toEqual({ Allow: 'PATCH' });
		});

		it('checks the allowlists before answering 405', () => {
			const gate = gateConfig({ method: 'PUT', ipAllowlist: parseIpAllowlist(CALLER_IP) });
			const reply = admitCall(setupCall({ ip: OTHER_IP }), gate);
			expectRejection(reply, 403, 'ip_not_allowed');
			expect((reply as Reply).headers).toEqual({});
		});

		it('answers the Meta subscription handshake with the challenge as text', () => {
			const incoming = setupCall({ query: handshakeQuery(META_VERIFY_TOKEN) });
			const result = admitCall(incoming, gateConfig({ scheme: 'meta', credentials: metaCredentials }));
			expect(result).toEqual({
				kind: 'reply',
				code: 'handshake',
				status: 200,
				headers: {},
				contentType: 'text/plain',
				body: 'challenge-8812',
			});
		});

		it('refuses a wrong Meta verify token without echoing either token', () => {
			const incoming = setupCall({ query: handshakeQuery('guess') });
			const reply = admitCall(incoming, gateConfig({ scheme: 'meta', credentials: metaCredentials }));
			expectRejection(reply, 403, 'verify_token_mismatch');
			expect((reply as Reply).body).not.toContain('guess');
		});

		it('checks the IP allowlist before the Meta handshake', () => {
			const incoming = setupCall({ ip: OTHER_IP, query: handshakeQuery(META_VERIFY_TOKEN) });
			const gate = gateConfig({
				scheme: 'meta',
				credentials: metaCredentials,
				ipAllowlist: parseIpAllowlist(`${CALLER_IP}/32`),
			});
			const body = expectRejection(admitCall(incoming, gate), 403, 'ip_not_allowed');
			expect(JSON.stringify(body)).not.toContain('challenge-8812');
		});
	});

	describe('bodies n8n keeps no bytes of (multipart)', () => {
		const form = { name: 'Ana', file: 'report.pdf' };

		it.each([
			['hmac', hmacCredentials, { 'x-signature': `sha256=${hexHmac(HMAC_SECRET, '')}` }],
			['meta', metaCredentials, { 'x-hub-signature-256': `sha256=${hexHmac(META_APP_SECRET, '')}` }],
			[
				'slack',
				slackCredentials,
				{
					'x-slack-request-timestamp': String(NOW / 1000),
					'x-slack-signature': `v0=${hexHmac(SLACK_SECRET, `v0:${NOW / 1000}:`)}`,
				},
			],
		] as const)('refuses a %s-signed call with 415 (a signature over no bytes would verify)', (scheme, credentials, headers) => {
			const incoming = call({ body: form, rawBody: undefined, headers: { 'content-type': 'multipart/form-data', ...headers } });
			expectRejection(admitCall(incoming, gateConfig({ scheme, credentials })), 415, 'unsupported_media_type');
		});

		it('checks the declared size before the media type on a signed scheme', () => {
			const incoming = call({ body: form, rawBody: undefined, headers: { 'content-length': '5000' } });
			const gate = hmacConfig({ maxBodyBytes: 4096 });
			expectRejection(admitCall(incoming, gate), 413, 'payload_too_large');
		});

		it('runs a public call and sizes it by its Content-Length header', () => {
			const gate = gateConfig({ maxBodyBytes: 4096 });
			const fits = call({ body: form, rawBody: undefined, headers: { 'content-length': '4096' } });
			expect(expectRun(admitCall(fits, gate)).item.body).toEqual(form);
			const tooBig = call({ body: form, rawBody: undefined, headers: { 'content-length': '4097' } });
			const body = expectRejection(admitCall(tooBig, gate), 413, 'payload_too_large');
			expect(body.message).toBe('The body is 4097 bytes; the limit is 4096');
		});

		it('sizes a multipart body without Content-Length (chunked) by the bytes n8n received (review #7)', () => {
			const gate = gateConfig({ maxBodyBytes: 4096 });
			// n8n's multipart parser: fields in `data`, files (saved to disk) with their size in `files`.
			const upload = (size: number) => ({
				data: { name: 'Ana' },
				files: { report: { size, originalFilename: 'report.pdf', mimetype: 'application/pdf' } },
			});
			const fits = call({ body: upload(1000), rawBody: undefined, headers: { 'content-type': 'multipart/form-data' } });
			expectRun(admitCall(fits, gate));
			const chunked = call({
				body: { data: {}, files: { a: [{ size: 3000 }, { size: 3000 }] } },
				rawBody: undefined,
				headers: { 'content-type': 'multipart/form-data', 'transfer-encoding': 'chunked' },
			});
			const body = expectRejection(admitCall(chunked, gate), 413, 'payload_too_large');
			expect(body.message).toBe('The body is 6002 bytes; the limit is 4096');
			const big = call({ body: upload(5000), rawBody: undefined, headers: { 'content-type': 'multipart/form-data' } });
			expectRejection(admitCall(big, gate), 413, 'payload_too_large');
		});
	});

	describe('HMAC', () => {
		it('runs a call signed over its raw bytes and hides the signature everywhere in the item', () => {
			const payload = { order: 'A-1', total: 10 };
			const incoming = hmacCall(payload);
			const run = expectRun(
				admitCall(
					incoming,
					hmacConfig({
						variables: [
							{ path: 'headers.x-signature', name: 'sig' },
							{ path: 'body.order', name: 'order' },
						],
					}),
				),
			);
			const headers = run.item.headers as Record<string, unknown>;
			expect(headers['x-signature']).toBe('[redacted]');
			expect(run.item.variables).toEqual({ sig: '[redacted]', order: 'A-1' });
			expect(run.item.verification).toEqual({
				scheme: 'hmac',
				algorithm: 'sha256',
				encoding: 'hex',
				source: 'header',
				parameterName: 'x-signature',
				secret: 'current',
			});
			const text = JSON.stringify(run.item);
			expect(text).not.toContain(HMAC_SECRET);
			expect(text).not.toContain(hexHmac(HMAC_SECRET, JSON.stringify(payload)));
			// The item holds a copy: the request the verifier read still has the real signature.
			expect(incoming.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
		});

		it('hides every credential-bearing header and query value, not only its own (review #3)', () => {
			const basic = 'Basic ' + Buffer.from('ana:pa55word').toString('base64');
			const foreign = {
				authorization: basic,
				'proxy-authorization': 'Bearer proxy-secret-771',
				cookie: 'session=cookie-secret-882',
				'x-hub-signature-256': `sha256=${'a'.repeat(64)}`,
				'x-slack-signature': `v0=${'b'.repeat(64)}`,
				'x-request-id': 'req-7',
			};
			const incoming = hmacCall({ a: 1 }, { headers: foreign, query: { token: 'query-secret-993', page: '2' } });
			const run = expectRun(
				admitCall(
					incoming,
					hmacConfig({
						variables: [
							{ path: 'headers.authorization', name: 'auth' },
							{ path: 'headers.cookie', name: 'cookie' },
							{ path: 'query.token', name: 'token' },
						],
					}),
				),
			);
			const headers = run.item.headers as Record<string, unknown>;
			for (const name of ['authorization', 'proxy-authorization', 'cookie', 'x-hub-signature-256', 'x-slack-signature', 'x-signature']) {
				expect(headers[name]).toBe('[redacted]');
			}
			expect(headers['x-request-id']).toBe('req-7');
			expect(run.item.query).toEqual({ token: '[redacted]', page: '2' });
			expect(run.item.variables).toEqual({ auth: '[redacted]', cookie: '[redacted]', token: '[redacted]' });
			const text = JSON.stringify(run.item);
			for (const secret of ['pa55word', basic, 'proxy-secret-771', 'cookie-secret-882', 'a'.repeat(64), 'query-secret-993']) {
				expect(text).not.toContain(secret);
			}
		});

		it('verifies the bytes as sent, not the parsed body re-serialized', () => {
			const payload = { order: 'A-1' };
			const raw = '{ "order": "A-1" }';
			const incoming = jsonCall(payload, {
				headers: { 'x-signature': `sha256=${hexHmac(HMAC_SECRET, JSON.stringify(payload))}` },
			}, raw);
			const gate = hmacConfig();
			expectRejection(admitCall(incoming, gate), 401, 'signature_mismatch');
			const signedRaw = jsonCall(payload, { headers: { 'x-signature': `sha256=${hexHmac(HMAC_SECRET, raw)}` } }, raw);
			expectRun(admitCall(signedRaw, gate));
		});
	});

	describe('Slack', () => {
		const ts = Math.floor(NOW / 1000);
		const slackCall = (raw: string, secret: string): IncomingCall =>
			jsonCall(JSON.parse(raw) as unknown, {
				headers: {
					'x-slack-request-timestamp': String(ts),
					'x-slack-signature': `v0=${hexHmac(secret, `v0:${ts}:${raw}`)}`,
				},
			}, raw);
		const verification = '{"token":"t0","challenge":"chal-5531","type":"url_verification"}';

		it('answers a signed url_verification with the challenge as JSON and runs nothing', () => {
			const result = admitCall(slackCall(verification, SLACK_SECRET), gateConfig({ scheme: 'slack', credentials: slackCredentials }));
			expect(result).toEqual({
				kind: 'reply',
				code: 'handshake',
				status: 200,
				headers: {},
				contentType: 'application/json',
				body: '{"challenge":"chal-5531"}',
			});
		});

		it('does not answer a url_verification signed with another secret', () => {
			const result = admitCall(slackCall(verification, 'not-the-secret'), gateConfig({ scheme: 'slack', credentials: slackCredentials }));
			const body = expectRejection(result, 401, 'signature_mismatch');
			expect(JSON.stringify(body)).not.toContain('chal-5531');
		});

		it('runs a signed event with the timestamp in the verification details', () => {
			const raw = '{"type":"event_callback","event":{"type":"app_mention"}}';
			const run = expectRun(admitCall(slackCall(raw, SLACK_SECRET), gateConfig({ scheme: 'slack', credentials: slackCredentials })));
			expect(run.item.verification).toEqual({ scheme: 'slack', timestamp: ts, secret: 'current' });
			expect((run.item.headers as Record<string, unknown>)['x-slack-signature']).toBe('[redacted]');
		});
	});

	describe('routing', () => {
		const cases = [
			{ label: 'Paid', value: 'order.paid' },
			{ label: 'Refunded', value: 'order.refunded' },
			{ label: '', value: '42' },
		];
		const routed = (event: unknown) =>
			expectRun(admitCall(jsonCall({ event }), gateConfig({ eventPath: ' body.event ', cases })));

		it('sends a matching event to its case output, named by its label', () => {
			const run = routed('order.refunded');
			expect(run.output).toBe(1);
			expect(run.outputs).toBe(4);
			expect(run.item.event).toEqual({ path: 'body.event', value: 'order.refunded', case: 'Refunded' });
		});

		it('sends an unknown or missing event to else (index cases.length)', () => {
			const unknown = routed('order.created');
			expect(unknown.output).toBe(3);
			expect(unknown.outputs).toBe(4);
			expect(unknown.item.event).toEqual({ path: 'body.event', value: 'order.created', case: null });
			const missing = expectRun(admitCall(jsonCall({}), gateConfig({ eventPath: 'body.event', cases })));
			expect(missing.output).toBe(3);
			expect(missing.item.event).toEqual({ path: 'body.event', value: null, case: null });
		});

		it('matches a numeric event value against the case text, falling back to the value as name', () => {
			const run = routed(42);
			expect(run.output).toBe(2);
			expect(run.item.event).toEqual({ path: 'body.event', value: 42, case: '42' });
		});

		it('ignores cases when the event path is blank', () => {
			const run = expectRun(admitCall(jsonCall({ event: 'order.paid' }), gateConfig({ eventPath: '  ', cases })));
			expect(run.output).toBe(0);
			expect(run.outputs).toBe(1);
			expect(run.item.event).toEqual({ path: null, value: null, case: null });
		});
	});

	describe('variables', () => {
		const payload = { data: [{ email: 'ana@example.com' }], event: 'order.paid' };

		it('resolves mappings over body, headers, query and params; a missing path is null', () => {
			const incoming = jsonCall(payload, {
				headers: { 'x-request-id': 'req-9' },
				query: { page: '3' },
				params: { tenant: 'acme' },
			});
			const run = expectRun(
				admitCall(
					incoming,
					gateConfig({
						variables: [
							{ path: 'body.data[0].email', name: 'email' },
							{ path: 'body.data[1].email', name: 'second' },
							{ path: 'headers.x-request-id', name: 'requestId' },
							{ path: 'query.page', name: 'page' },
							{ path: 'params.tenant', name: 'tenant' },
						],
					}),
				),
			);
			expect(run.item.variables).toEqual({
				email: 'ana@example.com',
				second: null,
				requestId: 'req-9',
				page: '3',
				tenant: 'acme',
			});
		});

		it('saves the whole body under saveBodyAs (trimmed)', () => {
			const run = expectRun(
				admitCall(
					jsonCall(payload),
					gateConfig({ variables: [{ path: 'body.event', name: 'event' }], saveBodyAs: ' payload ' }),
				),
			);
			expect(run.item.variables).toEqual({ event: 'order.paid', payload });
		});

		it('saves the body under __proto__ as plain data, not as the prototype', () => {
			const run = expectRun(admitCall(jsonCall(payload), gateConfig({ saveBodyAs: '__proto__' })));
			const variables = run.item.variables as Record<string, unknown>;
			expect(Object.keys(variables)).toEqual(['__proto__']);
			expect(Object.getOwnPropertyDescriptor(variables, '__proto__')?.value).toEqual(payload);
			expect(Object.getPrototypeOf(variables)).toBe(Object.prototype);
			expect((variables as { data?: unknown }).data).toBeUndefined();
		});
	});

	describe('rejection bodies', () => {
		const bearer = gateConfig({ scheme: 'bearer', credentials: { token: BEARER_TOKEN } });
		const hmac = hmacConfig();
		const meta = gateConfig({ scheme: 'meta', credentials: metaCredentials });
		const cases: Array<[string, IncomingCall, GateConfig, number, string]> = [
			['wrong bearer token', jsonCall({}, { headers: { authorization: `Bearer ${BEARER_TOKEN}x` } }), bearer, 401, 'invalid_token'],
			['missing HMAC signature', jsonCall({ a: 1 }), hmac, 401, 'missing_signature'],
			['malformed HMAC signature', jsonCall({ a: 1 }, { headers: { 'x-signature': 'md5=abc' } }), hmac, 401, 'malformed_signature'],
			['bad Meta signature', jsonCall({ a: 1 }, { headers: { 'x-hub-signature-256': BAD_SIGNATURE['x-signature'] } }), meta, 401, 'signature_mismatch'],
			['HMAC credential without a secret', hmacCall({ a: 1 }), hmacConfig({ credentials: { ...hmacCredentials, secret: '' } }), 401, 'not_configured'],
			['IP not allowed', hmacCall({ a: 1 }, { ip: OTHER_IP }), { ...hmac, ipAllowlist: parseIpAllowlist('10.0.0.0/8') }, 403, 'ip_not_allowed'],
		];

		it.each(cases)('%s: exactly { error, message }, no secret', (_name, incoming, gate, status, error) => {
			expectRejection(admitCall(incoming, gate), status, error);
		});
	});
});

describe('multipart on every scheme that signs the body', () => {
	it('refuses a multipart call with 415 on each signing preset, and lets token schemes verify it', () => {
		const form = { data: { a: '1' }, files: {} };
		for (const scheme of AUTH_SCHEMES) {
			const result = admitCall(
				call({ body: form, rawBody: undefined, headers: { 'content-type': 'multipart/form-data' } }),
				gateConfig({ scheme, credentials: {} }),
			);
			if (signsBody(scheme)) expectRejection(result, 415, 'unsupported_media_type');
			else expect(result.kind === 'run' || (result.kind === 'reply' && result.status === 401)).toBe(true);
		}
		expect(signsBody('stripe' as AuthScheme)).toBe(true);
		expect(signsBody('bearer')).toBe(false);
	});
});
