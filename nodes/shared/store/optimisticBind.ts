import { contactId, matchingIds, viewOf } from './contacts';
import { postgresDialect } from './dialect';
import type { ContactKey, CustomerView } from './contacts';
import { timeOrderedId } from './ids';
import type { CustomerRow, Queryable } from './types';

/** What the one statement saw: the customer it created, or the customers that already match. */
export type OptimisticOutcome =
	| { kind: 'created'; customer: CustomerView; notAdded: ContactKey[] }
	| { kind: 'found'; matches: Array<CustomerRow & { contacts: Array<[string, string]> | null }> }
	/** A concurrent bind of the same person got there first: take the locked path. */
	| { kind: 'raced' };

export interface OptimisticInput {
	/** Advisory locks the statement takes first, as the locked path would (see lockKeys). */
	locks: { namespace: number; ids: number[] };
	name: string | null;
	email: string | null;
	phone: string | null;
	document: string | null;
	/** Every contact to attach, in the order every bind inserts them (see sortKeys). */
	contacts: readonly ContactKey[];
	lookup: readonly ContactKey[];
}

/** foreign_key_violation: contacts were added for a customer this statement then did not create. */
const RACED_CODES = new Set(['23503']);

/**
 * PostgreSQL: find-or-create a customer in one statement and one round trip, outside any explicit
 * transaction. A bind on PostgreSQL pays per round trip, not per row: the locked path (BEGIN,
 * lock, find, insert, insert, COMMIT) costs six.
 *
 * It takes the same advisory locks as the locked path, first, so it still takes turns with every
 * Customer Bind and Chat Bind sharing an identity. What the locks cannot give one statement is a
 * fresh view: its snapshot predates a lock holder's commit. So the customer row is inserted only
 * when this statement itself inserted every lookup identity into customer_contacts, whose
 * (type, normalized_value) is unique and checked against committed rows: when a bind that held
 * the lock created that person, the identities are taken and nothing is created. If some other
 * contact was inserted, its row points at a customer that does not exist and the foreign key fails
 * the whole statement at its end, so nothing of it stays. Either way the caller goes on with the
 * locked path, which sees the other's customer.
 */
export async function findOrCreateInOneStatement(tx: Queryable, input: OptimisticInput): Promise<OptimisticOutcome> {
	const params: unknown[] = [timeOrderedId(), input.name, input.email, input.phone, input.document];
	const param = (value: unknown): string => {
		params.push(value);
		return `$${params.length}`;
	};
	const lockNamespace = param(input.locks.namespace);
	const lockKeys = param(input.locks.ids);
	const matching = matchingIds(input.lookup, null, param);
	const types = param(input.contacts.map((key) => key.type));
	const values = param(input.contacts.map((key) => key.value));
	const normalized = param(input.contacts.map((key) => key.normalized));
	// A bind has at most one contact per type, so a lookup identity is added exactly when a row of
	// its type is: counting by type spares the statement a join on (type, value).
	const lookupTypes = param(input.lookup.map((key) => key.type));
	const lookupCount = param(input.lookup.length);
	// The locks come first (a volatile CTE is evaluated once, and `added` reads it before its
	// rows); the statement's snapshot may predate a holder's commit, which the unique index covers.
	const sql = `WITH locked AS (
		SELECT count(pg_advisory_xact_lock(${lockNamespace}::int4, k)) AS n FROM (SELECT unnest(${lockKeys}::int4[]) AS k ORDER BY 1) AS keys
	), found AS (
		SELECT c.* FROM ${postgresDialect.rowsById('c', 'customers', matching)}
	), added AS (
		INSERT INTO customer_contacts (customer_id, type, value, normalized_value)
		SELECT $1::uuid, k.type, k.value, k.normalized
		FROM locked, unnest(${types}::text[], ${values}::text[], ${normalized}::text[]) WITH ORDINALITY AS k (type, value, normalized, n)
		WHERE NOT EXISTS (SELECT 1 FROM found) ORDER BY k.n
		ON CONFLICT (type, normalized_value) DO NOTHING RETURNING type, normalized_value
	), created AS (
		INSERT INTO customers (id, name, email, phone, document)
		SELECT $1::uuid, $2, $3, $4, $5
		WHERE NOT EXISTS (SELECT 1 FROM found)
			AND (SELECT count(*) FROM added a WHERE a.type = ANY(${lookupTypes}::text[])) = ${lookupCount}::int
		RETURNING *
	)
	SELECT true AS created, created.*, (SELECT json_agg(json_build_array(a.type, a.normalized_value)) FROM added a) AS contacts FROM created
	UNION ALL
	SELECT false, found.*, (SELECT json_agg(json_build_array(k.type, k.normalized_value) ORDER BY k.type, k.normalized_value) FROM customer_contacts k WHERE k.customer_id = found.id)
	FROM found
	ORDER BY created_at, id`;
	const answer = await tx.query<CustomerRow & { created: boolean; contacts: Array<[string, string]> | null }>(sql, params).then(
		(result) => ({ rows: result.rows, failure: undefined }),
		(failure: unknown) => ({ rows: [], failure }),
	);
	if (answer.failure !== undefined) {
		if (RACED_CODES.has(String((answer.failure as { code?: unknown }).code))) return { kind: 'raced' };
		throw answer.failure;
	}
	const { rows } = answer;
	if (rows.length === 0) return { kind: 'raced' };
	if (!rows[0].created) return { kind: 'found', matches: rows.map(({ created: _created, ...row }) => row) };

	const { created: _created, contacts, ...customer } = rows[0];
	const added = new Set((contacts ?? []).map(([type, value]) => contactId(type, value)));
	const addedKeys = input.contacts.filter((key) => added.has(contactId(key.type, key.normalized)));
	return {
		kind: 'created',
		customer: viewOf(customer, addedKeys.map((key) => ({ type: key.type as string, value: key.normalized })).sort(byTypeThenValue)),
		notAdded: input.contacts.filter((key) => !added.has(contactId(key.type, key.normalized))),
	};
}

/** The order Customer Bind has always listed a new customer's contacts in. */
export function byTypeThenValue(a: { type: string; value: string }, b: { type: string; value: string }): number {
	if (a.type !== b.type) return a.type < b.type ? -1 : 1;
	return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
