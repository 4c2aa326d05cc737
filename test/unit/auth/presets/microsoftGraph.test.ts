import { microsoftGraphVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/microsoftGraph';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { gateCall } from './gateCall';
import { NOW, request } from './presetSuite';

// Microsoft Graph change notifications: nothing is signed; every notification in `value` carries the
// subscription's clientState. Creating a subscription first POSTs `?validationToken=…` (no body, no
// clientState), answered with the token as text/plain 200 within 10 s. Example notification from:
// https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
const SECRET = 'secretClientValue';
const notification = (clientState: unknown, id = '7f105c7d-2dc5-4530-97cd-4e7ae6534c07') => ({
	id: 'lsgTZMr9KwAAA',
	subscriptionId: id,
	subscriptionExpirationDateTime: '2016-11-20T18:23:45.9356913Z',
	clientState,
	changeType: 'created',
	resource: 'Users/{user-id}/Messages/{message-id}',
	tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
	resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: '{message-id}' },
});
const body = (...states: unknown[]) => JSON.stringify({ value: states.map((state) => notification(state)) });
const verify = (text: string, creds: Record<string, string> = { secret: SECRET }, query: Record<string, unknown> = {}) =>
	microsoftGraphVerifier.verify(request({ headers: {}, query }, text, text === '' ? {} : JSON.parse(text), NOW), creds as never);

describe('microsoftGraph preset', () => {
	it('answers the validationToken through the gate as text/plain, without an execution', () => {
		const token = 'Validation: Testing client application reachability for subscription Request-Id: 1d9aba43';
		const reply = gateCall('microsoftGraph', { secret: SECRET }, { query: { validationToken: token } });
		expect(reply).toMatchObject({
			kind: 'reply',
			code: 'handshake',
			status: 200,
			contentType: 'text/plain',
			body: token,
			headers: { 'X-Content-Type-Options': 'nosniff' },
		});
	});

	it('refuses a repeated or oversized validationToken instead of echoing it', () => {
		expect(verify('', { secret: SECRET }, { validationToken: ['a', 'b'] })).toMatchObject({ code: 'invalid_handshake', status: 400 });
		expect(verify('', { secret: SECRET }, { validationToken: 'x'.repeat(1025) })).toMatchObject({ code: 'invalid_handshake' });
	});

	it('accepts notifications that all carry the clientState, and the output keeps none of it', () => {
		expect(verify(body(SECRET, SECRET))).toMatchObject({ kind: 'accepted', scheme: 'microsoftGraph', details: { secret: 'current' } });
		const run = gateCall('microsoftGraph', { secret: SECRET }, { body: body(SECRET) });
		expect(run).toMatchObject({ kind: 'run', item: { body: { value: [{ changeType: 'created' }] } } });
		expect(JSON.stringify(run)).not.toContain(SECRET);
	});

	it('accepts the previous clientState while rotating', () => {
		expect(verify(body('old-state'), { secret: SECRET, previousSecret: 'old-state' })).toMatchObject({ details: { secret: 'previous' } });
	});

	it('refuses a wrong clientState, one wrong among right ones, and a missing one, without echoing the secret', () => {
		const wrong = verify(body('forged'));
		expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
		expect(JSON.stringify(wrong)).not.toContain(SECRET);
		expect(verify(body(SECRET, 'forged'))).toMatchObject({ code: 'invalid_token' });
		expect(verify(body(undefined))).toMatchObject({ code: 'missing_token' });
		expect(verify(body(42))).toMatchObject({ code: 'missing_token' });
		expect(verify('{"value":[]}')).toMatchObject({ code: 'missing_token' });
		expect(verify('{}')).toMatchObject({ code: 'missing_token' });
	});

	it('is not configured with a blank secret, not even for the validation', () => {
		expect(verify(body(' '), { secret: ' ' })).toMatchObject({ code: 'not_configured' });
		expect(verify('', { secret: '' }, { validationToken: 't' })).toMatchObject({ code: 'not_configured' });
	});

	it('names the first change type (Graph sends no delivery id)', () => {
		expect(presetDefaults('microsoftGraph')).toEqual({ eventPath: 'body.value.0.changeType' });
	});
});
