import {
	AUTH_SCHEMES,
	credentialTypeFor,
	isAuthScheme,
	redactionsFor,
	verifiers,
	verifyRequest,
	type AuthScheme,
	type VerificationRequest,
} from '../../../nodes/WebhookTrigger/auth';

const request: VerificationRequest = {
	method: 'POST',
	headers: { authorization: 'Bearer t0k' },
	query: {},
	rawBody: Buffer.from('{}'),
	body: {},
	now: 0,
};

describe('auth registry', () => {
	it('has one verifier per scheme, each declaring its own scheme', () => {
		expect([...AUTH_SCHEMES].sort()).toEqual(
			expect.arrayContaining(['bearer', 'header', 'hmac', 'meta', 'none', 'query', 'slack', 'stripe', 'github']),
		);
		for (const scheme of AUTH_SCHEMES) expect(verifiers[scheme].scheme).toBe(scheme);
	});

	it('maps schemes to the credential types declared in package.json', () => {
		expect(Object.fromEntries(AUTH_SCHEMES.map((s) => [s, credentialTypeFor(s)]))).toMatchObject({
			none: undefined,
			bearer: 'webhookBearerAuthApi',
			header: 'webhookHeaderAuthApi',
			query: 'webhookQueryAuthApi',
			hmac: 'webhookHmacApi',
			slack: 'webhookSlackApi',
			meta: 'webhookMetaApi',
		});
		expect(credentialTypeFor('basic' as AuthScheme)).toBeUndefined();
	});

	it('recognises only known schemes, not inherited property names', () => {
		expect(isAuthScheme('hmac')).toBe(true);
		for (const value of ['HMAC', 'toString', '__proto__', '', 3, null]) expect(isAuthScheme(value)).toBe(false);
	});

	it('gives redactions per scheme: every known secret field plus the credential\'s own names', () => {
		const known = {
			headers: expect.arrayContaining([
				'authorization',
				'proxy-authorization',
				'cookie',
				'set-cookie',
				'x-slack-signature',
				'x-hub-signature-256',
				'x-hub-signature',
				'x-webhook-token',
				'x-signature',
			]),
			query: expect.arrayContaining(['hub.verify_token', 'token', 'signature']),
		};
		for (const scheme of AUTH_SCHEMES) expect(redactionsFor(scheme, {})).toEqual(known);
		expect(redactionsFor('query', { parameterName: 'key', token: 'x' }).query).toContain('key');
		expect(redactionsFor('header', { headerName: 'X-Api-Key', token: 'x' }).headers).toContain('x-api-key');
	});
});

describe('verifyRequest', () => {
	it('dispatches to the scheme verifier', () => {
		expect(verifyRequest('bearer', request, { token: 't0k' }).kind).toBe('accepted');
		expect(verifyRequest('bearer', request, { token: 'other' })).toMatchObject({ status: 401, code: 'invalid_token' });
	});

	it('fails closed on an unknown scheme', () => {
		expect(verifyRequest('basic' as AuthScheme, request, {})).toMatchObject({
			kind: 'rejected',
			status: 401,
			code: 'not_configured',
		});
	});

	it('turns an unexpected exception into a rejection', () => {
		const hostile = {
			...request,
			get headers(): VerificationRequest['headers'] {
				throw new Error('boom');
			},
		};
		expect(verifyRequest('bearer', hostile, { token: 't0k' })).toMatchObject({
			kind: 'rejected',
			status: 401,
			code: 'verification_error',
		});
	});

	it('never throws and never accepts a secured scheme for malformed requests or credentials', () => {
		const requests: unknown[] = [
			null,
			{},
			{ method: 7, headers: null, query: null, rawBody: 'not a buffer', body: 5, now: 'soon' },
			{
				method: 'GET',
				headers: { authorization: ['a', 'b'], 'x-slack-signature': 5, 'x-hub-signature-256': { a: 1 } },
				query: { 'hub.mode': ['subscribe'], hub: 'x', token: { nested: true }, signature: 'z'.repeat(100_000) },
				rawBody: Buffer.alloc(0),
				body: null,
				now: Number.NaN,
			},
		];
		const credentials: unknown[] = [undefined, null, {}, [], 'secret', { token: ['x'], secret: 5, signingSecret: {} }];
		for (const scheme of AUTH_SCHEMES) {
			for (const req of requests) {
				for (const creds of credentials) {
					const verifier = verifiers[scheme] as { verify(r: unknown, c: unknown): { kind: string } };
					expect(() => verifier.verify(req, creds)).not.toThrow();
					const result = verifier.verify(req, creds);
					expect(result.kind).toBe(scheme === 'none' ? 'accepted' : 'rejected');
				}
			}
		}
	});
});
