import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { hostname, tmpdir } from 'os';
import { join } from 'path';
import { LOCK_FILE, linuxStartTime } from '../../../nodes/shared/store/folderLock';
import type { LockOwner } from '../../../nodes/shared/store/folderLock';
import { closeAllStores, openStore } from '../../../nodes/shared/store/open';
import { EmbeddedStoreError } from '../../../nodes/shared/store/types';
import { StoreWorker } from '../../support/storeWorkers';
import './targets'; // loads PGlite with Node's own loader for the in-process cases

/**
 * One owner per embedded folder, proven with real processes: each StoreWorker is a separate Node
 * process running the store code, as a second n8n process would. (The in-process concurrency
 * tests elsewhere pass on PGlite with or without this lock.)
 */
jest.setTimeout(180_000);

const folders: string[] = [];
const workers: StoreWorker[] = [];

function newFolder(): string {
	const folder = mkdtempSync(join(tmpdir(), 'wg-lock-'));
	folders.push(folder);
	return folder;
}

async function start(folder: string, env: NodeJS.ProcessEnv = {}): Promise<StoreWorker> {
	const worker = await StoreWorker.start(folder, env);
	workers.push(worker);
	return worker;
}

function lockOwner(folder: string): LockOwner {
	return JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8')) as LockOwner;
}

function writeLock(folder: string, owner: Partial<LockOwner>): void {
	const full = { pid: 1, host: hostname(), createdAt: new Date().toISOString(), token: 'planted', ...owner };
	writeFileSync(join(folder, LOCK_FILE), JSON.stringify(full));
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
	return Number(child.stdout);
}

const refusal = (folder: string) => ({
	ok: false,
	name: 'EmbeddedStoreError',
	message: expect.stringMatching(new RegExp(`folder "${folder}" is in use by another process.*use the PostgreSQL store`)),
	description: expect.stringContaining('lose rows silently'),
});

afterEach(async () => {
	await Promise.all(workers.splice(0).map(async (worker) => await worker.stop()));
});

