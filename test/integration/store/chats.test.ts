import { bindChat } from '../../../nodes/shared/store/chats';
import type { ChatBindInput, ChatBindResult } from '../../../nodes/shared/store/chats';
import { bindCustomer } from '../../../nodes/shared/store/customers';
import { FieldError } from '../../../nodes/shared/store/normalize';
import type { Store } from '../../../nodes/shared/store/types';
import { countRows, eachStore, truncateAll } from './targets';

const BR = { defaultCountry: 'BR' };

type Bound = Extract<ChatBindResult, { headless: false }>;

eachStore()('bindChat on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncateAll(store));

	const chat = async (input: ChatBindInput): Promise<ChatBindResult> => await bindChat(store, input, BR);

	const bound = async (input: ChatBindInput): Promise<Bound> => {
		const result = await chat(input);
		if (result.headless) throw new Error('expected a chat, got headless');
		return result;
	};

	const whatsapp = (contact: string, extra: Partial<ChatBindInput> = {}): ChatBindInput => ({
		channel: 'whatsapp',
		contactType: 'whatsapp',
		contact,
		...extra,
	});

	it('creates chat, minimal customer and contact; the second bind finds the same chat', async () => {
		const first = await bound(whatsapp('5511987654321'));
		expect(first).toMatchObject({
			action: 'created',
			customerAction: 'created',
			chat: { channel: 'whatsapp', contact: '+5511987654321', contactType: 'whatsapp' },
		});
		const { rows } = await store.query<{ type: string; normalized_value: string; customer_id: string }>(
			'SELECT type, normalized_value, customer_id FROM customer_contacts',
		);
		expect(rows).toEqual([{ type: 'whatsapp', normalized_value: '+5511987654321', customer_id: first.chat.customerId }]);

		const second = await bound(whatsapp('(11) 98765-4321'));
		expect(second).toMatchObject({ action: 'found', customerAction: 'found', chat: first.chat });
		expect(await countRows(store)).toEqual({ customers: 1, contacts: 1, chats: 1 });
	});

	it('finds a known chat with one read, in no transaction; a contact no longer registered is registered again', async () => {
		const first = await bound(whatsapp('5511987654321'));
		const transaction = jest.spyOn(store, 'transaction');
		const query = jest.spyOn(store, 'query');
		try {
			expect(await bound(whatsapp('+55 11 98765-4321'))).toEqual({ headless: false, action: 'found', customerAction: 'found', chat: first.chat });
			expect(transaction).not.toHaveBeenCalled();
			expect(query).toHaveBeenCalledTimes(1);

			// The contact row gone (removed by hand): the bind writes it again, as it always did.
			await store.query("DELETE FROM customer_contacts WHERE type = 'whatsapp'");
			transaction.mockClear();
			expect(await bound(whatsapp('5511987654321'))).toEqual({ headless: false, action: 'found', customerAction: 'found', chat: first.chat });
			expect(transaction).toHaveBeenCalledTimes(1);
		} finally {
			transaction.mockRestore();
			query.mockRestore();
		}
		expect(await countRows(store)).toEqual({ customers: 1, contacts: 1, chats: 1 });
		// The same number as a phone contact on this channel's chat: registered for its customer, once.
		const asPhone = await bound({ channel: 'whatsapp', contactType: 'phone', contact: '5511987654321' });
		expect(asPhone).toMatchObject({ action: 'found', chat: first.chat });
		expect(await countRows(store)).toEqual({ customers: 1, contacts: 2, chats: 1 });
	});

	it('fills the email or phone column of a minimal customer created from such a contact', async () => {
		const byEmail = await bound({ channel: 'email', contactType: 'email', contact: ' Ana@X.io ' });
		const byPhone = await bound({ channel: 'sms', contactType: 'phone', contact: '11987654321' });
		const { rows } = await store.query<{ id: string; email: string | null; phone: string | null }>(
			'SELECT id, email, phone FROM customers ORDER BY email NULLS LAST',
		);
		expect(rows).toEqual([
			{ id: byEmail.chat.customerId, email: 'ana@x.io', phone: null },
			{ id: byPhone.chat.customerId, email: null, phone: '+5511987654321' },
		]);
	});

	it('links to the customer found by the contact (Customer Bind first)', async () => {
		const customer = await bindCustomer(store, { whatsapp: { value: '11987654321', find: true } }, BR);
		const result = await bound(whatsapp('+55 11 98765-4321'));
		expect(result.customerAction).toBe('found');
		expect(result.chat.customerId).toBe(customer.customer.id);
	});

	it('finds the customer by the phone column for a phone contact', async () => {
		const { rows } = await store.query<{ id: string }>(
			"INSERT INTO customers (phone) VALUES ('+5511987654321') RETURNING id",
		);
		const result = await bound({ channel: 'sms', contactType: 'phone', contact: '11 98765 4321' });
		expect(result.chat.customerId).toBe(rows[0].id);
		expect(result.customerAction).toBe('found');
	});

	it('uses a given customer id and registers the contact for it', async () => {
		const customer = await bindCustomer(store, { email: { value: 'ana@x.io', find: true } }, BR);
		const id = customer.customer.id;
		const result = await bound({ channel: 'instagram', contactType: 'instagram', contact: '@Ana', customerId: id });
		expect(result).toMatchObject({ action: 'created', customerAction: 'given', chat: { customerId: id, contact: 'ana' } });
		const again = await bindCustomer(store, { email: { value: 'ana@x.io', find: true } }, BR);
		expect(again.customer.contacts).toContainEqual({ type: 'instagram', value: 'ana' });
	});

	it('relinks an existing chat to a given customer and reports the previous one', async () => {
		const first = await bound(whatsapp('11987654321'));
		const other = await bindCustomer(store, { email: { value: 'ana@x.io', find: true } }, BR);
		const result = await bound(whatsapp('11987654321', { customerId: other.customer.id }));
		expect(result).toMatchObject({
			action: 'found',
			customerAction: 'given',
			previousCustomerId: first.chat.customerId,
			chat: { id: first.chat.id, customerId: other.customer.id },
		});
	});

	it('keeps one chat per channel: the same contact on another channel is another chat, same customer', async () => {
		const a = await bound(whatsapp('11987654321'));
		const b = await bound({ channel: 'sms', contactType: 'whatsapp', contact: '11987654321' });
		expect(b.chat.id).not.toBe(a.chat.id);
		expect(b.chat.customerId).toBe(a.chat.customerId);
		expect(b.customerAction).toBe('found');
	});

	it.each([[''], ['   '], [null], [undefined], ['@']])('returns headless for an absent contact (%p)', async (contact) => {
		const input = { channel: 'telegram', contactType: 'telegram', contact };
		expect(await chat(input)).toEqual({ headless: true });
		expect(await countRows(store)).toEqual({ customers: 0, contacts: 0, chats: 0 });
	});

	it.each([
		['contact', { channel: 'email', contactType: 'email', contact: 'not an email' }],
		['contact', { channel: 'whatsapp', contactType: 'whatsapp', contact: '12345' }],
		['channel', { channel: 'fax', contactType: 'phone', contact: '11987654321' }],
		['contactType', { channel: 'sms', contactType: 'pager', contact: '11987654321' }],
		['customerId', { channel: 'sms', contactType: 'phone', contact: '11987654321', customerId: 'abc' }],
		[
			'customerId',
			{ channel: 'sms', contactType: 'phone', contact: '11987654321', customerId: '00000000-0000-4000-8000-000000000000' },
		],
	] as Array<[string, ChatBindInput]>)('rejects a bad %s and writes nothing', async (field, input) => {
		await bound(whatsapp('11911111111'));
		const before = await countRows(store);
		const error = await chat(input).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(FieldError);
		expect((error as FieldError).field).toBe(field);
		expect(await countRows(store)).toEqual(before);
	});

	it('keeps opaque contacts (messenger, webchat, custom) as given, trimmed', async () => {
		const result = await bound({ channel: 'webchat', contactType: 'webchat', contact: '  Session-AbC ' });
		expect(result.chat.contact).toBe('Session-AbC');
	});

	describe('concurrency', () => {
		// On SQLite these pass with or without any locking: one process has one connection and its
		// transactions take turns. The proofs that count are the PostgreSQL runs of these tests
		// (advisory locks, real parallel connections; always run in CI) and, for several processes on
		// one SQLite file, the two-process tests in sqliteProcesses.test.ts.
		it('50 concurrent binds of one new contact create exactly one chat and one customer', async () => {
			const results = await Promise.all(
				Array.from({ length: 50 }, async (_, i) => await bound(whatsapp(i % 2 ? '5511987654321' : '(11) 98765-4321'))),
			);
			expect(results.filter((r) => r.action === 'created')).toHaveLength(1);
			expect(new Set(results.map((r) => r.chat.id)).size).toBe(1);
			expect(await countRows(store)).toEqual({ customers: 1, contacts: 1, chats: 1 });
		}, 60_000);

		it('Customer Bind and Chat Bind racing on one whatsapp number produce one customer', async () => {
			const work = Array.from({ length: 50 }, async (_, i) =>
				i % 2 === 0
					? (await bindCustomer(store, { whatsapp: { value: '11987654321', find: true } }, BR)).customer.id
					: (await bound(whatsapp('11987654321'))).chat.customerId,
			);
			expect(new Set(await Promise.all(work)).size).toBe(1);
			expect(await countRows(store)).toEqual({ customers: 1, contacts: 1, chats: 1 });
		}, 60_000);
	});
});
