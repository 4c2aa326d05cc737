import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import type { PresetDefaults, VerificationRequest, VerificationResult } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, request } from './presetSuite';

/**
 * The cases of the presets that send a plain token in a header (nodes/WebhookTrigger/auth/presets/token.ts).
 * Each preset's test file says how to call it, its header and its defaults; the tokens sent are
 * `<scheme>-token-1` (current), `-0` (previous) and `-2` (wrong).
 */
export interface TokenPresetCase {
	scheme: string;
	verify(request: VerificationRequest, credentials: Record<string, string>): VerificationResult;
	header: string;
	defaults: PresetDefaults;
}

export function describeTokenPreset(c: TokenPresetCase): void {
	const token = (n: number) => `${c.scheme}-token-${n}`;
	const verify = (headers: Record<string, unknown>, creds: Record<string, string> = { secret: token(1) }) =>
		c.verify(request({ headers: headers as Record<string, string> }, '{}', {}, NOW), creds);

	describe(`${c.scheme} preset`, () => {
		it('accepts the configured token and hides the header', () => {
			expect(verify({ [c.header]: token(1) })).toEqual({
				kind: 'accepted',
				scheme: c.scheme,
				details: { secret: 'current' },
				redact: { headers: [c.header], query: [] },
			});
		});

		it('accepts the previous token during a rotation', () => {
			expect(verify({ [c.header]: token(0) }, { secret: token(1), previousSecret: token(0) })).toMatchObject({
				kind: 'accepted',
				details: { secret: 'previous' },
			});
		});

		it('rejects a wrong, missing or repeated token without echoing it', () => {
			const wrong = verify({ [c.header]: token(2) });
			expect(wrong).toMatchObject({ kind: 'rejected', status: 401, code: 'invalid_token' });
			expect(JSON.stringify(wrong)).not.toContain(token(1));
			expect(verify({})).toMatchObject({ code: 'missing_token' });
			expect(verify({ [c.header]: [token(1), token(1)] })).toMatchObject({ code: 'malformed_token' });
		});

		it('is not configured with a blank token, even when the caller sends the same blank', () => {
			expect(verify({ [c.header]: ' ' }, { secret: ' ' })).toMatchObject({ code: 'not_configured' });
		});

		it('names its event and delivery id', () => {
			expect(presetDefaults(c.scheme)).toEqual(c.defaults);
		});
	});
}
