import type { IncomingHttpHeaders } from 'http';
import { CREDENTIAL_NAME, HARMLESS_HEADERS, REDACTED, redactRequest, redactUnread } from '../../nodes/WebhookTrigger/gate/redact';

describe('redactRequest', () => {
	const request = () => ({
		headers: {
			authorization: 'Bearer s3cret',
			'x-signature': 'abc123',
			'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
			'content-type': 'application/json',
		} as IncomingHttpHeaders,
		query: { token: 'qs-secret', Token: 'not-the-param', page: '2', list: ['a', 'b'] } as Record<string, unknown>,
	});

	it('replaces the named header and query values with [redacted]', () => {
		const out = redactRequest(request(), { headers: ['authorization'], query: ['token', 'list'] });
		expect(REDACTED).toBe('[redacted]');
		expect(out.headers).toEqual({
			authorization: '[redacted]',
			'x-signature': 'abc123',
			'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
			'content-type': 'application/json',
		});
		expect(out.query).toEqual({ token: '[redacted]', Token: 'not-the-param', page: '2', list: '[redacted]' });
	});

	it('matches header names case-insensitively, query names exactly', () => {
		const out = redactRequest(request(), { headers: ['Authorization', 'X-SIGNATURE', 'X-Forwarded-For'], query: ['TOKEN'] });
		expect(out.headers.authorization).toBe(REDACTED);
		expect(out.headers['x-signature']).toBe(REDACTED);
		expect(out.headers['x-forwarded-for']).toBe(REDACTED);
		expect(out.query).toEqual(request().query);
	});

	it('matches a header stored with upper-case letters too', () => {
		const out = redactRequest({ headers: { 'X-Api-Key': 'k' }, query: {} }, { headers: ['x-api-key'], query: [] });
		expect(out.headers).toEqual({ 'X-Api-Key': REDACTED });
	});

	it('does not mutate the inputs and returns new objects', () => {
		const input = request();
		const snapshot = JSON.parse(JSON.stringify(input));
		const out = redactRequest(input, { headers: ['authorization'], query: ['token'] });
		expect(input).toEqual(snapshot);
		expect(out.headers).not.toBe(input.headers);
		expect(out.query).not.toBe(input.query);
	});

	it('does not add names that are absent', () => {
		const out = redactRequest({ headers: { a: '1' }, query: { b: '2' } }, { headers: ['x-hub-signature'], query: ['sig'] });
		expect(out).toEqual({ headers: { a: '1' }, query: { b: '2' } });
		expect(Object.keys(out.headers)).toEqual(['a']);
	});

	it('copies everything when nothing is to be redacted', () => {
		const input = request();
		expect(redactRequest(input, { headers: [], query: [] })).toEqual(input);
	});

	it('copies a __proto__ key as data and redacts it when named', () => {
		const query = JSON.parse('{"__proto__":"x","a":"1"}') as Record<string, unknown>;
		const kept = redactRequest({ headers: {}, query }, { headers: [], query: [] });
		expect(Object.getPrototypeOf(kept.query)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(kept.query, '__proto__')).toBe(true);
		const hidden = redactRequest({ headers: {}, query }, { headers: [], query: ['__proto__'] });
		expect(Object.getOwnPropertyDescriptor(hidden.query, '__proto__')?.value).toBe(REDACTED);
	});

	it('tolerates missing headers or query objects', () => {
		const out = redactRequest(
			{ headers: undefined, query: null } as unknown as { headers: object; query: object },
			{ headers: ['authorization'], query: ['token'] },
		);
		expect(out).toEqual({ headers: {}, query: {} });
	});
});

describe('CREDENTIAL_NAME safety net', () => {
	it('hides names that say they carry a credential and keeps the rest', () => {
		const out = redactRequest(
			{
				headers: {
					'x-api-key': 'k1',
					'x-amz-security-token': 'k2',
					'stripe-signature': 't=1,v1=ab',
					'x-github-event': 'push',
					'content-type': 'application/json',
					'x-request-id': 'r1',
				} as Record<string, unknown>,
				query: { access_token: 'k3', sig: 'k4', page: '2', design: 'x' } as Record<string, unknown>,
			},
			{ headers: [], query: [] },
			CREDENTIAL_NAME,
		);
		expect(out.headers).toEqual({
			'x-api-key': REDACTED,
			'x-amz-security-token': REDACTED,
			'stripe-signature': REDACTED,
			'x-github-event': 'push',
			'content-type': 'application/json',
			'x-request-id': 'r1',
		});
		expect(out.query).toEqual({ access_token: REDACTED, sig: REDACTED, page: '2', design: 'x' });
	});
});

describe('redactUnread (before the credential was read)', () => {
	it('keeps every name, the values of the harmless headers only, and no query value', () => {
		const input = {
			headers: {
				'content-type': 'application/json',
				'Content-Length': '11',
				origin: 'https://partner.example',
				'x-partner-key': 'REAL-SECRET-123',
				'user-agent': 'Partner/1.0',
				referer: 'https://partner.example/?token=t',
				'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
			} as Record<string, unknown>,
			query: { partner_token: 'REAL-QUERY-456', page: '2', list: ['a', 'b'] } as Record<string, unknown>,
		};
		const snapshot = JSON.parse(JSON.stringify(input));
		expect(redactUnread(input)).toEqual({
			headers: {
				'content-type': 'application/json',
				'Content-Length': '11',
				origin: 'https://partner.example',
				'x-partner-key': REDACTED,
				'user-agent': REDACTED,
				referer: REDACTED,
				'x-forwarded-for': REDACTED,
			},
			query: { partner_token: REDACTED, page: REDACTED, list: REDACTED },
		});
		expect(input).toEqual(snapshot);
	});

	it('allows no credential-bearing or x-* header', () => {
		for (const name of HARMLESS_HEADERS) {
			expect(name).toBe(name.toLowerCase());
			expect(name).not.toMatch(/^x-|^authorization$|^proxy-authorization$|cookie/);
			expect(CREDENTIAL_NAME.test(name)).toBe(false);
		}
	});

	it('copies a __proto__ key as data and tolerates missing objects', () => {
		const query = JSON.parse('{"__proto__":"x"}') as Record<string, unknown>;
		const out = redactUnread({ headers: {}, query });
		expect(Object.getOwnPropertyDescriptor(out.query, '__proto__')?.value).toBe(REDACTED);
		expect(redactUnread({ headers: undefined, query: null } as unknown as { headers: object; query: object })).toEqual({ headers: {}, query: {} });
	});
});
