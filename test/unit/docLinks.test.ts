import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, normalize, relative } from 'path';

/**
 * The documentation's links: README.md, CONTRIBUTING.md and every page under docs/ link only to
 * files that exist and to #anchors those files have (GitHub's heading slugs), every docs page is
 * reachable from README, and the editor's "Docs" links (node codex, credential documentationUrl)
 * land on an existing page and anchor of this repository.
 */
const ROOT = join(__dirname, '..', '..');

/** GitHub's anchor for a heading: link text kept, lower case, punctuation dropped, spaces to `-`. */
export function slug(heading: string): string {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** The page's text outside fenced code blocks, line by line. */
function proseLines(text: string): string[] {
	let fenced = false;
	return text.split('\n').filter((line) => {
		if (/^\s*(```|~~~)/.test(line)) {
			fenced = !fenced;
			return false;
		}
		return !fenced;
	});
}

/** Every anchor a Markdown page has: its headings' slugs, repeated ones suffixed `-1`, `-2`, … */
export function anchorsOf(text: string): Set<string> {
	const counts = new Map<string, number>();
	const anchors = new Set<string>();
	for (const line of proseLines(text)) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const base = slug(heading[1]);
		const seen = counts.get(base) ?? 0;
		counts.set(base, seen + 1);
		anchors.add(seen === 0 ? base : `${base}-${seen}`);
	}
	return anchors;
}

/** The link targets of a page (inline links and images), outside code. */
export function linksOf(text: string): string[] {
	const targets: string[] = [];
	for (const line of proseLines(text)) {
		const prose = line.replace(/``[^`]*``|`[^`]*`/g, (code) => (code.includes('](') ? '' : code));
		for (const match of prose.matchAll(/!?\[(?:[^\]]|\][^(])*?\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]);
	}
	return targets;
}

/**
 * The broken links of `pages` (repository-relative path → text): a relative target that names no
 * file, or an #anchor its Markdown file lacks. `exists` and `read` see the repository.
 */
export function brokenLinks(pages: Map<string, string>, exists: (path: string) => boolean, read: (path: string) => string): string[] {
	const broken: string[] = [];
	for (const [page, text] of pages) {
		for (const target of linksOf(text)) {
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
			const [pathPart, anchor] = target.split('#', 2);
			const file = pathPart === '' ? page : normalize(join(dirname(page), decodeURIComponent(pathPart)));
			if (file.startsWith('..') || !exists(file)) {
				broken.push(`${page}: ${target} (no file ${file})`);
				continue;
			}
			if (anchor === undefined) continue;
			if (!file.endsWith('.md')) {
				broken.push(`${page}: ${target} (an anchor into a file that is not Markdown)`);
				continue;
			}
			const text = pages.get(file) ?? read(file);
			if (!anchorsOf(text).has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
		}
	}
	return broken;
}

function markdownUnder(folder: string): string[] {
	const absolute = join(ROOT, folder);
	if (!existsSync(absolute)) return [];
	return readdirSync(absolute).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(join(ROOT, path)).isDirectory()) return markdownUnder(path);
		return name.endsWith('.md') ? [path] : [];
	});
}

const PAGES = ['README.md', 'CONTRIBUTING.md', ...markdownUnder('docs')];
const pages = new Map(PAGES.map((page) => [page, readFileSync(join(ROOT, page), 'utf8')]));
const exists = (path: string) => existsSync(join(ROOT, path));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('documentation links', () => {
	it('finds the pages: README, CONTRIBUTING and docs/', () => {
		expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/reasons.md', 'docs/providers.md']));
	});

	it('link only to files that exist and anchors those files have', () => {
		expect(brokenLinks(pages, exists, read)).toEqual([]);
	});

	it('reach every docs page and CONTRIBUTING.md from README', () => {
		const reached = new Set<string>(['README.md']);
		const queue = ['README.md'];
		while (queue.length > 0) {
			const page = queue.shift() as string;
			for (const target of linksOf(pages.get(page) ?? '')) {
				const pathPart = target.split('#')[0];
				if (pathPart === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
				const file = normalize(join(dirname(page), decodeURIComponent(pathPart)));
				if (pages.has(file) && !reached.has(file)) {
					reached.add(file);
					queue.push(file);
				}
			}
		}
		expect(PAGES.filter((page) => !reached.has(page))).toEqual([]);
	});

	it('are checked as GitHub renders anchors, and a broken one is caught', () => {
		expect(slug('Try it: `npm start`')).toBe('try-it-npm-start');
		expect(slug('Meta (WhatsApp, Messenger, Instagram)')).toBe('meta-whatsapp-messenger-instagram');
		expect(slug('`kiwify-order-routing.json`')).toBe('kiwify-order-routingjson');
		expect(slug('Why did my webhook not run?')).toBe('why-did-my-webhook-not-run');
		expect([...anchorsOf('# A\n## Notes\n```sh\n# not a heading\n```\n## Notes\n')]).toEqual(['a', 'notes', 'notes-1']);
		const fake = new Map([
			['docs/a.md', '# A\n\n[ok](b.md#two) [self](#a) [gone](c.md) [bad](b.md#three) [web](https://example.com/x#y) `[code](nowhere.md)`\n'],
			['docs/b.md', '# One\n\n## Two\n'],
		]);
		const fakeExists = (path: string) => fake.has(path);
		const fakeRead = (path: string) => fake.get(path) ?? '';
		expect(brokenLinks(fake, fakeExists, fakeRead)).toEqual([
			'docs/a.md: c.md (no file docs/c.md)',
			'docs/a.md: b.md#three (no heading #three in docs/b.md)',
		]);
	});
});

describe("the editor's Docs links", () => {
	const pkg = JSON.parse(read('package.json')) as { repository: { url: string }; n8n: { nodes: string[]; credentials: string[] } };
	const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
	const blob = `${repository}/blob/main/`;

	/** The repository file and anchor a URL of this repository's `blob/main` names, or why not. */
	function resolve(url: string): string[] {
		if (!url.startsWith(blob)) return [`${url} is not under ${blob}`];
		const [path, anchor] = url.slice(blob.length).split('#', 2);
		if (!path.startsWith('docs/') || !exists(path)) return [`${url}: no page ${path}`];
		if (anchor !== undefined && !anchorsOf(read(path)).has(anchor)) return [`${url}: no heading #${anchor} in ${path}`];
		return [];
	}

	it('every node codex points at its docs page', () => {
		const sources = pkg.n8n.nodes.map((dist) => relative(ROOT, join(ROOT, dist.replace(/^dist\//, '').replace(/\.js$/, '.json'))));
		expect(sources).toHaveLength(5);
		const problems = sources.flatMap((file) => {
			const codex = JSON.parse(read(file)) as { resources: { primaryDocumentation: Array<{ url: string }> } };
			return codex.resources.primaryDocumentation.flatMap((doc) => resolve(doc.url));
		});
		expect(problems).toEqual([]);
	});

	it("every credential's documentationUrl points at its docs page", () => {
		const problems = pkg.n8n.credentials.flatMap((dist) => {
			const source = read(dist.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
			const url = /documentationUrl\s*=\s*'([^']+)'/.exec(source)?.[1];
			return url === undefined ? [`${dist}: no documentationUrl`] : resolve(url);
		});
		expect(problems).toEqual([]);
	});
});
