import { execFile, spawn, type ChildProcess } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { promisify } from 'util';

import { fetchFresh } from './http';
import { packageName, packedTarball, preparePackage } from './package';
import type { N8nVersion } from './versions';

const execFileAsync = promisify(execFile);
const installScript = join(__dirname, 'install-n8n.sh');
const readExecutionsScript = join(__dirname, 'read-executions.js');
const activateScript = join(__dirname, 'activate-workflows.js');

export interface ExecutionNode {
	/** Items (their json) per output index. */
	outputs: Array<Array<Record<string, unknown>>>;
	error?: string;
}

export interface Execution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	error?: string;
	lastNodeExecuted?: string;
	nodes: Record<string, ExecutionNode>;
	/** The stored execution data as saved by n8n, for "this secret never appears" checks. */
	raw: string;
}

export type ExecutionStatus = Pick<Execution, 'id' | 'workflowId' | 'status'>;

export interface StartOptions {
	credentials?: object[];
	workflows?: Array<{ id: string } & Record<string, unknown>>;
	env?: Record<string, string>;
	/** A fixed user folder (kept across restarts, e.g. for the demo); default a fresh temp folder. */
	userFolder?: string;
	/** Port to listen on; default (or 0) a free one. */
	port?: number;
	/**
	 * How the package gets into `.n8n/nodes`: `community-ui` (default) as n8n's Settings >
	 * Community nodes installs it, or `npm` as README's manual instructions say
	 * (`npm install <package> --omit=peer`), or `none` (n8n alone, the baseline of benchmarks).
	 */
	install?: 'community-ui' | 'npm' | 'none';
	/**
	 * The n8n command `start()` runs: `start` (default), or in queue mode `webhook` (a webhook
	 * processor) or `worker`, with `commandArgs` (e.g. `--concurrency=5`).
	 */
	command?: 'start' | 'webhook' | 'worker';
	commandArgs?: string[];
	/** Characters of n8n's output kept for `log` (default 200,000). */
	logLimit?: number;
}

export interface HttpResponse {
	status: number;
	headers: Headers;
	text: string;
	json<T = Record<string, unknown>>(): T;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Every instance still running is killed when the test process exits, whatever happened. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

export const isAlive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/**
 * A test process killed outright (a jest worker on timeout, Ctrl-C twice) runs no exit handler,
 * so its n8n lives on. Each temp user folder records `<n8n pid> <test pid>`: an n8n whose test
 * process is gone is stopped here, and its folder removed, before a new instance starts.
 */
function reapOrphans(): void {
	for (const name of readdirSync(tmpdir())) {
		if (!name.startsWith('wgw-e2e-')) continue;
		const folder = join(tmpdir(), name);
		const pidFile = join(folder, 'n8n.pid');
		if (!existsSync(pidFile)) continue;
		const [n8nPid, ownerPid] = readFileSync(pidFile, 'utf8').split(' ').map(Number);
		if (isAlive(ownerPid)) continue;
		if (isAlive(n8nPid)) process.kill(n8nPid, 'SIGKILL');
		rmSync(folder, { recursive: true, force: true });
	}
}

/** Every process started by `pid`, and by those, recursively. */
async function descendantsOf(pid: number): Promise<number[]> {
	const { stdout } = await execFileAsync('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
	const children = stdout.split('\n').filter(Boolean).map(Number);
	const below = await Promise.all(children.map(async (child) => await descendantsOf(child)));
	return [...children, ...below.flat()];
}

/**
 * Executions with an id above `sinceId` from n8n's database: a SQLite file, or a `postgres://` URL
 * (queue mode). Read by n8n's own drivers, run on the version's Node.
 */
export async function readExecutions(version: N8nVersion, database: string, sinceId = '0'): Promise<Execution[]> {
	const { stdout } = await execFileAsync(
		join(version.nodeBin, 'node'),
		[readExecutionsScript, version.dir, database, sinceId],
		{ maxBuffer: 1 << 28 },
	);
	return JSON.parse(stdout) as Execution[];
}

/** Id, workflow and status of the executions above `sinceId`: a cheap poll, without their data. */
export async function readStatuses(version: N8nVersion, database: string, sinceId = '0'): Promise<ExecutionStatus[]> {
	const { stdout } = await execFileAsync(join(version.nodeBin, 'node'), [readExecutionsScript, version.dir, database, sinceId, 'statuses'], { maxBuffer: 1 << 26 });
	return JSON.parse(stdout) as ExecutionStatus[];
}

/** Where executions are read: one n8n (its SQLite file) or a queue-mode cluster (its PostgreSQL). */
export interface ExecutionSource {
	statuses(sinceId: string): Promise<ExecutionStatus[]>;
	executions(sinceId: string): Promise<Execution[]>;
}

/**
 * Waits until `count` executions after `sinceId` have finished (status past new/running), polled by
 * status; their data is read once, when enough have finished.
 */
export async function waitForFinished(source: ExecutionSource, sinceId: string, count: number, timeoutMs: number, pollMs: number): Promise<Execution[]> {
	const finished = (status: string) => status !== 'new' && status !== 'running';
	const deadline = Date.now() + timeoutMs;
	let found = 0;
	while (Date.now() < deadline) {
		found = (await source.statuses(sinceId)).filter((e) => finished(e.status)).length;
		if (found >= count) return (await source.executions(sinceId)).filter((e) => finished(e.status));
		await sleep(pollMs);
	}
	throw new Error(`expected ${count} finished executions after ${sinceId}, found ${found}`);
}

/** A failed n8n install: install-n8n.sh has already printed what failed and how to fix it. */
export class N8nInstallError extends Error {
	override name = 'N8nInstallError';
}

/**
 * Runs install-n8n.sh for these lines (`v1`, `v2`), its progress streamed to this terminal: a
 * first install takes minutes, and a silent wait looks like a hang.
 */
export async function installN8n(versions: N8nVersion[]): Promise<void> {
	const missing = versions.filter((version) => !existsSync(join(version.dir, '.ok')));
	if (!missing.length) return;
	const keys = missing.map((version) => version.key);
	// stdout to our stderr: it reaches the terminal also where stdout is captured (jest workers).
	// npm itself runs on this process's Node; each line's n8n is built for its own Node (install-n8n.sh).
	const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
	const child = spawn('bash', [installScript, ...keys], { stdio: ['ignore', 2, 2], env });
	// Our exit (a stop signal during the install) ends it too: on SIGTERM the script stops its whole
	// install tree (npm, node-gyp, the compiler).
	const stopInstall = () => child.kill('SIGTERM');
	process.on('exit', stopInstall);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
	}).finally(() => process.off('exit', stopInstall));
	if (code !== 0) {
		const lines = missing.map((version) => `n8n ${version.n8n}`).join(' and ');
		throw new N8nInstallError(
			`Installing ${lines} into ${dirname(missing[0].dir)} failed (${signal ?? `exit ${code}`}): ` +
				'see the "[install-n8n] FAILED" message above for the cause, the log file and the fix.',
		);
	}
}

