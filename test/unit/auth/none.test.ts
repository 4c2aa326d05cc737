import { noneVerifier } from '../../../nodes/WebhookTrigger/auth/none';
import type { VerificationRequest } from '../../../nodes/WebhookTrigger/auth/types';

const request: VerificationRequest = {
	method: 'POST',
	headers: { authorization: 'Bearer whatever' },
	query: { token: 'x' },
	rawBody: Buffer.from('{}'),
	body: {},
	now: 0,
};

describe('none verifier', () => {
	it('accepts any request and redacts nothing', () => {
		expect(noneVerifier.verify(request, {})).toEqual({
			kind: 'accepted',
			scheme: 'none',
			details: {},
			redact: { headers: [], query: [] },
		});
		expect(noneVerifier.credentialType).toBeUndefined();
		expect(noneVerifier.redactions({})).toEqual({ headers: [], query: [] });
	});

	it('accepts even a request of the wrong shape', () => {
		expect(noneVerifier.verify(null as unknown as VerificationRequest, {}).kind).toBe('accepted');
	});
});
