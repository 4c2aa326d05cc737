import { commonPreset, secondsOf } from '../../../../nodes/WebhookTrigger/auth/presets/common';
import { NOW, NOW_SECONDS, request } from './presetSuite';

describe('common preset spec', () => {
	it('reads timestamps in seconds, milliseconds and ISO 8601 as whole seconds', () => {
		expect(secondsOf('1700000000', 'seconds')).toBe('1700000000');
		expect(secondsOf('1700000000999', 'milliseconds')).toBe('1700000000');
		expect(secondsOf('2023-11-14T22:13:20Z', 'iso')).toBe('1700000000');
		expect(secondsOf('2023-11-14T22:13:20.500+00:00', 'iso')).toBe('1700000000');
		// Unreadable values (a seconds value in an ISO header too) are malformed for the replay check.
		for (const [value, unit] of [['1.7e12', 'milliseconds'], ['yesterday', 'iso'], ['2023-11-14 22:13:20', 'iso'], ['1700000000', 'iso']] as const) {
			expect(secondsOf(value, unit)).toBe('unreadable');
		}
	});

	const urlSigned = commonPreset('urlSigned', {
		displayName: 'URL signed',
		description: 'test',
		docs: 'https://example.com',
		header: 'x-sig',
		algorithm: 'sha256',
		encoding: 'hex',
		signs: ['url', 'body'],
		preset: { eventPath: 'body.type' },
	});

	it('marks URL-signing specs so the node passes its public URL, and refuses without one', () => {
		expect(urlSigned.signsPublicUrl).toBe(true);
		const result = urlSigned.verify(request({ headers: { 'x-sig': 'a'.repeat(64) } }, '{}', {}, NOW), { secret: 's' });
		expect(result).toMatchObject({ kind: 'rejected', code: 'not_configured' });
	});

	it('refuses a malformed ISO timestamp as malformed_timestamp', () => {
		const iso = commonPreset('iso', {
			displayName: 'ISO',
			description: 'test',
			docs: 'https://example.com',
			header: 'x-sig',
			algorithm: 'sha256',
			encoding: 'base64',
			timestamp: { header: 'x-ts', unit: 'iso' },
			signs: ['timestamp', 'body'],
			preset: { eventPath: 'body.type' },
		});
		const call = { headers: { 'x-sig': 'A'.repeat(43) + '=', 'x-ts': String(NOW_SECONDS) } };
		expect(iso.verify(request(call, '{}', {}, NOW), { secret: 's' })).toMatchObject({ code: 'malformed_timestamp' });
	});
});
