import { addContacts, contactId, createCustomer, findCustomers, ownersOf, viewCustomer, viewOf } from './contacts';
import type { ContactKey, CustomerView, SkippedContact } from './contacts';
import { contactLockKey, lockIds, lockKeys } from './locks';
import { FieldError, normalizeContact, normalizeName, presentText } from './normalize';
import { byTypeThenValue, findOrCreateInOneStatement } from './optimisticBind';
import type { OptimisticOutcome } from './optimisticBind';
import type { ContactType, NormalizeOptions, RawValue } from './normalize';
import type { CustomerRow, Queryable, Store } from './types';

export const CUSTOMER_FIELDS = ['name', 'email', 'phone', 'document', 'whatsapp', 'instagram', 'telegram'] as const;

export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export interface BindField {
	value?: RawValue;
	/** Use this field to look the customer up (OR across flagged fields). */
	find?: boolean;
}

export type CustomerBindInput = Partial<Record<CustomerField, BindField>>;

export type BindOptions = NormalizeOptions;

export interface CustomerBindResult {
	customer: CustomerView;
	action: 'created' | 'updated' | 'unchanged';
	/** Every matching customer id, oldest first; the first is the one bound. Empty when created. */
	matchedIds: string[];
	/** Contacts not attached because another customer already owns them. */
	skippedContacts: SkippedContact[];
}

type ContactField = Exclude<CustomerField, 'name'>;

const CONTACT_FIELDS: readonly ContactField[] = ['email', 'phone', 'document', 'whatsapp', 'instagram', 'telegram'];

interface NormalizedInput {
	name: string | null;
	/** Present contact values by field (field name = contact type). */
	contacts: Partial<Record<ContactField, ContactKey>>;
	lookup: ContactKey[];
	findByName: boolean;
}

/** Validates and normalizes everything before the transaction starts: invalid input writes nothing. */
export function normalizeCustomerInput(input: CustomerBindInput, options: BindOptions = {}): NormalizedInput {
	const name = normalizeName(input.name?.value);
	const contacts: NormalizedInput['contacts'] = {};
	const lookup: ContactKey[] = [];
	for (const field of CONTACT_FIELDS) {
		const raw = input[field]?.value;
		const normalized = normalizeContact(field as ContactType, raw, field, options);
		if (normalized === null) continue;
		const key: ContactKey = { type: field, normalized, value: presentText(raw) ?? normalized };
		contacts[field] = key;
		if (input[field]?.find === true) lookup.push(key);
	}
	const findByName = input.name?.find === true && name !== null;
	if (lookup.length === 0 && !findByName) {
		const flagged = CUSTOMER_FIELDS.filter((field) => input[field]?.find === true);
		throw new FieldError(
			'find',
			flagged.length === 0
				? 'Customer Bind needs at least one field marked "find" to look the customer up'
				: `Customer Bind needs at least one field marked "find" with a value; marked but empty: ${flagged.join(', ')}`,
		);
	}
	return { name, contacts, lookup, findByName };
}

/**
 * Finds the customer by any flagged field (oldest of several matches) and applies the update rules,
 * or creates it. One transaction; on PostgreSQL, advisory locks on every identity in the input
 * serialize concurrent binds of the same person, so they produce exactly one customer.
 *
 * Update rules when found: name replaced when given; email/phone fill an empty column; document
 * only fills an empty column; every given email/phone/whatsapp/instagram/telegram (and a document
 * that is or becomes the column value) is registered in customer_contacts, never overwriting.
 * Email, phone and document are kept in both column and contacts so every lookup is uniform.
 */
export async function bindCustomer(
	store: Store,
	input: CustomerBindInput,
	options: BindOptions = {},
): Promise<CustomerBindResult> {
	const normalized = normalizeCustomerInput(input, options);
	const keys = Object.values(normalized.contacts).map((key) => contactLockKey(key.type, key.normalized));
	if (normalized.findByName && normalized.name !== null) keys.push(`name:${normalized.name.toLowerCase()}`);
	// A name is no unique identity: a bind that looks up by name always takes the locked path.
	if (store.kind === 'postgres' && !normalized.findByName) {
		const settled = await bindInOneStatement(store, normalized, keys);
		if (settled !== undefined) return settled;
	}

	return await store.transaction(async (tx) => {
		await lockKeys(tx, store, keys);
		const matches = await findCustomers(tx, normalized.lookup, normalized.findByName ? normalized.name : null);
		if (matches.length === 0) return await create(tx, normalized);
		return await update(tx, matches, normalized);
	});
}

/**
 * The common binds on PostgreSQL in one round trip (see optimisticBind.ts): a new person, or a
 * known one with nothing to change. Anything else (an update, a race) is left to the locked path.
 */
