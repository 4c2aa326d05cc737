import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

/**
 * Nothing shipped only for tests or benches: every name exported from `nodes/` or `credentials/`
 * is used by shipped code (another file, or its own file besides the export), or is an entry point
 * n8n loads (the classes package.json lists). Test helpers live in `test/`.
 */
const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
	return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sources(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

const files = [...sources('nodes'), ...sources('credentials')];
const text = new Map(files.map((file) => [file, readFileSync(join(root, file), 'utf8')]));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
const entryPoints = new Set([...pkg.n8n.nodes, ...pkg.n8n.credentials].map((path) => path.split('/').pop()!.split('.')[0]));

// Values only: an exported type costs nothing at run time and documents a shape.
const EXPORT = /^export (?:async )?(?:function\*?|const|let|class|enum|abstract class) ([A-Za-z_$][\w$]*)/gm;

/**
 * Seams over process-wide state that only the module holding it can reach, so they cannot move to
 * `test/`: each resets or reads a cache between tests.
 */
const TEST_SEAMS = new Set([
	'clearCredentialCache', // the decrypted-credential cache (credentialCache.ts)
	'closeAllStores', // open stores and their pools (integration tests, benches)
	'cachedPostgresStores', // how many PostgreSQL pools are open (pool reuse test)
]);

it('exports nothing that shipped code does not use', () => {
	const unused: string[] = [];
	for (const [file, source] of text) {
		for (const [, name] of source.matchAll(EXPORT)) {
			if (entryPoints.has(name) || TEST_SEAMS.has(name)) continue;
			const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`, 'g');
			const uses = [...text].reduce((count, [other, body]) => count + (body.match(word)?.length ?? 0) - (other === file ? 1 : 0), 0);
			if (uses === 0) unused.push(`${relative(root, join(root, file))}: ${name}`);
		}
	}
	expect(unused).toEqual([]);
});