afterAll(async () => {
	await closeAllStores();
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('embedded folder lock across processes', () => {
	it('refuses a second process while the first holds the folder, and loses no write', async () => {
		const folder = newFolder();
		const [first, second] = [await start(folder), await start(folder)];
		expect(await first.send({ cmd: 'open' })).toEqual({ ok: true });
		expect(await second.send({ cmd: 'open' })).toEqual(refusal(folder));
		expect(lockOwner(folder).pid).toBe(first.pid);

		expect(await first.send({ cmd: 'bind', count: 40, prefix: 'first' })).toEqual({ ok: true, value: 40 });
		expect(await second.send({ cmd: 'open' })).toEqual(refusal(folder)); // still refused, nothing cached

		await first.stop(); // closes the store: releases the lock
		expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
		expect(await second.send({ cmd: 'open' })).toEqual({ ok: true });
		expect(await second.send({ cmd: 'bind', count: 40, prefix: 'second' })).toEqual({ ok: true, value: 80 });
	});

	it("the reviewer's case: 300 rows from an earlier run, then two processes binding 300 each at once", async () => {
		// Without the lock both processes reported 600 and the folder held 812 (879 in the review).
		const folder = newFolder();
		const earlier = await start(folder);
		await earlier.send({ cmd: 'open' });
		expect(await earlier.send({ cmd: 'bind', count: 300, prefix: 'earlier' })).toEqual({ ok: true, value: 300 });
		await earlier.stop();

		const pair = await Promise.all([start(folder), start(folder)]);
		const opened = await Promise.all(pair.map(async (worker) => await worker.send({ cmd: 'open' })));
		const bound = await Promise.all(
			pair.map(async (worker, i) => (opened[i].ok ? await worker.send({ cmd: 'bind', count: 300, prefix: `run${i}` }) : undefined)),
		);
		await Promise.all(pair.map(async (worker) => await worker.stop()));

		const refused = opened.filter((reply) => !reply.ok);
		expect(refused).toEqual([refusal(folder)]);
		expect(bound.filter(Boolean)).toEqual([{ ok: true, value: 600 }]);
		const check = await start(folder);
		await check.send({ cmd: 'open' });
		// Every row any process reported is there: 300 earlier + 300 per process that opened.
		expect(await check.send({ cmd: 'count' })).toEqual({ ok: true, value: 300 + 300 * (2 - refused.length) });
	});

	it('takes over the lock of a process that was killed, keeping its committed rows', async () => {
		const folder = newFolder();
		const crashed = await start(folder);
		await crashed.send({ cmd: 'open' });
		await crashed.send({ cmd: 'bind', count: 10, prefix: 'before-crash' });
		crashed.child.send({ cmd: 'crash' });
		expect(await crashed.exited).toEqual({ code: null, signal: 'SIGKILL' });
		expect(lockOwner(folder).pid).toBe(crashed.pid); // exit handlers did not run

		const next = await start(folder);
		expect(await next.send({ cmd: 'open' })).toEqual({ ok: true });
		expect(lockOwner(folder).pid).toBe(next.pid);
		expect(await next.send({ cmd: 'count' })).toEqual({ ok: true, value: 10 });
	});

	it('lets exactly one of several processes take over one stale lock', async () => {
		const folder = newFolder();
		const contenders = await Promise.all(Array.from({ length: 4 }, async () => await start(folder)));
		writeLock(folder, { pid: deadPid() });
		// All four are loaded and waiting: the opens below hit the stale lock within milliseconds.
		const replies = await Promise.all(contenders.map(async (worker) => await worker.send({ cmd: 'open' })));
		expect(replies.filter((reply) => reply.ok)).toHaveLength(1);
		expect(replies.filter((reply) => !reply.ok)).toEqual([refusal(folder), refusal(folder), refusal(folder)]);
		const winner = contenders[replies.findIndex((reply) => reply.ok)];
		expect(lockOwner(folder).pid).toBe(winner.pid);
		expect(readdirSync(folder).filter((name) => name.startsWith(`${LOCK_FILE}.`))).toEqual([]);
	});

	(existsSync('/proc/self/stat') ? it : it.skip)('takes over a lock whose pid now belongs to a newer process', async () => {
		const folder = newFolder();
		// This jest process is alive, but started later than the planted owner claims.
		writeLock(folder, { pid: process.pid, startTime: '1' });
		const worker = await start(folder);
		expect(await worker.send({ cmd: 'open' })).toEqual({ ok: true });
		expect(lockOwner(folder).pid).toBe(worker.pid);
	});

	(existsSync('/proc/self/stat') ? it : it.skip)('refuses a live owner whose start time matches', async () => {
		const folder = newFolder();
		writeLock(folder, { pid: process.pid, startTime: linuxStartTime(process.pid) });
		const worker = await start(folder);
		expect(await worker.send({ cmd: 'open' })).toEqual(refusal(folder));
	});

	it('never takes over a lock from another host, and says how to remove it', async () => {
		const folder = newFolder();
		writeLock(folder, { pid: deadPid(), host: 'another-host.example' });
		const before = readFileSync(join(folder, LOCK_FILE), 'utf8');
		const worker = await start(folder);
		const reply = await worker.send({ cmd: 'open' });
		expect(reply).toEqual({
			ok: false,
			name: 'EmbeddedStoreError',
			message: expect.stringMatching(/locked by process \d+ on another host, "another-host\.example".*use the PostgreSQL store/),
			description: expect.stringContaining(`delete "${join(folder, LOCK_FILE)}"`),
		});
		expect(readFileSync(join(folder, LOCK_FILE), 'utf8')).toBe(before);
		expect(readdirSync(folder)).toEqual([LOCK_FILE]); // PGlite never touched the folder
	});

	it('refuses the embedded store in n8n queue mode before touching the folder', async () => {
		const folder = join(newFolder(), 'store');
		const worker = await start(folder, { EXECUTIONS_MODE: 'queue' });
		expect(await worker.send({ cmd: 'open' })).toEqual({
			ok: false,
			name: 'EmbeddedStoreError',
			message: `The embedded store (folder "${folder}") cannot be used in n8n queue mode (EXECUTIONS_MODE=queue): use the PostgreSQL store.`,
			description: expect.stringContaining('Select "PostgreSQL"'),
		});
		expect(existsSync(folder)).toBe(false);
	});
});

describe('embedded folder contents', () => {
	it('refuses a non-empty folder that is not a store, writing nothing into it', async () => {
		const folder = newFolder();
		writeFileSync(join(folder, 'notes.txt'), 'not a database');
		const error = await openStore({ kind: 'embedded', dataDir: folder }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EmbeddedStoreError);
		expect((error as Error).message).toBe(
			`The folder "${folder}" is not empty and holds no embedded store (no PG_VERSION file), so it is not used as the Embedded Data Folder.`,
		);
		expect(readdirSync(folder)).toEqual(['notes.txt']);
	});

	it('opens an empty folder, and the same folder again once it holds a store', async () => {
		const folder = newFolder();
		const store = await openStore({ kind: 'embedded', dataDir: folder });
		expect(lockOwner(folder).pid).toBe(process.pid);
		await store.close();
		expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
		expect(readdirSync(folder)).toContain('PG_VERSION');
		await (await openStore({ kind: 'embedded', dataDir: folder })).close();
	}, 60_000);
});
