import { randomBytes } from 'crypto';

/**
 * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. New rows land at
 * the right edge of every index on the id instead of on a random page, so a write dirties (and
 * the WAL or a checkpoint rewrites) a few pages, not one per index. The time only places the row;
 * nothing reads it back, so the real clock is the default.
 */
export function timeOrderedId(now: number = Date.now()): string {
	const bytes = randomBytes(16);
	bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
	bytes[6] = (bytes[6] & 0x0f) | 0x70;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
