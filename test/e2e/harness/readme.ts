import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/**
 * The `sh` blocks of a documentation page (`page`, from the repository root, e.g.
 * "docs/authentication.md"), by the text of each heading at `level` ("##") in it: each block under
 * a heading, up to the next heading of that level.
 */
export function docShBlocks(page: string, level: string): Map<string, string[]> {
	const text = readFileSync(join(__dirname, '..', '..', '..', page), 'utf8');
	const blocks = new Map<string, string[]>();
	for (const part of text.split(`\n${level} `).slice(1)) {
		const title = part.split('\n')[0].trim();
		blocks.set(title, [...part.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]));
	}
	return blocks;
}

/**
 * Runs a documented block as a user pastes it into bash, with `env` set (URL, SECRET, …); returns
 * what it printed. curl fails on any HTTP error status, so a rejected call fails the run.
 */
export async function runDocBlock(script: string, env: Record<string, string>): Promise<string> {
	const prelude = 'set -euo pipefail\ncurl() { command curl -sS --fail-with-body "$@"; echo; }\n';
	const { stdout } = await execFileAsync('bash', ['-c', prelude + script], { env: { ...process.env, ...env } });
	return stdout;
}