/** Installs the n8n version into the cache unless it is already there. */
export async function ensureInstalled(version: N8nVersion): Promise<void> {
	await installN8n([version]);
}

/**
 * One real n8n process with this package installed as a community package, on a free loopback
 * port, with its own user folder and SQLite database.
 */
export class N8nInstance {
	readonly baseUrl: string;

	private child?: ChildProcess;

	private output = '';

	private session?: Record<string, string>;

	private constructor(
		readonly version: N8nVersion,
		readonly userFolder: string,
		readonly port: number,
		private readonly env: NodeJS.ProcessEnv,
		private readonly command: string[] = ['start'],
		private readonly logLimit = 200_000,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
	}

	static async create(version: N8nVersion, options: StartOptions = {}): Promise<N8nInstance> {
		await ensureInstalled(version);
		reapOrphans();
		const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), `wgw-e2e-${version.key}-`));
		const port = options.port || (await freePort());
		const brokerPort = await freePort();
		const env = N8nInstance.environment(version, userFolder, port, brokerPort, options.env ?? {});
		const command = [options.command ?? 'start', ...(options.commandArgs ?? [])];
		const instance = new N8nInstance(version, userFolder, port, env, command, options.logLimit);
		if (options.install === 'npm') await instance.installPackageWithNpm();
		else if (options.install !== 'none') instance.installPackage();
		if (options.credentials?.length) await instance.importJson('import:credentials', options.credentials);
		if (options.workflows?.length) {
			await instance.importJson('import:workflow', options.workflows);
			await instance.activate(options.workflows.map((workflow) => workflow.id));
		}
		return instance;
	}

	private static environment(
		version: N8nVersion,
		userFolder: string,
		port: number,
		brokerPort: number,
		extra: Record<string, string>,
	): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {
			...process.env,
			PATH: `${version.nodeBin}:${process.env.PATH}`,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_ENCRYPTION_KEY: 'e2e-fixed-encryption-key-0001',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			// n8n pings its database every 2 s and answers every webhook 503 after one ping slower
			// than 5 s (1.x: fixed). The embedded store's first open (PGlite's WASM start) holds
			// the event loop for seconds, more on a loaded CI machine: the ping then "times out"
			// and unrelated calls get 503 (docs/store-and-queue-mode.md, "Store", says so). Tests ping rarely and wait long.
			DB_PING_INTERVAL_SECONDS: '300',
			DB_PING_TIMEOUT_MS: '60000',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: process.env.N8N_E2E_LOG_LEVEL ?? 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_METRICS: 'false',
			N8N_PUBLIC_API_DISABLED: 'false',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			GENERIC_TIMEZONE: 'UTC',
			SCARF_ANALYTICS: 'false',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			// Unset NODE_ENV means "development": stack traces in HTTP error bodies.
			NODE_ENV: 'production',
			NODE_OPTIONS: '',
			...version.env,
			...extra,
		};
		for (const name of version.unset) delete env[name];
		// Jest's own variables must not leak into n8n.
		delete env.JEST_WORKER_ID;
		return env;
	}

	/** The package as the Community nodes UI leaves it: `.n8n/nodes/node_modules/<name>` + package.json. */
	private installPackage(): void {
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		const target = join(nodesDir, 'node_modules', packageName);
		mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
		rmSync(target, { recursive: true, force: true });
		cpSync(preparePackage(), target, { recursive: true });
		const version = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).version;
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageName]: version } }),
		);
	}

	/** README's manual install: `npm install <package> --omit=peer` inside `.n8n/nodes`. */
	private async installPackageWithNpm(): Promise<void> {
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		await execFileAsync('npm', ['install', packedTarball(), '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: nodesDir,
			env: { ...process.env, PATH: `${this.version.nodeBin}:${process.env.PATH}` },
			maxBuffer: 1 << 26,
		});
	}

	private get n8nBin(): string {
		return join(this.version.dir, 'node_modules', 'n8n', 'bin', 'n8n');
	}

	/** Runs an n8n CLI command (each is a full n8n start: 2-4 s). */
	async cli(args: string[]): Promise<string> {
		const { stdout } = await execFileAsync(join(this.version.nodeBin, 'node'), [this.n8nBin, ...args], {
			env: this.env,
			cwd: this.userFolder,
			maxBuffer: 1 << 26,
		});
		return stdout;
	}

	/** The import file holds credentials in clear text: it exists only while n8n reads it. */
	private async importJson(command: string, data: object[]): Promise<void> {
		const file = join(this.userFolder, `${command.replace(':', '-')}.json`);
		writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
		try {
			await this.cli([command, `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/**
	 * Starts `n8n start` (or the instance's command) and waits until every path in `readyPaths` is
	 * served by a registered webhook. `env`: extra environment for this start only (e.g. a faked
	 * clock, clock.ts); the CLI commands and later starts do not see it.
	 */
	async start(readyPaths: string | string[] = [], timeoutMs = 120_000, env: Record<string, string> = {}): Promise<void> {
		const pending = new Set(Array.isArray(readyPaths) ? readyPaths : [readyPaths]);
		this.output = '';
		// cwd matters: n8n reads ./.env from its working directory.
		const child = spawn(join(this.version.nodeBin, 'node'), [this.n8nBin, ...this.command], {
			env: { ...this.env, ...env },
			cwd: this.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		running.add(child);
		writeFileSync(join(this.userFolder, 'n8n.pid'), `${child.pid} ${process.pid}`);
		const collect = (chunk: Buffer) => {
			this.output = (this.output + chunk.toString()).slice(-this.logLimit);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.once('exit', () => running.delete(child));

		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}:\n${this.logTail()}`);
			if (await this.isServing()) {
				for (const path of [...pending]) if (await this.isServing(path)) pending.delete(path);
				if (pending.size === 0) return;
			}
			await sleep(150);
		}
		throw new Error(`n8n did not serve ${[...pending].join(', ') || 'readiness'} in ${timeoutMs} ms:\n${this.logTail()}`);
	}

	/** Readiness answers before webhooks are registered, so poll the webhook path itself. */
	private async isServing(readyPath?: string): Promise<boolean> {
		try {
			const health = await fetchFresh(`${this.baseUrl}/healthz/readiness`);
			if (health.status !== 200) return false;
			if (!readyPath) return true;
			const response = await fetchFresh(`${this.baseUrl}${readyPath}`, { method: 'GET' });
			const text = await response.text();
			// A path registered for POST only answers GET with 404 "Did you mean to make a POST request?".
			return response.status !== 404 || /did you mean/i.test(text);
		} catch {
			return false;
		}
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	}

	/**
	 * SIGKILL, as when a machine or container dies: n8n and the processes it started (its task
	 * runner) go at once, with no shutdown code run. Resolves once n8n has exited.
	 */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		const descendants = await descendantsOf(child.pid!);
		child.kill('SIGKILL');
		for (const pid of descendants) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		await exited;
	}

	/** Stops n8n and deletes the user folder (unless it was given by the caller). */
	async dispose(keepFolder = false): Promise<void> {
		await this.stop();
		if (!keepFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** PID of the running n8n process (undefined when stopped). */
	get pid(): number | undefined {
		return this.child && this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
	}

	logTail(lines = 60): string {
		return this.output.split('\n').slice(-lines).join('\n');
	}

	get log(): string {
		return this.output;
	}

	async request(
		method: string,
		path: string,
		options: { body?: string | Buffer; headers?: Record<string, string> } = {},
	): Promise<HttpResponse> {
		const response = await fetchFresh(`${this.baseUrl}${path}`, {
			method,
			headers: options.headers,
			body: options.body,
		});
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			text,
			json: <T>() => JSON.parse(text) as T,
		};
	}

	/**
	 * Sets up the owner account (first call) and returns a session cookie for the editor's own
	 * endpoints (`/types/nodes.json`, `/rest/...`), which answer 401 without one. n8n reports ready
	 * (and serves webhooks) before it mounts its REST routes, which answer 404 until then: waited for.
	 */
	async ownerSession(timeoutMs = 60_000): Promise<Record<string, string>> {
		if (this.session) return this.session;
		const owner = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-pass-1' };
		const headers = { 'content-type': 'application/json', 'browser-id': 'e2e-browser' };
		const deadline = Date.now() + timeoutMs;
		let response: Response;
		for (;;) {
			response = await fetchFresh(`${this.baseUrl}/rest/owner/setup`, { method: 'POST', headers, body: JSON.stringify(owner) });
			if (response.status !== 200) {
				response = await fetchFresh(`${this.baseUrl}/rest/login`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
				});
			}
			if (response.status !== 404 || Date.now() > deadline) break;
			await sleep(250);
		}
		const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
		if (response.status !== 200 || !cookie) throw new Error(`owner login failed: ${response.status} ${await response.text()}`);
		this.session = { cookie, 'browser-id': 'e2e-browser' };
		return this.session;
	}

	/**
	 * The editor's "Test" button on a saved credential (`id`), with the form's current `data`:
	 * n8n runs the credential test that the node using it declares (`testedBy`).
	 */
	async testCredential(
		id: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<{ status: string; message: string }> {
		const response = await this.request('POST', '/rest/credentials/test', {
			headers: { ...(await this.ownerSession()), 'content-type': 'application/json' },
			body: JSON.stringify({ credentials: { id, name: `test ${type}`, type, data } }),
		});
		if (response.status !== 200) throw new Error(`/rest/credentials/test answered ${response.status}: ${response.text}`);
		return response.json<{ data: { status: string; message: string } }>().data;
	}

	/** Node type names n8n serves to its editor: what it loaded, community packages included. */
	async nodeTypes(): Promise<string[]> {
		const response = await this.request('GET', '/types/nodes.json', { headers: await this.ownerSession() });
		if (response.status !== 200) throw new Error(`/types/nodes.json answered ${response.status}`);
		return response.json<Array<{ name: string }>>().map((type) => type.name);
	}

	/** n8n's database: its SQLite file, or the PostgreSQL database of `DB_POSTGRESDB_*` (queue mode). */
	private get database(): string {
		const env = this.env;
		if (env.DB_TYPE !== 'postgresdb') return join(this.userFolder, '.n8n', 'database.sqlite');
		const url = new URL(`postgres://${env.DB_POSTGRESDB_HOST}:${env.DB_POSTGRESDB_PORT ?? '5432'}/${env.DB_POSTGRESDB_DATABASE}`);
		url.username = env.DB_POSTGRESDB_USER ?? 'postgres';
		url.password = env.DB_POSTGRESDB_PASSWORD ?? '';
		return url.toString();
	}

	/** Makes imported workflows live (before start: n8n activates them as it starts). */
	async activate(ids: string[]): Promise<void> {
		await execFileAsync(join(this.version.nodeBin, 'node'), [activateScript, this.version.dir, this.database, ...ids]);
	}

	/** Executions with an id above `sinceId`, read from n8n's database. */
	async executions(sinceId = '0'): Promise<Execution[]> {
		return await readExecutions(this.version, this.database, sinceId);
	}

	/** Id, workflow and status of the executions after `sinceId`, without their data. */
	async statuses(sinceId = '0'): Promise<ExecutionStatus[]> {
		return await readStatuses(this.version, this.database, sinceId);
	}

	async lastExecutionId(): Promise<string> {
		const all = await this.statuses();
		return all.length ? all[all.length - 1].id : '0';
	}

	/** Waits until `count` executions after `sinceId` have finished (saved asynchronously). */
	async waitForExecutions(sinceId: string, count: number, timeoutMs = 20_000): Promise<Execution[]> {
		return await waitForFinished(this, sinceId, count, timeoutMs, 200);
	}
}
