import { bindCustomer } from '../../../nodes/shared/store/customers';
import type { CustomerBindInput } from '../../../nodes/shared/store/customers';
import { FieldError } from '../../../nodes/shared/store/normalize';
import type { Store } from '../../../nodes/shared/store/types';
import { countRows, eachStore, truncateAll } from './targets';

const BR = { defaultCountry: 'BR' };

eachStore()('bindCustomer on the %s store', (_kind, target) => {
	let store: Store;

	beforeAll(async () => {
		store = await target.open();
	}, 60_000);
	afterAll(async () => await target.cleanup());
	beforeEach(async () => await truncateAll(store));

	const bind = async (input: CustomerBindInput) => await bindCustomer(store, input, BR);

	async function insertCustomer(columns: { name?: string; email?: string; phone?: string; document?: string }) {
		const { rows } = await store.query<{ id: string }>(
			'INSERT INTO customers (name, email, phone, document) VALUES ($1, $2, $3, $4) RETURNING id',
			[columns.name ?? null, columns.email ?? null, columns.phone ?? null, columns.document ?? null],
		);
		return rows[0].id;
	}

	async function insertContact(customerId: string, type: string, value: string) {
		await store.query(
			'INSERT INTO customer_contacts (customer_id, type, value, normalized_value) VALUES ($1, $2, $3, $3)',
			[customerId, type, value],
		);
	}

	it('creates a customer with normalized columns and every identity registered as a contact', async () => {
		const result = await bind({
			name: { value: '  Ana   Silva ' },
			email: { value: ' Ana@Example.COM ', find: true },
			phone: { value: '(11) 98765-4321', find: true },
			document: { value: '123.456.789-09' },
			whatsapp: { value: '5511912345678' },
			instagram: { value: '@Ana.Silva' },
			telegram: { value: '@AnaS_bot' },
		});
		expect(result.action).toBe('created');
		expect(result.matchedIds).toEqual([]);
		expect(result.skippedContacts).toEqual([]);
		expect(result.customer).toMatchObject({
			name: 'Ana Silva',
			email: 'ana@example.com',
			phone: '+5511987654321',
			document: '12345678909',
		});
		expect(result.customer.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(result.customer.contacts).toEqual([
			{ type: 'document', value: '12345678909' },
			{ type: 'email', value: 'ana@example.com' },
			{ type: 'instagram', value: 'ana.silva' },
			{ type: 'phone', value: '+5511987654321' },
			{ type: 'telegram', value: 'anas_bot' },
			{ type: 'whatsapp', value: '+5511912345678' },
		]);
		const raw = await store.query<{ value: string }>("SELECT value FROM customer_contacts WHERE type = 'email'");
		expect(raw.rows[0].value).toBe('Ana@Example.COM');
	});

	describe('lookup', () => {
		it.each([
			['email', 'email', 'ana@example.com', ' ANA@example.com'],
			['phone', 'phone', '+5511987654321', '11 98765 4321'],
			['document', 'document', '12345678909', '123.456.789-09'],
		] as const)('finds by %s in the customers column', async (field, column, stored, given) => {
			const id = await insertCustomer({ [column]: stored });
			const result = await bind({ [field]: { value: given, find: true } });
			expect(result.matchedIds).toEqual([id]);
			expect(result.customer.id).toBe(id);
			expect((await countRows(store)).customers).toBe(1);
		});

		it.each([
			['email', 'ana@example.com', 'Ana@Example.com'],
			['phone', '+5511987654321', '+55 (11) 98765-4321'],
			['document', '12345678909', '123 456 789 09'],
			['whatsapp', '+5511987654321', '5511987654321'],
			['instagram', 'ana.silva', '@ANA.silva'],
			['telegram', 'anas', ' @AnaS '],
		] as const)('finds by %s in customer_contacts', async (field, stored, given) => {
			const id = await insertCustomer({ name: 'Ana' });
			await insertContact(id, field, stored);
			const result = await bind({ [field]: { value: given, find: true } });
			expect(result.matchedIds).toEqual([id]);
			expect((await countRows(store)).customers).toBe(1);
		});

		it('finds by name, case-insensitively, when name is flagged', async () => {
			const id = await insertCustomer({ name: 'Ana Silva' });
			const result = await bind({ name: { value: 'ana  silva', find: true } });
			expect(result.matchedIds).toEqual([id]);
		});

		it('does not look up by a field that is not flagged', async () => {
			await insertCustomer({ email: 'ana@example.com' });
			const result = await bind({ email: { value: 'ana@example.com' }, phone: { value: '11987654321', find: true } });
			expect(result.action).toBe('created');
			expect((await countRows(store)).customers).toBe(2);
		});

		it('does not mix types: a whatsapp number does not match a phone contact', async () => {
			const id = await insertCustomer({});
			await insertContact(id, 'phone', '+5511987654321');
			expect((await bind({ whatsapp: { value: '11987654321', find: true } })).action).toBe('created');
		});

		it('picks the oldest of several matches and reports all matched ids, oldest first', async () => {
			const newer = await insertCustomer({ email: 'ana@example.com' });
			const older = await insertCustomer({ phone: '+5511987654321' });
			// Both times set here: the server's clock (now()) and this process's may differ.
			await store.query('UPDATE customers SET created_at = $2 WHERE id = $1', [newer, '2026-06-02T00:00:00.000Z']);
			await store.query('UPDATE customers SET created_at = $2 WHERE id = $1', [older, '2026-06-01T00:00:00.000Z']);
			const result = await bind({
				email: { value: 'ana@example.com', find: true },
				phone: { value: '11987654321', find: true },
			});
			expect(result.customer.id).toBe(older);
			expect(result.matchedIds).toEqual([older, newer]);
		});

		it('breaks a created_at tie by id', async () => {
			const a = await insertCustomer({ email: 'ana@example.com' });
			const b = await insertCustomer({ phone: '+5511987654321' });
			await store.query("UPDATE customers SET created_at = '2024-01-01T00:00:00Z'");
			const result = await bind({
				email: { value: 'ana@example.com', find: true },
				phone: { value: '11987654321', find: true },
			});
			const sorted = [a, b].sort();
			expect(result.matchedIds).toEqual(sorted);
			expect(result.customer.id).toBe(sorted[0]);
		});
	});

	describe('update rules', () => {
		const seed = async () =>
			await bind({
				name: { value: 'Ana' },
				email: { value: 'ana@example.com', find: true },
				document: { value: '111' },
				whatsapp: { value: '11911111111' },
			});

		it('always replaces the name when a non-empty name is given; a blank name changes nothing', async () => {
			await seed();
			const renamed = await bind({ name: { value: 'Ana Maria' }, email: { value: 'ana@example.com', find: true } });
			expect(renamed.action).toBe('updated');
			expect(renamed.customer.name).toBe('Ana Maria');
			const blank = await bind({ name: { value: '  ' }, email: { value: 'ana@example.com', find: true } });
			expect(blank.action).toBe('unchanged');
			expect(blank.customer.name).toBe('Ana Maria');
		});

		it('fills an empty phone column; a different phone later goes to contacts only', async () => {
			await seed();
			const filled = await bind({ email: { value: 'ana@example.com', find: true }, phone: { value: '11987654321' } });
			expect(filled.action).toBe('updated');
			expect(filled.customer.phone).toBe('+5511987654321');
			const second = await bind({ email: { value: 'ana@example.com', find: true }, phone: { value: '11922222222' } });
			expect(second.customer.phone).toBe('+5511987654321');
			expect(second.customer.contacts).toContainEqual({ type: 'phone', value: '+5511922222222' });
			expect(second.customer.contacts).toContainEqual({ type: 'phone', value: '+5511987654321' });
		});

		it('fills an empty email column; a different email goes to contacts and is findable', async () => {
			const created = await bind({ phone: { value: '11987654321', find: true } });
			expect(created.customer.email).toBeNull();
			const filled = await bind({ phone: { value: '11987654321', find: true }, email: { value: 'A@x.io' } });
			expect(filled.customer.email).toBe('a@x.io');
			const other = await bind({ phone: { value: '11987654321', find: true }, email: { value: 'b@x.io' } });
			expect(other.action).toBe('updated');
			expect(other.customer.email).toBe('a@x.io');
			expect(other.customer.contacts).toContainEqual({ type: 'email', value: 'b@x.io' });
			expect((await bind({ email: { value: 'b@x.io', find: true } })).customer.id).toBe(created.customer.id);
		});

		it('sets the document only when empty and otherwise ignores it entirely', async () => {
			const created = await bind({ email: { value: 'ana@example.com', find: true } });
			const filled = await bind({ email: { value: 'ana@example.com', find: true }, document: { value: '1.2.3' } });
			expect(filled.customer.document).toBe('123');
			const other = await bind({ email: { value: 'ana@example.com', find: true }, document: { value: '999' } });
			expect(other.action).toBe('unchanged');
			expect(other.customer.document).toBe('123');
			expect(other.customer.contacts).not.toContainEqual({ type: 'document', value: '999' });
			expect(other.customer.id).toBe(created.customer.id);
		});

		it('adds whatsapp, instagram and telegram as contacts without replacing existing ones', async () => {
			await seed();
			const result = await bind({
				email: { value: 'ana@example.com', find: true },
				whatsapp: { value: '11922222222' },
				instagram: { value: '@ana' },
				telegram: { value: 'ana_t' },
			});
			expect(result.action).toBe('updated');
			expect(result.customer.contacts).toEqual(
				expect.arrayContaining([
					{ type: 'whatsapp', value: '+5511911111111' },
					{ type: 'whatsapp', value: '+5511922222222' },
					{ type: 'instagram', value: 'ana' },
					{ type: 'telegram', value: 'ana_t' },
				]),
			);
		});

		it('reports unchanged when the same data is bound again', async () => {
			const input: CustomerBindInput = {
				name: { value: 'Ana' },
				email: { value: 'ana@example.com', find: true },
				instagram: { value: 'ana' },
			};
			expect((await bind(input)).action).toBe('created');
			expect((await bind(input)).action).toBe('unchanged');
		});

		it('skips a contact owned by another customer and reports the owner', async () => {
			const other = await bind({ email: { value: 'bob@example.com', find: true }, whatsapp: { value: '11933333333' } });
			const ana = await bind({ email: { value: 'ana@example.com', find: true }, whatsapp: { value: '11933333333' } });
			expect(ana.skippedContacts).toEqual([
				{ type: 'whatsapp', value: '+5511933333333', customerId: other.customer.id },
			]);
			expect(ana.customer.contacts).not.toContainEqual({ type: 'whatsapp', value: '+5511933333333' });
		});
	});

	describe('invalid input writes nothing', () => {
		it.each([
			['email', { email: { value: 'not-an-email', find: true } }],
			['phone', { email: { value: 'a@x.io', find: true }, phone: { value: '12345' } }],
			['whatsapp', { email: { value: 'a@x.io', find: true }, whatsapp: { value: 'call me' } }],
			['instagram', { email: { value: 'a@x.io', find: true }, instagram: { value: 'has space' } }],
			['find', { email: { value: 'a@x.io' } }],
			['find', { email: { value: '', find: true } }],
		] as Array<[string, CustomerBindInput]>)('%s', async (field, input) => {
			await bind({ email: { value: 'existing@x.io', find: true } });
			const before = await countRows(store);
			const error = await bind(input).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(FieldError);
			expect((error as FieldError).field).toBe(field);
			expect((error as FieldError).message).toContain(field);
			expect(await countRows(store)).toEqual(before);
		});
	});

	describe('concurrency', () => {
		// On SQLite these pass with or without any locking: one process has one connection and its
		// transactions take turns. The proofs that count are the PostgreSQL runs of these tests
		// (advisory locks, real parallel connections; always run in CI) and, for several processes on
		// one SQLite file, the two-process tests in sqliteProcesses.test.ts.
		it('50 concurrent binds of one new person create exactly one customer', async () => {
			const person = (i: number): CustomerBindInput => ({
				name: { value: 'Ana' },
				// Alternate the lookup field: every bind still carries both identities.
				email: { value: 'ana@example.com', find: i % 2 === 0 },
				phone: { value: '11987654321', find: i % 2 === 1 },
				whatsapp: { value: '11987654321', find: true },
			});
			const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => await bind(person(i))));
			expect(results.filter((r) => r.action === 'created')).toHaveLength(1);
			expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
			expect(await countRows(store)).toEqual({ customers: 1, contacts: 3, chats: 0 });
		}, 60_000);

		// On PostgreSQL a bind first tries one statement without a transaction (optimisticBind.ts);
		// a race sends it to the locked path, sometimes through a failed foreign key. Which customer
		// wins depends on the order, but none may be left without the identities it was found by.
		it('racing binds that find by different fields leave every customer with its contacts', async () => {
			const input = (i: number): CustomerBindInput =>
				[
					{ email: { value: 'ana@example.com', find: true }, whatsapp: { value: '11911111111' } },
					{ whatsapp: { value: '11911111111', find: true }, telegram: { value: '@ana' } },
					{ email: { value: 'ana@example.com', find: true }, telegram: { value: '@ana' } },
				][i % 3];
			const results = await Promise.all(Array.from({ length: 30 }, async (_, i) => await bind(input(i))));
			const { rows } = await store.query<{ id: string; contacts: number }>(
				'SELECT c.id, (SELECT count(*) FROM customer_contacts k WHERE k.customer_id = c.id) AS contacts FROM customers c',
			);
			expect(rows.length).toBeGreaterThanOrEqual(1);
			expect(rows.length).toBeLessThanOrEqual(2);
			expect(rows.every((row) => Number(row.contacts) > 0)).toBe(true);
			expect(new Set(results.map((r) => r.customer.id))).toEqual(new Set(rows.map((row) => row.id)));
			expect(results.filter((r) => r.action === 'created')).toHaveLength(rows.length);
			expect(await countRows(store)).toMatchObject({ contacts: 3 });
		}, 60_000);
	});
});
