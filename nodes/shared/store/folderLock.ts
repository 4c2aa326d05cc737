/**
 * One owner per embedded data folder. PGlite keeps the database in memory and writes pages back to
 * the folder; two processes on one folder both "succeed" and silently lose each other's rows. So a
 * process takes this lock before PGlite opens the folder and holds it until it closes the store.
 *
 * The lock is a file created with O_EXCL ('wx') holding the owner's pid, host, boot id and process
 * start time. A lock left by a dead process on this host (pid gone, pid reused by a newer process,
 * or the machine restarted since) is taken over; a lock from another host never is, since its
 * process cannot be checked from here (so a host that shares the folder over NFS is refused, and a
 * crashed owner's lock must be deleted by hand there). Limits: hosts are told apart by hostname
 * only; containers sharing a folder and a hostname cannot see each other's pids, so give them
 * different hostnames (or use PostgreSQL); a process that dies in the middle of a takeover leaves
 * `<lock>.takeover`, cleared after 10 s or at once when its pid is gone.
 */
import { randomBytes } from 'crypto';
import { readFileSync, unlinkSync } from 'fs';
import { link, open, readFile, rename, stat, unlink } from 'fs/promises';
import { hostname } from 'os';
import { join } from 'path';
import { EmbeddedStoreError } from './types';

/** File name inside the data folder; the folder check ignores names starting with it. */
export const LOCK_FILE = 'webhook-gateway.lock';

export interface LockOwner {
	pid: number;
	host: string;
	/** Linux /proc/sys/kernel/random/boot_id: differs after a reboot, when every earlier process is gone. */
	bootId?: string;
	/** Linux /proc/<pid>/stat starttime (clock ticks since boot): tells a reused pid from the owner. */
	startTime?: string;
	createdAt: string;
	/** Random per acquisition: proves a file is this acquisition's and not an older one's. */
	token: string;
}

/** What the lock needs to know about this process and others; tests pass their own. */
export interface ProcessIdentity {
	pid: number;
	host: string;
	bootId?: string;
	startTime?: string;
	isAlive(pid: number): boolean;
	startTimeOf(pid: number): string | undefined;
}

export interface FolderLock {
	readonly path: string;
	readonly owner: LockOwner;
	release(): Promise<void>;
}

export interface LockOptions {
	/** Give up waiting for a lock file that is being written (or could not be parsed). */
	timeoutMillis?: number;
}

function readOptional(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8').trim();
	} catch {
		return undefined;
	}
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so split after its ')'. */
export function linuxStartTime(pid: number): string | undefined {
	const stat = readOptional(`/proc/${pid}/stat`);
	if (stat === undefined) return undefined;
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
	}
}

export function currentProcess(): ProcessIdentity {
	return {
		pid: process.pid,
		host: hostname(),
		bootId: readOptional('/proc/sys/kernel/random/boot_id'),
		startTime: linuxStartTime(process.pid),
		isAlive: isProcessAlive,
		startTimeOf: linuxStartTime,
	};
}

/**
 * Tokens of the locks this process holds, shared by every copy of this module loaded in the
 * process (n8n could load two versions of the package): a lock naming our pid but no token here
 * is a leftover, one with a token here is in use.
 */
const held: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for('n8n-nodes-webhook-gateway.folderLocks')] ??=
	new Set<string>()) as Set<string>;

/** Locks of this module copy, released synchronously if the process exits without closing the store. */
const releaseOnExit = new Map<string, string>();

let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const [path, token] of releaseOnExit) {
			try {
				if (parseOwner(readFileSync(path, 'utf8'))?.token === token) unlinkSync(path);
			} catch {
				// Already gone, or unreadable: the next owner judges it as stale.
			}
		}
	});
}

function parseOwner(text: string): LockOwner | undefined {
	try {
		const owner = JSON.parse(text) as Partial<LockOwner>;
		const valid =
			Number.isSafeInteger(owner.pid) &&
			(owner.pid as number) > 0 &&
			typeof owner.host === 'string' &&
			typeof owner.token === 'string';
		return valid ? (owner as LockOwner) : undefined;
	} catch {
		return undefined;
	}
}

