import { dialectOf } from './dialect';
import { timeOrderedId } from './ids';
import type { ContactType } from './normalize';
import type { CustomerRow, Queryable } from './types';

/** A normalized identity: what is stored in customer_contacts and matched on lookup. */
export interface ContactKey {
	type: ContactType;
	normalized: string;
	/** As given (trimmed), kept in customer_contacts.value for display. */
	value: string;
}

/** One identity as a string key: types hold no newline, so the first one splits it back. */
export function contactId(type: string, normalized: string): string {
	return `${type}\n${normalized}`;
}

/** Identity types that also live in a customers column; their lookups match column or contact. */
export const COLUMN_OF: Partial<Record<ContactType, 'email' | 'phone' | 'document'>> = {
	email: 'email',
	phone: 'phone',
	document: 'document',
};

export interface CustomerView {
	id: string;
	name: string | null;
	email: string | null;
	phone: string | null;
	document: string | null;
	/** Every contact of the customer, normalized values, ordered by type then value. */
	contacts: Array<{ type: string; value: string }>;
}

export interface SkippedContact {
	type: string;
	value: string;
	/** The customer that already owns this contact (contacts are unique per type + value). */
	customerId: string;
}

/**
 * Customers matching any of `keys` (column or contact) or, when given, the name (case-insensitive),
 * oldest first (created_at, then id) so picking the first is deterministic.
 */
export async function findCustomers(
	tx: Queryable,
	keys: readonly ContactKey[],
	name: string | null = null,
): Promise<CustomerRow[]> {
	if (keys.length === 0 && name === null) return [];
	const params: unknown[] = [];
	const ids = matchingIds(keys, name, (value) => {
		params.push(value);
		return `$${params.length}`;
	});
	const { rows } = await tx.query<CustomerRow>(
		`SELECT c.* FROM ${dialectOf(tx).rowsById('c', 'customers', ids)} ORDER BY c.created_at, c.id`,
		params,
	);
	return rows;
}

/**
 * The ids of the customers matching any of `keys` (column or contact) or the name
 * (case-insensitive), as one subquery (ids may repeat); `param` adds a parameter and returns its
 * placeholder. One indexed lookup per identity, united: an OR across columns and a subquery would
 * make both engines scan customers.
 */
export function matchingIds(keys: readonly ContactKey[], name: string | null, param: (value: unknown) => string): string {
	const lookups: string[] = [];
	for (const key of keys) {
		const column = COLUMN_OF[key.type];
		// Column names come from the fixed COLUMN_OF map, never from input.
		if (column !== undefined) lookups.push(`SELECT id FROM customers WHERE ${column} = ${param(key.normalized)}`);
		lookups.push(
			`SELECT customer_id FROM customer_contacts WHERE type = ${param(key.type)} AND normalized_value = ${param(key.normalized)}`,
		);
	}
	if (name !== null) lookups.push(`SELECT id FROM customers WHERE lower(name) = lower(${param(name)})`);
	return lookups.join(' UNION ALL ');
}

/**
 * Attaches `key` to the customer unless that type + value is already registered.
 * Returns 'added', 'present' (already this customer's) or the id of the customer that owns it.
 */
export async function addContact(
	tx: Queryable,
	customerId: string,
	key: ContactKey,
): Promise<'added' | 'present' | { ownerId: string }> {
	const inserted = await tx.query(
		`INSERT INTO customer_contacts (customer_id, type, value, normalized_value) VALUES ($1, $2, $3, $4)
		ON CONFLICT (type, normalized_value) DO NOTHING RETURNING customer_id`,
		[customerId, key.type, key.value, key.normalized],
	);
	if (inserted.rowCount > 0) return 'added';
	const { rows } = await tx.query<{ customer_id: string }>(
		'SELECT customer_id FROM customer_contacts WHERE type = $1 AND normalized_value = $2',
		[key.type, key.normalized],
	);
	const ownerId = rows[0]?.customer_id;
	return ownerId === undefined || ownerId === customerId ? 'present' : { ownerId };
}

