import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * The rejections README documents, read from its "Rejections" table: each `error` code with the
 * statuses it is answered with. The property tests check every rejection against this, so an
 * undocumented code (e.g. `verification_error`, which means a verifier threw) fails them.
 */
export function documentedRejections(): Map<string, Set<number>> {
	const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
	const section = readme.split('\n### Rejections\n')[1]?.split('\n### ')[0] ?? '';
	const documented = new Map<string, Set<number>>();
	for (const line of section.split('\n')) {
		const row = /^\| (\d{3}) \| ([^|]+) \|/.exec(line);
		if (!row) continue;
		for (const [, code] of row[2].matchAll(/`([a-z_]+)`/g)) {
			documented.set(code, new Set([...(documented.get(code) ?? []), Number(row[1])]));
		}
	}
	return documented;
}