/** `operation`'s result, or `fallback` when it fails with errno `code`; other errors propagate. */
async function unless<T, F>(operation: Promise<T>, code: string, fallback: F): Promise<T | F> {
	return await operation.catch((error: NodeJS.ErrnoException) => {
		if (error.code === code) return fallback;
		throw error;
	});
}

type LockState =
	| { kind: 'missing' }
	| { kind: 'unreadable'; ageMillis: number }
	| { kind: 'held'; owner: LockOwner; ageMillis: number };

async function readLock(path: string): Promise<LockState> {
	const text = await unless(readFile(path, 'utf8'), 'ENOENT', undefined);
	const modified = text === undefined ? undefined : await unless(stat(path), 'ENOENT', undefined);
	if (text === undefined || modified === undefined) return { kind: 'missing' };
	const ageMillis = Date.now() - modified.mtimeMs;
	const owner = parseOwner(text);
	return owner ? { kind: 'held', owner, ageMillis } : { kind: 'unreadable', ageMillis };
}

function newOwner(me: ProcessIdentity): LockOwner {
	return {
		pid: me.pid,
		host: me.host,
		bootId: me.bootId,
		startTime: me.startTime,
		createdAt: new Date().toISOString(),
		token: randomBytes(16).toString('hex'),
	};
}

/** O_EXCL create: exactly one process succeeds while the file exists. */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
	const file = await unless(open(path, 'wx'), 'EEXIST', undefined);
	if (file === undefined) return false;
	const written = file
		.writeFile(`${JSON.stringify(owner, null, 1)}\n`)
		.then(async () => await file.sync())
		.finally(async () => await file.close());
	await written.catch(async (error: unknown) => {
		await unlink(path).catch(() => undefined); // never leave a lock that names nobody
		throw error;
	});
	return true;
}

/** Deletes `path` if it still holds `token` (a file of ours, or one judged stale). */
async function unlinkIfToken(path: string, token: string): Promise<void> {
	const state = await readLock(path);
	if (state.kind === 'held' && state.owner.token === token) await unlink(path).catch(() => undefined);
}

type Verdict = 'live' | 'foreign' | 'stale';

export function judgeOwner(owner: LockOwner, me: ProcessIdentity): Verdict {
	if (owner.host !== me.host) return 'foreign';
	if (owner.bootId && me.bootId && owner.bootId !== me.bootId) return 'stale';
	if (owner.pid === me.pid) {
		// Our pid: in use by this process, or left by an earlier process that had the same pid.
		return held.has(owner.token) ? 'live' : 'stale';
	}
	if (!me.isAlive(owner.pid)) return 'stale';
	const startTime = owner.startTime ? me.startTimeOf(owner.pid) : undefined;
	if (startTime !== undefined && startTime !== owner.startTime) return 'stale'; // pid reused
	return 'live';
}

/** A takeover lasts milliseconds; a takeover file this old was left by a process that died in one. */
const ABANDONED_TAKEOVER_MILLIS = 10_000;

/**
 * Removes the stale lock `stale`, and only it. Deleting is the one step that can race (read the
 * stale file, then delete — meanwhile another process may have replaced it with a fresh lock), so
 * it happens only while holding `<lock>.takeover`, created with O_EXCL like the lock: while it is
 * held no other process deletes the lock, so the file checked is the file deleted. Creating the lock
 * needs no such step: O_EXCL lets one process win. Returns without deleting when another process
 * is taking over; the caller then looks at the lock again.
 */
async function removeStale(path: string, stale: LockOwner, me: ProcessIdentity): Promise<void> {
	const takeoverPath = `${path}.takeover`;
	const mine = newOwner(me);
	if (!(await tryCreate(takeoverPath, mine))) {
		const state = await readLock(takeoverPath);
		const abandoned =
			state.kind !== 'missing' &&
			(state.ageMillis > ABANDONED_TAKEOVER_MILLIS || (state.kind === 'held' && judgeOwner(state.owner, me) === 'stale'));
		if (abandoned && state.kind === 'held') await removeAbandoned(takeoverPath, state.owner.token);
		else if (abandoned) await unlink(takeoverPath).catch(() => undefined); // unreadable for 10 s
		return;
	}
	held.add(mine.token);
	try {
		await unlinkIfToken(path, stale.token);
	} finally {
		held.delete(mine.token);
		await unlinkIfToken(takeoverPath, mine.token);
	}
}

