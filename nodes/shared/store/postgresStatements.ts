/**
 * Named (prepared) statements for the PostgreSQL store. Sent unnamed, every query is parsed and
 * planned again on each call; a bind's one statement (optimisticBind.ts) spends more time being
 * planned than run. Named, PostgreSQL plans it once per connection: Customer Bind, 8 at a time,
 * went from 2,158 to 4,589 binds/s (`npm run bench:binds`, 6 Dec 2026).
 *
 * Only texts with parameters are named (a text without any may hold several statements, which a
 * prepared statement cannot), once they have run PREPARE_AFTER times (one-off texts never are),
 * and at most MAX_NAMED of them per process, so no connection piles up statements.
 *
 * A connection pooler in transaction mode (pgbouncer before 1.21, or without
 * max_prepared_statements) hands each transaction another server connection, where a name is
 * unknown or already taken: the first such error turns names off for the process, and the
 * statement runs again unnamed.
 */
import { createHash } from 'crypto';

const PREPARE_AFTER = 2;
const MAX_NAMED = 200;
const MAX_COUNTED = 1000;

const named = new Map<string, string>();
const counted = new Map<string, number>();
/** Texts whose prepared plan the server refused (the table changed under it): sent unnamed from then on. */
const unnamed = new Set<string>();
/** A pooler that does not keep names was met: nothing is named any more. */
let namesOff = false;

export interface Statement {
	name?: string;
	text: string;
	values: unknown[];
}

export function statementOf(text: string, params: readonly unknown[]): Statement {
	const values = [...params];
	if (namesOff || values.length === 0 || unnamed.has(text)) return { text, values };
	let name = named.get(text);
	if (name === undefined) {
		const count = (counted.get(text) ?? 0) + 1;
		if (count < PREPARE_AFTER || named.size >= MAX_NAMED) {
			if (counted.size >= MAX_COUNTED) counted.clear();
			counted.set(text, count);
			return { text, values };
		}
		counted.delete(text);
		name = `wgw_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
		named.set(text, name);
	}
	return { name, text, values };
}

/**
 * Whether the statement failed for its name, not its content, and is now sent unnamed, so running
 * it again works: "cached plan must not change result type" (0A000: another process migrated a
 * table this statement reads with `*` since this connection prepared it), or a name the server
 * connection does not have or already has (26000, 42P05: a pooler between us and PostgreSQL).
 */
export function unnameAfter(statement: Statement, error: unknown): boolean {
	if (statement.name === undefined) return false;
	const code = (error as { code?: unknown }).code;
	if (code === '0A000') {
		named.delete(statement.text);
		unnamed.add(statement.text);
		return true;
	}
	if (code === '26000' || code === '42P05') {
		namesOff = true;
		named.clear();
		return true;
	}
	return false;
}