async function bindInOneStatement(store: Store, input: NormalizedInput, keys: readonly string[]): Promise<CustomerBindResult | undefined> {
	const { contacts } = input;
	const outcome = await findOrCreateInOneStatement(store, {
		locks: lockIds(store, keys),
		name: input.name,
		email: contacts.email?.normalized ?? null,
		phone: contacts.phone?.normalized ?? null,
		document: contacts.document?.normalized ?? null,
		contacts: Object.values(contacts),
		lookup: input.lookup,
	});
	if (outcome.kind === 'created') {
		const owners = await ownersOf(store, outcome.notAdded);
		const skippedContacts = outcome.notAdded.flatMap((key) => {
			const ownerId = owners.get(contactId(key.type, key.normalized));
			return ownerId === undefined || ownerId === outcome.customer.id ? [] : [{ type: key.type, value: key.normalized, customerId: ownerId }];
		});
		return { customer: outcome.customer, action: 'created', matchedIds: [], skippedContacts };
	}
	if (outcome.kind === 'found') return unchangedBind(outcome.matches, input);
	return undefined;
}

/** The bind when `update` would change nothing (every column rule holds, every contact present). */
function unchangedBind(matches: Extract<OptimisticOutcome, { kind: 'found' }>['matches'], input: NormalizedInput): CustomerBindResult | undefined {
	const { contacts: registered, ...target } = matches[0];
	const { contacts } = input;
	if (input.name !== null && input.name !== target.name) return undefined;
	for (const column of ['email', 'phone', 'document'] as const) {
		if (contacts[column] !== undefined && (target[column] === null || target[column] === '')) return undefined;
	}
	const present = new Set((registered ?? []).map(([type, value]) => contactId(type, value)));
	const toAttach = Object.values(contacts).filter((key) => key.type !== 'document' || key.normalized === target.document);
	if (!toAttach.every((key) => present.has(contactId(key.type, key.normalized)))) return undefined;
	return {
		customer: viewOf(target, (registered ?? []).map(([type, value]) => ({ type, value }))),
		action: 'unchanged',
		matchedIds: matches.map((match) => match.id),
		skippedContacts: [],
	};
}

async function attachAll(
	tx: Queryable,
	customerId: string,
	keys: readonly ContactKey[],
): Promise<{ added: number; addedKeys: ContactKey[]; skipped: SkippedContact[] }> {
	const addedKeys: ContactKey[] = [];
	const skipped: SkippedContact[] = [];
	const outcomes = await addContacts(tx, customerId, keys);
	keys.forEach((key, index) => {
		const outcome = outcomes[index];
		if (outcome === 'added') addedKeys.push(key);
		else if (outcome !== 'present') skipped.push({ type: key.type, value: key.normalized, customerId: outcome.ownerId });
	});
	return { added: addedKeys.length, addedKeys, skipped };
}

async function create(tx: Queryable, input: NormalizedInput): Promise<CustomerBindResult> {
	const { contacts } = input;
	const customer = await createCustomer(tx, {
		name: input.name,
		email: contacts.email?.normalized ?? null,
		phone: contacts.phone?.normalized ?? null,
		document: contacts.document?.normalized ?? null,
	});
	const { addedKeys, skipped } = await attachAll(tx, customer.id, Object.values(contacts));
	// A new customer has exactly the contacts just added (one per type): no query to list them.
	const view = viewOf(customer, addedKeys.map((key) => ({ type: key.type as string, value: key.normalized })).sort(byTypeThenValue));
	return { customer: view, action: 'created', matchedIds: [], skippedContacts: skipped };
}

async function update(tx: Queryable, matches: CustomerRow[], input: NormalizedInput): Promise<CustomerBindResult> {
	const target = matches[0];
	const { contacts } = input;
	const changes: Partial<Record<'name' | 'email' | 'phone' | 'document', string>> = {};
	if (input.name !== null && input.name !== target.name) changes.name = input.name;
	for (const column of ['email', 'phone', 'document'] as const) {
		const value = contacts[column]?.normalized;
		if (value !== undefined && (target[column] === null || target[column] === '')) changes[column] = value;
	}

	let customer = target;
	const columns = Object.keys(changes) as Array<keyof typeof changes>;
	if (columns.length > 0) {
		// Column names come from the fixed list above; values are parameters.
		const assignments = columns.map((column, index) => `${column} = $${index + 2}`);
		const { rows } = await tx.query<CustomerRow>(
			`UPDATE customers SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING *`,
			[target.id, ...columns.map((column) => changes[column])],
		);
		customer = rows[0];
	}

	// A document that differs from a filled column is ignored entirely ("only if empty").
	const toAttach = Object.values(contacts).filter(
		(key) => key.type !== 'document' || key.normalized === customer.document,
	);
	const { added, skipped } = await attachAll(tx, customer.id, toAttach);
	if (added > 0 && columns.length === 0) {
		await tx.query('UPDATE customers SET updated_at = now() WHERE id = $1', [customer.id]);
	}
	return {
		customer: await viewCustomer(tx, customer),
		action: columns.length > 0 || added > 0 ? 'updated' : 'unchanged',
		matchedIds: matches.map((match) => match.id),
		skippedContacts: skipped,
	};
}
