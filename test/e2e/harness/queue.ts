import { execFileSync } from 'child_process';
import { join } from 'path';

import { Client } from 'pg';

import type { Execution, ExecutionStatus, StartOptions } from './n8n';
import { freePort, isAlive, N8nInstance, readExecutions, waitForFinished } from './n8n';
import type { N8nVersion } from './versions';

/**
 * n8n in queue mode on this machine's PostgreSQL and Redis: one main (`n8n start`), webhook
 * processors (`n8n webhook`) and workers (`n8n worker`). Each is its own process with its own user
 * folder and the packed package installed in it, as on separate machines or containers: n8n loads
 * community packages from `<user folder>/.n8n/nodes` in every process, and processes cannot share
 * a user folder (a worker writes `n8nEventLog-worker.log` and `crash.journal` there).
 */

export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = 6379;

export interface QueueClusterOptions {
	/** A PostgreSQL server URL: n8n's database is created on it per run and dropped by dispose(). */
	postgresUrl: string;
	credentials?: StartOptions['credentials'];
	workflows?: StartOptions['workflows'];
	webhookProcessors?: number;
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`). */
	workerConcurrency?: number;
	/** Added to every process's environment. */
	env?: Record<string, string>;
}

/** Whether Redis answers PING at REDIS_HOST:REDIS_PORT (checked synchronously, for describe-time skips). */
export function redisReachable(): boolean {
	const script = `const s=require('net').connect(${REDIS_PORT},'${REDIS_HOST}');s.setTimeout(2000,()=>process.exit(1));
s.on('error',()=>process.exit(1));s.on('data',(d)=>process.exit(String(d).startsWith('+PONG')?0:1));s.write('PING\\r\\n');`;
	try {
		execFileSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 5_000 });
		return true;
	} catch {
		return false;
	}
}

interface RedisClient {
	scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', size: number): Promise<[string, string[]]>;
	del(...keys: string[]): Promise<number>;
	quit(): Promise<unknown>;
}

/** The processes of one queue-mode n8n; the caller spreads its calls over `webhooks` (their baseUrl). */
export class QueueCluster {
	private constructor(
		readonly version: N8nVersion,
		/** Names this run's n8n database, Bull prefix and Redis key prefix. */
		readonly runId: string,
		private readonly serverUrl: string,
		/** n8n's own database (execution_entity, …) for this run. */
		readonly n8nDatabaseUrl: string,
		readonly main: N8nInstance,
		readonly webhooks: N8nInstance[],
		readonly workers: N8nInstance[],
	) {}

	/**
	 * Creates n8n's database, installs the package into every process's user folder, and imports
	 * credentials and workflows once, through the main (n8n keeps them in the shared database).
	 * Nothing runs until start().
	 */
	static async create(version: N8nVersion, options: QueueClusterOptions): Promise<QueueCluster> {
		await dropOrphanRuns(version, options.postgresUrl);
		const runId = `${RUN_PREFIX}${process.pid}_${Date.now().toString(36)}`;
		const server = new URL(options.postgresUrl);
		await withClient(options.postgresUrl, async (client) => await client.query(`CREATE DATABASE ${runId}`));
		const n8nDatabase = new URL(options.postgresUrl);
		n8nDatabase.pathname = `/${runId}`;

		const env: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: server.hostname,
			DB_POSTGRESDB_PORT: server.port || '5432',
			DB_POSTGRESDB_DATABASE: runId,
			DB_POSTGRESDB_USER: decodeURIComponent(server.username) || 'postgres',
			DB_POSTGRESDB_PASSWORD: decodeURIComponent(server.password),
			QUEUE_BULL_REDIS_HOST: REDIS_HOST,
			QUEUE_BULL_REDIS_PORT: String(REDIS_PORT),
			// Bull's queue keys and n8n's own Redis keys (cache, pub/sub channels) per run: runs and
			// other n8n instances on the same Redis never see each other's jobs or webhooks.
			QUEUE_BULL_PREFIX: runId,
			N8N_REDIS_KEY_PREFIX: runId,
			// Production webhooks are served by the webhook processors only.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			// A dead worker's jobs are taken over once their lock expires and a stalled-job check sees
			// it: n8n's defaults (60 s lock, 30 s check) halved so the kill test stays short. Much
			// shorter locks expire under load on a busy 2-core machine (a live job then fails as stalled).
			QUEUE_WORKER_LOCK_DURATION: '30000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '15000',
			...options.env,
		};
		// n8n's default of 2 database connections per process starves a webhook processor under a
		// burst (each call reads the workflow and credentials and creates an execution): calls wait
		// for a connection, and n8n 2.x, whose 2-second health ping waits in the same pool, declares
		// the database lost after 3 pings over 5 s and reconnects, failing every call in flight.
		const pool = (size: number) => ({
			DB_POSTGRESDB_POOL_SIZE: String(size),
			DB_POSTGRESDB_CONNECTION_TIMEOUT: '60000',
			DB_PING_TIMEOUT_MS: '20000',
			...options.env,
		});
		// Every process's WEBHOOK_URL is the public address, as behind a real load balancer: here the
		// first webhook processor. A worker that runs a Wait for Webhook node registers its resume URL
		// from it (its own port is only a health server).
		const webhookPorts: number[] = [];
		for (let i = 0; i < (options.webhookProcessors ?? 2); i++) webhookPorts.push(await freePort());
		const publicUrl = `http://127.0.0.1:${webhookPorts[0]}/`;
		env.WEBHOOK_URL = options.env?.WEBHOOK_URL ?? publicUrl;
		env.N8N_WEBHOOK_URL = options.env?.N8N_WEBHOOK_URL ?? publicUrl;
		const instances: N8nInstance[] = [];
		try {
			const main = await N8nInstance.create(version, { env: { ...env, ...pool(2) }, credentials: options.credentials, workflows: options.workflows });
			instances.push(main);
			const webhooks: N8nInstance[] = [];
			for (const port of webhookPorts) {
				const webhook = await N8nInstance.create(version, { port, env: { ...env, ...pool(10) }, command: 'webhook' });
				instances.push(webhook);
				webhooks.push(webhook);
			}
			const workers: N8nInstance[] = [];
			for (let i = 0; i < (options.workers ?? 2); i++) {
				// The worker's health server is its only HTTP endpoint: start() polls its readiness.
				const port = await freePort();
				const worker = await N8nInstance.create(version, {
					port,
					env: {
						...env,
						...pool(5),
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(port),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					},
					command: 'worker',
					// workersThatRan() reads every "Worker started execution" line of a run.
					logLimit: 20_000_000,
					commandArgs: [`--concurrency=${options.workerConcurrency ?? 10}`],
				});
				instances.push(worker);
				workers.push(worker);
			}
			return new QueueCluster(version, runId, options.postgresUrl, n8nDatabase.toString(), main, webhooks, workers);
		} catch (error) {
			await Promise.all(instances.map(async (instance) => await instance.dispose()));
			await dropRun(version, options.postgresUrl, runId);
			throw error;
		}
	}

	/**
	 * Starts every process at once (create() has already migrated n8n's database); resolves once
	 * each webhook processor serves every path in `readyPaths`, which it does once the main has
	 * registered the active workflows' webhooks in the database.
	 */
	async start(readyPaths: string[], timeoutMs = 480_000): Promise<void> {
		await Promise.all([
			this.main.start([], timeoutMs),
			...this.webhooks.map(async (webhook) => await webhook.start(readyPaths, timeoutMs)),
			...this.workers.map(async (worker) => await worker.start([], timeoutMs)),
		]);
	}

	/** Stops every process, then drops this run's n8n database and Redis keys. */
	async dispose(): Promise<void> {
		await Promise.all(this.all.map(async (instance) => await instance.dispose()));
		await dropRun(this.version, this.serverUrl, this.runId);
	}

	get all(): N8nInstance[] {
		return [this.main, ...this.webhooks, ...this.workers];
	}

	/** Executions with an id above `sinceId`, from n8n's PostgreSQL database. */
	async executions(sinceId = '0'): Promise<Execution[]> {
		return await readExecutions(this.version, this.n8nDatabaseUrl, sinceId);
	}

	/** Id, workflow and status of the executions after `sinceId`: a cheap poll, without their data. */
	async statuses(sinceId = '0'): Promise<ExecutionStatus[]> {
		return await withClient(this.n8nDatabaseUrl, async (client) => {
			const sql = 'SELECT id, "workflowId", status FROM execution_entity WHERE id > $1 ORDER BY id';
			const { rows } = await client.query<{ id: number; workflowId: string; status: string }>(sql, [Number(sinceId) || 0]);
			return rows.map((row) => ({ ...row, id: String(row.id) }));
		});
	}

	async lastExecutionId(): Promise<string> {
		const all = await this.statuses();
		return all.length ? all[all.length - 1].id : '0';
	}

	/** Waits until `count` executions after `sinceId` have finished (status past new/running). */
	async waitForExecutions(sinceId: string, count: number, timeoutMs = 60_000): Promise<Execution[]> {
		return await waitForFinished(this, sinceId, count, timeoutMs, 500);
	}

	/** Indexes of the workers whose log says they started execution `id` (n8n logs it at info). */
	workersThatRan(id: string): number[] {
		const started = new RegExp(`Worker started execution ${id} \\(`);
		return this.workers.flatMap((worker, index) => (started.test(worker.log) ? [index] : []));
	}
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