/**
 * {@link addContact} for several keys in one INSERT (and, only when some were already registered,
 * one SELECT for their owners): a bind makes two round trips, not two per contact.
 */
export async function addContacts(
	tx: Queryable,
	customerId: string,
	keys: readonly ContactKey[],
): Promise<Array<'added' | 'present' | { ownerId: string }>> {
	if (keys.length === 0) return [];
	const dialect = dialectOf(tx);
	const newKeys = dialect.arrayRows('k', [
		{ name: 'type', slot: '$2', type: 'text' },
		{ name: 'value', slot: '$3', type: 'text' },
		{ name: 'normalized', slot: '$4', type: 'text' },
	]);
	// `WHERE true`: SQLite cannot otherwise tell ON CONFLICT from a join's ON after INSERT … SELECT.
	const inserted = await tx.query<{ type: string; normalized_value: string }>(
		`INSERT INTO customer_contacts (customer_id, type, value, normalized_value)
		SELECT $1::uuid, k.type, k.value, k.normalized FROM ${newKeys} WHERE true
		ON CONFLICT (type, normalized_value) DO NOTHING RETURNING type, normalized_value`,
		[customerId, keys.map((key) => key.type), keys.map((key) => key.value), keys.map((key) => key.normalized)],
	);
	const added = new Set(inserted.rows.map((row) => contactId(row.type, row.normalized_value)));
	const taken = keys.filter((key) => !added.has(contactId(key.type, key.normalized)));
	const owners = await ownersOf(tx, taken);
	return keys.map((key) => {
		if (added.has(contactId(key.type, key.normalized))) return 'added';
		const ownerId = owners.get(contactId(key.type, key.normalized));
		return ownerId === undefined || ownerId === customerId ? 'present' : { ownerId };
	});
}

/** The customer owning each of `keys` that is registered, by `type\nnormalized`. */
export async function ownersOf(tx: Queryable, keys: readonly ContactKey[]): Promise<Map<string, string>> {
	const owners = new Map<string, string>();
	if (keys.length === 0) return owners;
	// A row-value IN, not a join: SQLite would scan customer_contacts to join a json_each source.
	const { rows } = await tx.query<{ type: string; normalized_value: string; customer_id: string }>(
		`SELECT c.type, c.normalized_value, c.customer_id FROM customer_contacts c
		WHERE (c.type, c.normalized_value) IN (SELECT k.type, k.normalized FROM ${dialectOf(tx).arrayRows('k', [
			{ name: 'type', slot: '$1', type: 'text' },
			{ name: 'normalized', slot: '$2', type: 'text' },
		])})`,
		[keys.map((key) => key.type), keys.map((key) => key.normalized)],
	);
	for (const row of rows) owners.set(contactId(row.type, row.normalized_value), row.customer_id);
	return owners;
}

export async function createCustomer(
	tx: Queryable,
	data: Pick<CustomerRow, 'name' | 'email' | 'phone' | 'document'>,
): Promise<CustomerRow> {
	const { rows } = await tx.query<CustomerRow>(
		'INSERT INTO customers (id, name, email, phone, document) VALUES ($1, $2, $3, $4, $5) RETURNING *',
		[timeOrderedId(), data.name, data.email, data.phone, data.document],
	);
	return rows[0];
}

/** The CustomerView of a customer row; `contacts` keep the caller's order (its ORDER BY or sort). */
export function viewOf(row: CustomerRow, contacts: CustomerView['contacts']): CustomerView {
	return { id: row.id, name: row.name, email: row.email, phone: row.phone, document: row.document, contacts };
}

export async function viewCustomer(tx: Queryable, customer: CustomerRow): Promise<CustomerView> {
	const { rows } = await tx.query<{ type: string; normalized_value: string }>(
		'SELECT type, normalized_value FROM customer_contacts WHERE customer_id = $1 ORDER BY type, normalized_value',
		[customer.id],
	);
	return viewOf(customer, rows.map((row) => ({ type: row.type, value: row.normalized_value })));
}
