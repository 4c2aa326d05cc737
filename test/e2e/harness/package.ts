import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

import { cacheDir } from './versions';

const repoRoot = join(__dirname, '..', '..', '..');
export const packageName: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).name;

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? filesUnder(full) : [full];
	});
}

/** Everything that goes into the packed package; a change in any of it means a new pack. */
function sourceHash(): string {
	const hash = createHash('sha256');
	const files = [
		...filesUnder(join(repoRoot, 'nodes')),
		...filesUnder(join(repoRoot, 'credentials')),
		join(repoRoot, 'package.json'),
		join(repoRoot, 'package-lock.json'),
		join(repoRoot, 'tsconfig.json'),
		join(repoRoot, 'tsconfig.build.json'),
	].sort();
	for (const file of files) hash.update(file).update(readFileSync(file));
	return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A directory lock: jest runs e2e files in parallel workers that must not pack at the same time. */
function withLock<T>(name: string, fn: () => T): T {
	const lock = join(cacheDir, `${name}.lock`);
	mkdirSync(cacheDir, { recursive: true });
	for (let waited = 0; ; waited += 200) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			// A lock older than 10 minutes belongs to a run that died.
			if (waited > 600_000 || Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
			sleep(200);
		}
	}
	try {
		return fn();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Builds and packs this package, then installs the tarball exactly as n8n's Community nodes UI
 * does (community-packages.service): untar, drop dev/peer/optional dependencies from its
 * package.json, `npm install` inside it without scripts. Returns the installed package folder,
 * ready to copy into `<userFolder>/.n8n/nodes/node_modules/<name>`. Cached per source hash.
 */
export function preparePackage(): string {
	return join(preparedFolder(), 'node_modules', packageName);
}

/** The `npm pack` tarball of the same build, for installs done the way README tells users. */
export function packedTarball(): string {
	const folder = preparedFolder();
	return join(folder, readFileSync(join(folder, '.ok'), 'utf8'));
}

function preparedFolder(): string {
	return withLock('pack', () => {
		const target = join(cacheDir, 'packages', sourceHash());
		const installed = join(target, 'node_modules', packageName);
		if (existsSync(join(target, '.ok'))) return target;

		rmSync(target, { recursive: true, force: true });
		mkdirSync(join(target, 'node_modules'), { recursive: true });
		const run = (cmd: string, args: string[], cwd: string) =>
			execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

		run('npm', ['run', 'build'], repoRoot);
		const tarball = run('npm', ['pack', '--pack-destination', target, '--silent'], repoRoot).trim().split('\n').pop()!;
		run('tar', ['-xzf', join(target, tarball), '-C', target], repoRoot);
		renameSync(join(target, 'package'), installed);

		const manifestFile = join(installed, 'package.json');
		const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
		delete manifest.devDependencies;
		delete manifest.peerDependencies;
		delete manifest.optionalDependencies;
		writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
		run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			installed,
		);
		writeFileSync(join(target, '.ok'), tarball);
		return target;
	});
}
