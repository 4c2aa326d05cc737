import { readFileSync } from 'fs';
import { join } from 'path';

import { AUTH_SCHEMES, verifiers } from '../../nodes/WebhookTrigger/auth';
import { explainRejection } from '../../nodes/WebhookTrigger/gate/explain';
import { fixtures } from './properties/fixtures';

/**
 * README's Security model says what the code does: which schemes refuse a replayed call (a signed
 * timestamp in a window), and exactly what a caller of the test URL can learn.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const SECURITY = README.slice(README.indexOf('## Security model'), README.indexOf('\n## ', README.indexOf('## Security model') + 1));
/** The catalogue presets' page has the same replay table for its presets. */
const MORE = readFileSync(join(__dirname, '..', '..', 'docs', 'providers-more.md'), 'utf8');

/** The schemes in the replay table's row whose first cell starts with `label`. */
function replayRow(label: string): string[] {
	return [SECURITY, MORE].flatMap((text) => {
		const row = text.split('\n').find((line) => line.trim().startsWith(`| ${label}`));
		expect(row).toBeDefined();
		const cells = row!.split('|').map((cell) => cell.trim());
		// Commas inside a name's parentheses ("Meta (WhatsApp, Messenger, Instagram)") do not split.
		return cells[2].split(/,\s*(?![^()]*\))/).map((name) => name.trim());
	}).sort();
}

describe('replay protection in the Security model', () => {
	it('the registry says which schemes sign a timestamp, as the fixtures written from the providers\' docs do', () => {
		// Linear signs its timestamp inside the body (webhookTimestamp): its fixture draws it with the payload.
		const signsTimestamp = (label: string, timestamped: boolean) => timestamped || label === 'linear';
		for (const fixture of fixtures) {
			expect([fixture.label, verifiers[fixture.scheme].signsTimestamp === true]).toEqual([fixture.label, signsTimestamp(fixture.label, fixture.timestamped)]);
		}
	});

	it('README lists every scheme once: with a signed timestamp, or as verifying forever', () => {
		const names = (timestamped: boolean) =>
			AUTH_SCHEMES.filter((scheme) => (verifiers[scheme].signsTimestamp === true) === timestamped).map((scheme) => verifiers[scheme].displayName).sort();
		expect(replayRow('Signed timestamp')).toEqual(names(true));
		expect(replayRow('None: a captured call verifies forever')).toEqual(names(false));
	});

	it('README says that duplicate suppression is not replay protection', () => {
		expect(SECURITY).toContain('Duplicate suppression](#duplicate-suppression) is not replay protection');
	});
});

describe('what a caller of the test URL learns', () => {
	const bullet = SECURITY.slice(SECURITY.indexOf('**What a caller of the test URL learns.**'));
	const documented = new Set([...bullet.slice(0, bullet.indexOf('\n- ')).matchAll(/`([^`]+)`/g)].map((match) => match[1]));

	it('is exactly what README names: every field of any scheme\'s explanation, and nothing secret', () => {
		const seen = new Set<string>();
		for (const fixture of fixtures) {
			// Every credential field the fixture fills, plus every descriptive one a credential may have.
			const credentials = { algorithm: 'sha256', encoding: 'hex', source: 'header', prefix: 'sha256=', tolerance: 300, toleranceSeconds: 300, ...fixture.credentials };
			const call = { headers: { 'content-type': 'application/json' }, query: {}, rawBody: Buffer.from('{}'), body: {} };
			const explanation = explainRejection(call, fixture.scheme, credentials);
			for (const key of Object.keys(explanation)) seen.add(key);
			for (const entry of explanation.expected as Array<Record<string, unknown>>) {
				expect(Object.keys(entry).sort()).toEqual([entry.header !== undefined ? 'header' : 'query', 'present'].sort());
			}
			for (const secret of fixture.secrets) if (secret) expect(JSON.stringify(explanation)).not.toContain(secret);
		}
		for (const key of seen) expect([key, documented.has(key)]).toEqual([key, true]);
		for (const key of documented) if (!['/webhook-test/', 'explanation'].includes(key)) expect([key, seen.has(key)]).toEqual([key, true]);
	});
});
