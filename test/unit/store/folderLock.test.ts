import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LOCK_FILE, acquireFolderLock, judgeOwner } from '../../../nodes/shared/store/folderLock';
import type { LockOwner, ProcessIdentity } from '../../../nodes/shared/store/folderLock';
import { EmbeddedStoreError } from '../../../nodes/shared/store/types';

// A slow unlink widens the gap between "this file is the stale lock" and deleting it: the race a
// takeover must survive (another process replacing the lock in that gap) then happens every round.
let mockUnlinkDelay = 0;
jest.mock('fs/promises', () => {
	const actual = jest.requireActual('fs/promises');
	return {
		...actual,
		unlink: async (path: string) => {
			if (mockUnlinkDelay > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * mockUnlinkDelay));
			return await actual.unlink(path);
		},
	};
});

const DEAD = 4_000_001;

/** A made-up process on host "h": every pid is alive except DEAD; start times as given. */
function identity(pid: number, startTimes: Record<number, string> = {}): ProcessIdentity {
	return {
		pid,
		host: 'h',
		bootId: 'boot-1',
		startTime: startTimes[pid],
		isAlive: (other) => other !== DEAD,
		startTimeOf: (other) => startTimes[other],
	};
}

const owner = (fields: Partial<LockOwner>): LockOwner => ({
	pid: 4_000_100,
	host: 'h',
	bootId: 'boot-1',
	createdAt: '2026-01-01T00:00:00.000Z',
	token: 'planted',
	...fields,
});

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'wg-lock-unit-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const lockText = () => readFileSync(join(folder, LOCK_FILE), 'utf8');
const plant = (fields: Partial<LockOwner>) => writeFileSync(join(folder, LOCK_FILE), JSON.stringify(owner(fields)));

describe('judgeOwner', () => {
	const me = identity(4_000_200, { 4_000_100: '500', 4_000_200: '900' });

	it.each([
		['another host, even with a dead pid', { host: 'other', pid: DEAD }, 'foreign'],
		['a dead pid on this host', { pid: DEAD }, 'stale'],
		['a live pid with the same start time', { startTime: '500' }, 'live'],
		['a live pid that a newer process reuses', { startTime: '400' }, 'stale'],
		['a live pid without a recorded start time', {}, 'live'],
		['an owner from before the last reboot', { bootId: 'boot-0', startTime: '500' }, 'stale'],
		['our own pid, not held by this process (left by an earlier process)', { pid: 4_000_200 }, 'stale'],
	] as Array<[string, Partial<LockOwner>, string]>)('%s: %s', (_name, fields, verdict) => {
		expect(judgeOwner(owner(fields), me)).toBe(verdict);
	});

	it('counts a lock this process holds as live', async () => {
		const lock = await acquireFolderLock(folder, identity(4_000_200));
		expect(judgeOwner(lock.owner, identity(4_000_200))).toBe('live');
		await lock.release();
		expect(judgeOwner(lock.owner, identity(4_000_200))).toBe('stale');
	});
});

describe('acquireFolderLock', () => {
	it('writes the owner, refuses a second owner, and removes only its own file on release', async () => {
		const first = await acquireFolderLock(folder, identity(4_000_011));
		expect(JSON.parse(lockText())).toEqual(first.owner);
		const error = await acquireFolderLock(folder, identity(4_000_020)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EmbeddedStoreError);
		expect((error as Error).message).toContain(`"${folder}" is in use by another process (pid 4000011 on this host "h"`);
		expect((error as Error).message).toContain('use the PostgreSQL store');

		// Someone deleted the file by hand and another process took the folder: release leaves it alone.
		rmSync(join(folder, LOCK_FILE));
		const second = await acquireFolderLock(folder, identity(4_000_020));
		await first.release();
		expect(JSON.parse(lockText()).token).toBe(second.owner.token);
		await second.release();
		expect(readdirSync(folder)).toEqual([]);
	});

	it('lets exactly one of many contenders take over a stale lock, even on a slow disk', async () => {
		mockUnlinkDelay = 5;
		for (let round = 0; round < 30; round++) {
			plant({ pid: DEAD, token: `stale-${round}` });
			const contenders = Array.from({ length: 24 }, (_, i) => identity(4_000_300 + i));
			const results = await Promise.allSettled(
				contenders.map(async (me) => await acquireFolderLock(folder, me)),
			);
			const winners = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof acquireFolderLock>>> => r.status === 'fulfilled');
			expect(winners).toHaveLength(1);
			for (const result of results) {
				if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EmbeddedStoreError);
			}
			expect(JSON.parse(lockText()).token).toBe(winners[0].value.owner.token);
			expect(readdirSync(folder)).toEqual([LOCK_FILE]); // no moved-away stale files left behind
			await winners[0].value.release();
		}
		mockUnlinkDelay = 0;
	}, 60_000);

	it('clears a takeover left by a process that died during it', async () => {
		plant({ pid: DEAD, token: 'stale' });
		writeFileSync(join(folder, `${LOCK_FILE}.takeover`), JSON.stringify(owner({ pid: DEAD, token: 'dead-taker' })));
		const lock = await acquireFolderLock(folder, identity(4_000_200), { timeoutMillis: 2_000 });
		expect(readdirSync(folder)).toEqual([LOCK_FILE]);
		await lock.release();
	});

	it('waits for a lock file that is still being written', async () => {
		writeFileSync(join(folder, LOCK_FILE), '');
		setTimeout(() => writeFileSync(join(folder, LOCK_FILE), JSON.stringify(owner({ pid: 4_000_100 }))), 100);
		const error = await acquireFolderLock(folder, identity(4_000_200)).catch((e: unknown) => e);
		expect((error as Error).message).toContain('in use by another process (pid 4000100');
	});

	it('refuses, with the file to delete, a lock file that stays unreadable', async () => {
		writeFileSync(join(folder, LOCK_FILE), 'garbage');
		const old = new Date(Date.now() - 60_000);
		utimesSync(join(folder, LOCK_FILE), old, old);
		const error = await acquireFolderLock(folder, identity(4_000_200)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EmbeddedStoreError);
		expect((error as Error).message).toContain('could not be read or taken');
		expect((error as EmbeddedStoreError).description).toBe(`If no process uses this folder, delete "${join(folder, LOCK_FILE)}" and retry.`);
		expect(lockText()).toBe('garbage');
	});
});