const RUN_PREFIX = 'wgw_e2e_queue_';

/**
 * A test process killed outright runs no afterAll: the n8n databases (and Redis keys) of runs
 * whose test process is gone are dropped before a new run starts. Their n8n processes are
 * stopped by the single-instance harness's own orphan check.
 */
async function dropOrphanRuns(version: N8nVersion, serverUrl: string): Promise<void> {
	const rows = await withClient(serverUrl, async (client) =>
		(await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${RUN_PREFIX}%`])).rows,
	);
	for (const { datname } of rows) {
		const pid = Number(datname.slice(RUN_PREFIX.length).split('_')[0]);
		if (!isAlive(pid)) await dropRun(version, serverUrl, datname);
	}
}

/** Drops the run's n8n database and deletes its Redis keys (Bull queue, cache). */
async function dropRun(version: N8nVersion, serverUrl: string, runId: string): Promise<void> {
	await withClient(serverUrl, async (client) => await client.query(`DROP DATABASE IF EXISTS ${runId} WITH (FORCE)`));
	// n8n's own Redis client: the package has no Redis dependency of its own.
	const { default: Redis } = (await import(join(version.dir, 'node_modules', 'ioredis'))) as {
		default: new (options: object) => RedisClient;
	};
	const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: false, maxRetriesPerRequest: 2 });
	try {
		let cursor = '0';
		do {
			const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `*${runId}*`, 'COUNT', 1000);
			if (keys.length) await redis.del(...keys);
			cursor = nextCursor;
		} while (cursor !== '0');
	} finally {
		await redis.quit();
	}
}
