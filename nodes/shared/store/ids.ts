import { randomUUID } from 'crypto';

/**
 * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. New rows land at
 * the right edge of every index on the id instead of on a random page, so a write dirties (and
 * the WAL or a checkpoint rewrites) a few pages, not one per index. The time only places the row;
 * nothing reads it back, so the real clock is the default.
 */
export function timeOrderedId(now: number = Date.now()): string {
	// randomUUID draws from a cached entropy pool (randomBytes(16) per call cost ~15 µs); its
	// variant bits and the 74 random bits after its version digit are kept.
	const time = (Math.max(0, Math.floor(now)) % 2 ** 48).toString(16).padStart(12, '0');
	return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/**
 * An id as the store keeps it and looks it up: lower case. PostgreSQL's uuid type compares ids in
 * any case, but SQLite keeps them as text and compares them exactly, so an id typed in upper case
 * is lowered here before it reaches a query.
 */
export function storedId(id: string): string {
	return id.toLowerCase();
}
