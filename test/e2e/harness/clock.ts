import { existsSync } from 'fs';

/** Where Debian/Ubuntu's `libfaketime` package puts its preload library (per architecture). */
const candidates = [
	process.env.LIBFAKETIME,
	'/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
	'/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
	'/usr/lib/faketime/libfaketime.so.1',
	'/usr/local/lib/faketime/libfaketime.so.1',
];

/**
 * Environment that starts a process with its wall clock moved by `offset` (libfaketime syntax,
 * e.g. `+11m`): Date.now() and `new Date()` in n8n and its task runner, no seam in the package.
 * Monotonic clocks stay real, so timers and timeouts run at normal speed.
 */
export function fakeClockEnv(offset: string): Record<string, string> {
	const library = candidates.find((path): path is string => !!path && existsSync(path));
	if (!library) {
		throw new Error('libfaketime is missing: apt-get install -y faketime (or set LIBFAKETIME to libfaketime.so.1)');
	}
	return { LD_PRELOAD: library, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}
