import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/**
 * The `sh` blocks of README.md's section `heading` (e.g. "### Authentication schemes"), by the
 * text of each sub-heading at `level` inside it ("####"), up to the next "## ".
 */
export function readmeShBlocks(heading: string, level: string): Map<string, string[]> {
	const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
	const section = readme.split(`\n${heading}\n`)[1]?.split('\n## ')[0] ?? '';
	const blocks = new Map<string, string[]>();
	for (const part of section.split(`\n${level} `).slice(1)) {
		const title = part.split('\n')[0].trim();
		blocks.set(title, [...part.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]));
	}
	return blocks;
}

/**
 * Runs a README block as a user pastes it into bash, with `env` set (URL, SECRET, …); returns what
 * it printed. curl fails on any HTTP error status, so a rejected call fails the run.
 */
export async function runReadmeBlock(script: string, env: Record<string, string>): Promise<string> {
	const prelude = 'set -euo pipefail\ncurl() { command curl -sS --fail-with-body "$@"; echo; }\n';
	const { stdout } = await execFileAsync('bash', ['-c', prelude + script], { env: { ...process.env, ...env } });
	return stdout;
}
