import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core: no browser download (none works here), the binary
 * from `apt-get install chromium` (.ci/run installs it when missing).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// --no-sandbox: CI runs as root. The background-networking flags: without them Chromium keeps
// calling Google's services, which on a closed network only floods it with failing connections.
const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export class BrowserSession {
	private constructor(
		readonly context: BrowserContext,
		private readonly profile: string,
	) {}

	/** A fresh profile (user-data-dir) per session: no state from an earlier run. */
	static async launch(): Promise<BrowserSession> {
		if (!existsSync(chromiumPath)) {
			throw new Error(
				`Chromium is not installed at ${chromiumPath}. Install Debian's package: ` +
					'`apt-get install -y chromium` (.ci/run does so in CI), or set CHROMIUM_PATH to another Chromium binary.',
			);
		}
		const profile = mkdtempSync(join(tmpdir(), 'wgw-chromium-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: chromiumPath,
			headless: true,
			args: chromiumArgs,
			viewport: { width: 1280, height: 800 },
			deviceScaleFactor: 1,
		});
		return new BrowserSession(context, profile);
	}

	async close(): Promise<void> {
		await this.context.close().catch(() => undefined);
		rmSync(this.profile, { recursive: true, force: true });
	}
}

/** Something the page reported: a console error, an uncaught exception, or an HTTP error answer. */
export interface BrowserProblem {
	kind: 'console' | 'pageerror' | 'response';
	text: string;
	/** The resource or script it came from. */
	url: string;
	status?: number;
}

/**
 * n8n's own noise on a bare test instance, each with why it is not a problem of this package. A
 * problem that names this package or one of its nodes is never filtered (see `isOurs`).
 */
const n8nNoise: Array<{ reason: string; matches: (problem: BrowserProblem) => boolean; namesOurs?: true }> = [
	{
		reason:
			"n8n's editor asks every node for a static output schema (<node folder>/__schema__/v<version>.json) " +
			'to preview its output before it ran; only n8n\'s own nodes ship one, the 404 just means "no preview"',
		matches: (p) => /\/schemas\/[^/]+\/[\d.]+\.json$/.test(p.url),
		namesOurs: true,
	},
	{
		reason: 'credential forms ask for external secrets, an enterprise feature not licensed here (404)',
		matches: (p) => /\/rest\/external-secrets\//.test(p.url),
	},
	{
		reason: 'the sign-in page asks who is logged in before anyone is (401)',
		matches: (p) => /\/rest\/login$/.test(p.url) && (p.status === 401 || /status of 401/.test(p.text)),
	},
	{
		reason: "n8n's AI assistant asks for its sessions; the test instance has no licence for it (403)",
		matches: (p) => /\/rest\/ai\//.test(p.url) || /Failed to fetch sessions metadata/.test(p.text),
	},
	{
		reason: 'a workflow that never ran has no last successful execution (404)',
		matches: (p) => /\/executions\/last-successful$/.test(p.url),
	},
	{
		reason:
			"version notifications are off (N8N_VERSION_NOTIFICATIONS_ENABLED=false, no internet); n8n's versions store reads their settings anyway",
		matches: (p) => p.kind === 'pageerror' && /versions\.store/.test(p.text),
	},
];

/**
 * Collects the page's problems; `take()` returns those since its last call that are not n8n's
 * explained noise.
 */
export function watchProblems(page: Page, ours: RegExp): { all: BrowserProblem[]; take: () => BrowserProblem[] } {
	const all: BrowserProblem[] = [];
	let taken = 0;
	page.on('console', (message) => {
		if (message.type() === 'error') all.push({ kind: 'console', text: message.text(), url: message.location().url ?? '' });
	});
	page.on('pageerror', (error) => all.push({ kind: 'pageerror', text: error.stack ?? error.message, url: '' }));
	page.on('response', (response) => {
		if (response.status() >= 400) all.push({ kind: 'response', text: `${response.status()} ${response.request().method()}`, url: response.url(), status: response.status() });
	});
	const isOurs = (problem: BrowserProblem) => ours.test(problem.text) || ours.test(problem.url);
	const explained = (problem: BrowserProblem) =>
		n8nNoise.some((noise) => noise.matches(problem) && (noise.namesOurs || !isOurs(problem)));
	return {
		all,
		take: () => {
			const fresh = all.slice(taken);
			taken = all.length;
			return fresh.filter((problem) => !explained(problem));
		},
	};
}

/** Screenshots for the README: PNG, non-empty, under 200 KB, so the repository stays small. */
export const SCREENSHOT_MAX_BYTES = 200 * 1024;

/**
 * Keeps a screenshot: always in `artifacts` (a temp folder, printed), and in `docs/images/` when
 * UPDATE_SCREENSHOTS=1 on the line chosen for the README, so ordinary runs leave the tree clean.
 */
export function keepScreenshot(png: Buffer, name: string, artifacts: string, forReadme: boolean): void {
	if (png.length === 0 || png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error(`screenshot ${name} is not a PNG`);
	if (png.length >= SCREENSHOT_MAX_BYTES) throw new Error(`screenshot ${name} has ${png.length} bytes, the limit is ${SCREENSHOT_MAX_BYTES}`);
	mkdirSync(artifacts, { recursive: true });
	writeFileSync(join(artifacts, name), png);
	if (forReadme && process.env.UPDATE_SCREENSHOTS === '1') {
		const docs = join(__dirname, '..', '..', '..', 'docs', 'images');
		mkdirSync(docs, { recursive: true });
		writeFileSync(join(docs, name), png);
	}
}
