import { createHmac } from 'crypto';

import { hmacVerifier } from '../../../nodes/WebhookTrigger/auth/hmac';
import { metaVerifier } from '../../../nodes/WebhookTrigger/auth/meta';
import { checkRotated } from '../../../nodes/WebhookTrigger/auth/rotation';
import { slackVerifier } from '../../../nodes/WebhookTrigger/auth/slack';
import { checkTimestampSeconds, outsideTolerance, toleranceOf } from '../../../nodes/WebhookTrigger/auth/timestamp';
import type { VerificationRequest } from '../../../nodes/WebhookTrigger/auth/types';

const NOW_S = 1_700_000_000;
const BODY = '{"event":"x"}';
const hex = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');
const req = (headers: Record<string, string>, now = NOW_S * 1000): VerificationRequest => ({
	method: 'POST',
	headers,
	query: {},
	rawBody: Buffer.from(BODY),
	body: JSON.parse(BODY),
	now,
});

describe('secret rotation on the existing HMAC-family schemes', () => {
	it('Slack: the previous signing secret is accepted and named; a third one is not', () => {
		const sign = (secret: string, ts = NOW_S) => ({
			'x-slack-request-timestamp': String(ts),
			'x-slack-signature': `v0=${hex(secret, `v0:${ts}:${BODY}`)}`,
		});
		const creds = { signingSecret: 'new', previousSigningSecret: 'old' };
		expect(slackVerifier.verify(req(sign('new')), creds)).toMatchObject({ kind: 'accepted', details: { secret: 'current' } });
		expect(slackVerifier.verify(req(sign('old')), creds)).toMatchObject({ kind: 'accepted', details: { secret: 'previous' } });
		expect(slackVerifier.verify(req(sign('other')), creds)).toMatchObject({ code: 'signature_mismatch' });
		expect(slackVerifier.verify(req(sign('old')), { signingSecret: 'new' })).toMatchObject({ code: 'signature_mismatch' });
	});

	it('Slack: the credential tolerance widens or narrows the window; the message says by how much', () => {
		const ts = NOW_S - 400;
		const headers = { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${hex('s', `v0:${ts}:${BODY}`)}` };
		expect(slackVerifier.verify(req(headers), { signingSecret: 's' })).toMatchObject({
			code: 'timestamp_outside_tolerance',
			message: 'The request timestamp is 400 s in the past; the tolerance is 300 s',
		});
		expect(slackVerifier.verify(req(headers), { signingSecret: 's', toleranceSeconds: 600 })).toMatchObject({ kind: 'accepted' });
	});

	it('Meta: the previous app secret is accepted and named', () => {
		const headers = { 'x-hub-signature-256': `sha256=${hex('old-app', BODY)}` };
		expect(metaVerifier.verify(req(headers), { verifyToken: 'v', appSecret: 'new-app', previousAppSecret: 'old-app' })).toMatchObject({
			kind: 'accepted',
			details: { secret: 'previous' },
		});
	});

	it('HMAC: the previous secret is accepted and named', () => {
		const creds = { secret: 'new', previousSecret: 'old', algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: '' };
		expect(hmacVerifier.verify(req({ 'x-signature': hex('old', BODY) }), creds as never)).toMatchObject({
			kind: 'accepted',
			details: { secret: 'previous' },
		});
	});

	it('checkRotated computes both digests even when the current one matches (no early exit)', () => {
		const spy = jest.spyOn(require('../../../nodes/WebhookTrigger/auth/hmac-core'), 'checkSignature');
		const message = { payload: Buffer.from(BODY), candidates: [hex('a', BODY)], algorithm: 'sha256' as const, encoding: 'hex' as const };
		expect(checkRotated(message, { current: 'a', previous: 'b' })).toEqual({ outcome: 'valid', secret: 'current' });
		expect(spy).toHaveBeenCalledTimes(2);
		spy.mockRestore();
		expect(checkRotated({ ...message, candidates: [] }, { current: 'a', previous: '' })).toEqual({ outcome: 'missing' });
	});
});

describe('tolerance', () => {
	it('defaults to 300 s and ignores nonsense', () => {
		expect(toleranceOf({})).toBe(300);
		for (const value of [0, -5, 'abc', '', null, Number.NaN]) expect(toleranceOf({ toleranceSeconds: value })).toBe(300);
		expect(toleranceOf({ toleranceSeconds: 900 })).toBe(900);
		expect(toleranceOf({ toleranceSeconds: '120' })).toBe(120);
	});

	it('reports the skew in both directions', () => {
		const past = checkTimestampSeconds(String(NOW_S - 612), NOW_S * 1000, 300);
		expect(past).toEqual({ kind: 'outside', skewSeconds: 612, toleranceSeconds: 300 });
		expect(outsideTolerance(past as never).message).toBe('The request timestamp is 612 s in the past; the tolerance is 300 s');
		const future = checkTimestampSeconds(String(NOW_S + 301), NOW_S * 1000, 300);
		expect(outsideTolerance(future as never).message).toBe('The request timestamp is 301 s in the future; the tolerance is 300 s');
		expect(outsideTolerance(checkTimestampSeconds('1', Number.NaN, 300) as never).code).toBe('timestamp_outside_tolerance');
	});
});