/**
 * Clears a takeover file left by a dead process. Rename is atomic, so of several processes doing
 * this at once one moves the file; if what it moved is a fresh takeover file, it is put back.
 */
async function removeAbandoned(path: string, token: string): Promise<void> {
	const moved = `${path}-${randomBytes(6).toString('hex')}`;
	if ((await unless(rename(path, moved), 'ENOENT', 'gone')) === 'gone') return;
	const state = await readLock(moved);
	if (state.kind === 'held' && state.owner.token !== token) await link(moved, path).catch(() => undefined);
	await unlink(moved).catch(() => undefined);
}

function since(owner: LockOwner): string {
	return owner.createdAt ? `, since ${owner.createdAt}` : '';
}

function heldError(dataDir: string, path: string, owner: LockOwner, verdict: Verdict, me: ProcessIdentity): EmbeddedStoreError {
	if (verdict === 'foreign') {
		return new EmbeddedStoreError(
			`The embedded store folder "${dataDir}" is locked by process ${owner.pid} on another host, "${owner.host}"${since(owner)}. One embedded folder serves one n8n process: use the PostgreSQL store for several processes or hosts.`,
			`A lock from another host is never taken over automatically, because this host cannot check whether that process still runs. If no process on "${owner.host}" uses this folder any more, delete "${path}" and retry.`,
		);
	}
	const who =
		owner.pid === me.pid ? 'this process (another copy of this package)' : `another process (pid ${owner.pid} on this host "${owner.host}"${since(owner)})`;
	return new EmbeddedStoreError(
		`The embedded store folder "${dataDir}" is in use by ${who}. One embedded folder serves one n8n process: use the PostgreSQL store for several processes (queue mode, several n8n instances).`,
		'Two processes writing one embedded folder lose rows silently, so the second one is refused. Point this process at its own folder, or switch both to the PostgreSQL store.',
	);
}

/** Takes the lock on `dataDir` (which must exist) or throws EmbeddedStoreError naming the owner. */
export async function acquireFolderLock(
	dataDir: string,
	me: ProcessIdentity = currentProcess(),
	options: LockOptions = {},
): Promise<FolderLock> {
	const path = join(dataDir, LOCK_FILE);
	const deadline = Date.now() + (options.timeoutMillis ?? 5_000);
	const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
	while (Date.now() < deadline) {
		const owner = newOwner(me);
		if (await tryCreate(path, owner)) return register(path, owner);
		const state = await readLock(path);
		if (state.kind === 'missing') continue;
		if (state.kind === 'unreadable') {
			// Just created and not yet written, or damaged: wait a moment before calling it damaged.
			if (state.ageMillis > 2_000) break;
			await pause(20);
			continue;
		}
		const verdict = judgeOwner(state.owner, me);
		if (verdict !== 'stale') throw heldError(dataDir, path, state.owner, verdict, me);
		await removeStale(path, state.owner, me);
		await pause(Math.random() * 10); // let a concurrent takeover finish before trying again
	}
	throw new EmbeddedStoreError(
		`The embedded store folder "${dataDir}" has a lock file that could not be read or taken ("${path}"). One embedded folder serves one n8n process: use the PostgreSQL store for several processes.`,
		`If no process uses this folder, delete "${path}" and retry.`,
	);
}

function register(path: string, owner: LockOwner): FolderLock {
	held.add(owner.token);
	releaseOnExit.set(path, owner.token);
	installExitHook();
	let released = false;
	return {
		path,
		owner,
		release: async () => {
			if (released) return;
			released = true;
			releaseOnExit.delete(path);
			try {
				await unlinkIfToken(path, owner.token);
			} finally {
				held.delete(owner.token);
			}
		},
	};
}
