import { addContact, createCustomer, findCustomers } from './contacts';
import type { ContactKey } from './contacts';
import { contactLockKey, lockKeys } from './locks';
import { FieldError, normalizeContact, normalizeUuid, presentText } from './normalize';
import type { NormalizeOptions, RawValue } from './normalize';
import type { ChatRow, Queryable, Store } from './types';

export const CHAT_CHANNELS = ['whatsapp', 'email', 'instagram', 'telegram', 'sms', 'messenger', 'webchat', 'custom'] as const;

export const CHAT_CONTACT_TYPES = [
	'whatsapp',
	'phone',
	'email',
	'instagram',
	'telegram',
	'messenger',
	'webchat',
	'custom',
] as const;

export type ChatChannel = (typeof CHAT_CHANNELS)[number];

export type ChatContactType = (typeof CHAT_CONTACT_TYPES)[number];

export interface ChatBindInput {
	channel: string;
	contactType: string;
	contact: RawValue;
	/** Link the chat to this customer (must exist); when absent the customer is found or created from the contact. */
	customerId?: RawValue;
}

export interface BoundChat {
	id: string;
	channel: string;
	contact: string;
	contactType: string;
	customerId: string;
}

export type ChatBindResult =
	| { headless: true }
	| {
			headless: false;
			chat: BoundChat;
			action: 'created' | 'found';
			/** given: customerId input; found: from the existing chat or by the contact; created: minimal customer. */
			customerAction: 'given' | 'found' | 'created';
			/** Set when a given customerId moved an existing chat away from this customer. */
			previousCustomerId?: string;
	  };

function oneOf<T extends string>(allowed: readonly T[], value: string, field: string): T {
	const text = (value ?? '').trim();
	if (!(allowed as readonly string[]).includes(text)) {
		throw new FieldError(field, `${field} must be one of ${allowed.join(', ')}; got "${text}"`);
	}
	return text as T;
}

function view(row: ChatRow): BoundChat {
	return {
		id: row.id,
		channel: row.channel,
		contact: row.contact,
		contactType: row.contact_type,
		customerId: row.customer_id,
	};
}

/**
 * Finds or creates the chat for channel + normalized contact. Headless rule: a contact that is
 * absent (null, undefined, blank, or just '@') returns `{ headless: true }` and writes nothing; a
 * contact that is present but malformed (an unparseable phone, an invalid email) is a FieldError.
 * Race-free: advisory locks on the contact identity and the chat key, plus the unique
 * (channel, contact) constraint with ON CONFLICT DO NOTHING.
 */
export async function bindChat(
	store: Store,
	input: ChatBindInput,
	options: NormalizeOptions = {},
): Promise<ChatBindResult> {
	const channel = oneOf(CHAT_CHANNELS, input.channel, 'channel');
	const contactType = oneOf(CHAT_CONTACT_TYPES, input.contactType, 'contactType');
	const customerId = normalizeUuid(input.customerId, 'customerId');
	const normalized = normalizeContact(contactType, input.contact, 'contact', options);
	if (normalized === null) return { headless: true };
	const key: ContactKey = { type: contactType, normalized, value: presentText(input.contact) ?? normalized };
	if (customerId === null) {
		const known = await knownChat(store, channel, key);
		if (known !== undefined) return { headless: false, chat: view(known), action: 'found', customerAction: 'found' };
	}

	return await store.transaction(async (tx) => {
		await lockKeys(tx, store, [contactLockKey(contactType, normalized), `chat:${channel}:${normalized}`]);
		if (customerId !== null) await assertCustomer(tx, customerId);
		const existing = await selectChat(tx, channel, normalized);
		if (existing !== undefined) return await foundChat(tx, existing, key, customerId);

		let ownerId = customerId;
		let customerAction: 'given' | 'found' | 'created' = 'given';
		if (ownerId === null) {
			const matches = await findCustomers(tx, [key]);
			customerAction = matches.length > 0 ? 'found' : 'created';
			ownerId =
				matches[0]?.id ??
				(
					await createCustomer(tx, {
						name: null,
						email: contactType === 'email' ? normalized : null,
						phone: contactType === 'phone' ? normalized : null,
						document: null,
					})
				).id;
		}
		await addContact(tx, ownerId, key);
		const inserted = await tx.query<ChatRow>(
			`INSERT INTO chats (customer_id, channel, contact_type, contact) VALUES ($1, $2, $3, $4)
			ON CONFLICT (channel, contact) DO NOTHING RETURNING *`,
			[ownerId, channel, contactType, normalized],
		);
		if (inserted.rows[0] !== undefined) {
			return { headless: false, chat: view(inserted.rows[0]), action: 'created', customerAction };
		}
		// Only reachable without the advisory locks' protection (another writer of this table).
		const raced = await selectChat(tx, channel, normalized);
		if (raced === undefined) throw new Error(`Chat for ${channel} ${normalized} vanished while binding`);
		return await foundChat(tx, raced, key, customerId);
	});
}

/**
 * The common bind, the next message of a known chat, as one read outside any transaction: the
 * chat when it exists and its contact is registered (to anyone: the locked path would then write
 * nothing either). Chats are never deleted, so what a read finds committed stays true. On
 * PostgreSQL this is one round trip instead of six; on SQLite a read, which waits for no COMMIT.
 */
async function knownChat(db: Queryable, channel: string, key: ContactKey): Promise<ChatRow | undefined> {
	const { rows } = await db.query<ChatRow & { registered: number }>(
		`SELECT c.*, CASE WHEN EXISTS (SELECT 1 FROM customer_contacts k WHERE k.type = $3 AND k.normalized_value = $2) THEN 1 ELSE 0 END AS registered
		FROM chats c WHERE c.channel = $1 AND c.contact = $2`,
		[channel, key.normalized, key.type],
	);
	const [found] = rows;
	if (found === undefined || Number(found.registered) !== 1) return undefined;
	const { registered: _registered, ...chat } = found;
	return chat;
}

async function assertCustomer(tx: Queryable, customerId: string): Promise<void> {
	const { rowCount } = await tx.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
	if (rowCount === 0) throw new FieldError('customerId', `No customer with id "${customerId}"`);
}

async function selectChat(tx: Queryable, channel: string, contact: string): Promise<ChatRow | undefined> {
	const { rows } = await tx.query<ChatRow>('SELECT * FROM chats WHERE channel = $1 AND contact = $2', [
		channel,
		contact,
	]);
	return rows[0];
}

/** Existing chat: a given customerId is authoritative (relinks); the contact is registered if missing. */
async function foundChat(
	tx: Queryable,
	chat: ChatRow,
	key: ContactKey,
	customerId: string | null,
): Promise<ChatBindResult> {
	let row = chat;
	let previousCustomerId: string | undefined;
	if (customerId !== null && customerId !== chat.customer_id) {
		const { rows } = await tx.query<ChatRow>('UPDATE chats SET customer_id = $2 WHERE id = $1 RETURNING *', [
			chat.id,
			customerId,
		]);
		row = rows[0];
		previousCustomerId = chat.customer_id;
	}
	await addContact(tx, row.customer_id, key);
	return {
		headless: false,
		chat: view(row),
		action: 'found',
		customerAction: customerId !== null ? 'given' : 'found',
		...(previousCustomerId !== undefined ? { previousCustomerId } : {}),
	};
}
