import { createHmac } from 'crypto';

import { Client } from 'pg';

import { postgresCredentialsFromUrl } from '../support/postgres';
import type { Execution } from './harness/n8n';
import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(300_000);

const secret = 'bind-e2e-hmac-secret';
const postgresUrl = process.env.TEST_POSTGRES_URL;
if (!postgresUrl) console.log('bind e2e: TEST_POSTGRES_URL is not set, the PostgreSQL store variant is skipped');

function bindWorkflow(id: string, path: string, store: 'embedded' | 'postgres') {
	const storeCredentials = store === 'postgres' ? { webhookGatewayPostgresApi: { id: 'e2eBindPgCred01', name: 'PG' } } : undefined;
	return workflow(
		id,
		{
			name: 'Trigger',
			type: nodeType('webhookTrigger'),
			parameters: { path, authentication: 'hmac' },
			credentials: { webhookHmacApi: { id: 'e2eBindHmacCred1', name: 'HMAC' } },
		},
		[
			{
				name: 'Customer Bind',
				type: nodeType('customerBind'),
				credentials: storeCredentials,
				parameters: {
					store,
					fields: {
						values: [
							{ field: 'name', value: '={{ $json.body.customer.name }}', find: false },
							{ field: 'email', value: '={{ $json.body.customer.email }}', find: true },
							{ field: 'phone', value: '={{ $json.body.customer.phone }}', find: true },
						],
					},
					options: { defaultCountry: 'BR' },
				},
			},
			{
				name: 'Chat Bind',
				type: nodeType('chatBind'),
				credentials: storeCredentials,
				parameters: {
					store,
					channel: 'whatsapp',
					contactType: 'whatsapp',
					contact: '={{ $json.body.customer.phone }}',
					options: { defaultCountry: 'BR' },
				},
			},
			noOp('Bound'),
			noOp('Headless'),
		],
		{ Trigger: [['Customer Bind']], 'Customer Bind': [['Chat Bind']], 'Chat Bind': [['Bound'], ['Headless']] },
	);
}

/** Customer Bind with Continue On Fail: a bad item becomes an item with `error`, the rest go on. */
const continueOnFailWorkflow = workflow(
	'e2eBindContinue1',
	{
		name: 'Trigger',
		type: nodeType('webhookTrigger'),
		parameters: { path: 'bind-continue', authentication: 'hmac' },
		credentials: { webhookHmacApi: { id: 'e2eBindHmacCred1', name: 'HMAC' } },
	},
	[
		{
			name: 'Customer Bind',
			type: nodeType('customerBind'),
			onError: 'continueRegularOutput',
			parameters: {
				store: 'embedded',
				fields: {
					values: [
						{ field: 'email', value: '={{ $json.body.email }}', find: true },
						{ field: 'phone', value: '={{ $json.body.phone }}', find: true },
					],
				},
			},
		},
		noOp('After'),
	],
	{ Trigger: [['Customer Bind']], 'Customer Bind': [['After']] },
);

const schema = `wgw_e2e_${process.pid}`;

function pgCredential(url: string) {
	const data = postgresCredentialsFromUrl(url, schema);
	return { id: 'e2eBindPgCred01', name: 'PG', type: 'webhookGatewayPostgresApi', data: { ...data } };
}

const stores: Array<'embedded' | 'postgres'> = postgresUrl ? ['embedded', 'postgres'] : ['embedded'];

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('Customer Bind + Chat Bind in %s', (_label, version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, {
			credentials: [
				{
					id: 'e2eBindHmacCred1',
					name: 'HMAC',
					type: 'webhookHmacApi',
					data: { secret, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: '' },
				},
				...(postgresUrl ? [pgCredential(postgresUrl)] : []),
			],
			workflows: [
				...stores.map((store) => bindWorkflow(`e2eBind${store.padEnd(9, '0')}`, `bind-${store}`, store)),
				continueOnFailWorkflow,
			],
		});
		await n8n.start([...stores.map((store) => `/webhook/bind-${store}`), '/webhook/bind-continue']);
	});

	afterAll(async () => {
		await n8n?.dispose();
		if (postgresUrl) {
			const client = new Client({ connectionString: postgresUrl });
			await client.connect();
			await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
			await client.end();
		}
	});

	async function call(store: string, payload: unknown): Promise<Execution> {
		const body = JSON.stringify(payload);
		const since = await n8n.lastExecutionId();
		const response = await n8n.request('POST', `/webhook/bind-${store}`, {
			body,
			headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', secret).update(body).digest('hex') },
		});
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(since, 1);
		return execution;
	}

	it.each(stores)('%s store: creates, then updates per the rules, and routes a call without contact to headless', async (store) => {
		const email = `ana.${store}.${version.key}@example.com`;
		const first = await call(store, { customer: { name: 'Ana', email: ` ${email.toUpperCase()} `, phone: '(11) 91234-5678' } });
		expect(first.status).toBe('success');
		const created = first.nodes['Chat Bind'].outputs[0][0];
		expect(created).toMatchObject({
			customerAction: 'created',
			customer: { name: 'Ana', email, phone: '+5511912345678' },
			chat: { channel: 'whatsapp', contact: '+5511912345678' },
			mode: 'full',
		});
		const customerId = (created.customer as { id: string }).id;
		expect((created.chat as { customerId: string }).customerId).toBe(customerId);

		// Same email, new phone and name: name replaced, phone column kept, new phone in contacts.
		const second = await call(store, { customer: { name: 'Ana Souza', email, phone: '+55 21 99876-5432' } });
		const updated = second.nodes['Chat Bind'].outputs[0][0] as {
			customerAction: string;
			customer: { contacts: unknown[] };
			chat: unknown;
		};
		expect(updated.customerAction).toBe('updated');
		expect(updated.customer).toMatchObject({ id: customerId, name: 'Ana Souza', phone: '+5511912345678' });
		expect(updated.customer.contacts).toEqual(expect.arrayContaining([{ type: 'phone', value: '+5521998765432' }]));
		expect(updated.chat).toMatchObject({ contact: '+5521998765432', customerId });

		// No phone: the customer is still found by email; the chat has no contact → headless.
		const third = await call(store, { customer: { name: 'Ana Souza', email } });
		expect(third.nodes['Chat Bind'].outputs[0]).toHaveLength(0);
		expect(third.nodes['Chat Bind'].outputs[1][0]).toMatchObject({ mode: 'headless', customerAction: 'unchanged' });
		expect(third.nodes.Headless.outputs[0]).toHaveLength(1);

		if (store === 'postgres') {
			const client = new Client({ connectionString: postgresUrl });
			await client.connect();
			const customers = await client.query(`SELECT count(*)::int AS n FROM ${schema}.customers WHERE email = $1`, [email]);
			const chats = await client.query(`SELECT count(*)::int AS n FROM ${schema}.chats WHERE customer_id = $1`, [customerId]);
			await client.end();
			expect(customers.rows[0].n).toBe(1);
			expect(chats.rows[0].n).toBe(2);
		}
	});

	it.each(stores)('%s store: 50 concurrent calls for one new person make one customer and one chat', async (store) => {
		const email = `burst.${store}.${version.key}@example.com`;
		const since = await n8n.lastExecutionId();
		const body = JSON.stringify({ customer: { name: 'Burst', email, phone: '+55 31 98888-7777' } });
		const signature = createHmac('sha256', secret).update(body).digest('hex');
		const responses = await Promise.all(
			Array.from({ length: 50 }, async () =>
				await n8n.request('POST', `/webhook/bind-${store}`, {
					body,
					headers: { 'content-type': 'application/json', 'x-signature': signature },
				}),
			),
		);
		expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
		const executions = await n8n.waitForExecutions(since, 50, 120_000);
		expect(executions.map((e) => e.status)).toEqual(Array(50).fill('success'));
		const bound = executions.map((e) => e.nodes['Chat Bind'].outputs[0][0] as { customer: { id: string }; chat: { id: string }; customerAction: string });
		expect(new Set(bound.map((b) => b.customer.id)).size).toBe(1);
		expect(new Set(bound.map((b) => b.chat.id)).size).toBe(1);
		expect(bound.filter((b) => b.customerAction === 'created')).toHaveLength(1);
	});

	(postgresUrl ? it : it.skip)('tests the PostgreSQL credential from the editor: OK, and a clear error for a closed port', async () => {
		const { id, type, data } = pgCredential(postgresUrl!);
		expect(await n8n.testCredential(id, type, data)).toMatchObject({ status: 'OK' });
		const closed = await n8n.testCredential(id, type, { ...data, port: 1 });
		expect(closed.status).toBe('Error');
		expect(closed.message).toMatch(/127\.0\.0\.1:1/);
	});

	it('fails the item with a node error naming the field for an invalid email, writing nothing', async () => {
		const execution = await call('embedded', { customer: { name: 'Bad', email: 'not-an-email', phone: '+5511900000000' } });
		expect(execution.status).toBe('error');
		expect(execution.nodes['Customer Bind'].error).toMatch(/^email: /);
		const retry = await call('embedded', { customer: { name: 'Good', email: 'good@example.com', phone: '+5511900000000' } });
		expect(retry.nodes['Customer Bind'].outputs[0][0]).toMatchObject({ customerAction: 'created' });
	});

	it('with Continue On Fail, outputs an error item naming the problem and writes nothing', async () => {
		const noKey = await call('continue', { note: 'no email, no phone' });
		expect(noKey.status).toBe('success');
		const [item] = noKey.nodes.After.outputs[0];
		expect(item).toMatchObject({ body: { note: 'no email, no phone' }, error: expect.stringMatching(/^find: /) });
		expect(item.customer).toBeUndefined();

		const badPhone = await call('continue', { email: 'ok@example.com', phone: '12' });
		expect(badPhone.nodes.After.outputs[0][0]).toMatchObject({ error: expect.stringMatching(/^phone: /) });
		const retry = await call('continue', { email: 'ok@example.com' });
		expect(retry.nodes.After.outputs[0][0]).toMatchObject({ customerAction: 'created' });
	});

	it("keeps the default store's data (SQLite beside n8n's) across an n8n restart", async () => {
		const email = `restart.${version.key}@example.com`;
		const before = await call('embedded', { customer: { name: 'Rita', email, phone: '+5511955554444' } });
		const id = (before.nodes['Customer Bind'].outputs[0][0].customer as { id: string }).id;
		await n8n.stop();
		await n8n.start([...stores.map((store) => `/webhook/bind-${store}`), '/webhook/bind-continue']);
		const after = await call('embedded', { customer: { name: 'Rita', email } });
		expect(after.nodes['Customer Bind'].outputs[0][0]).toMatchObject({ customerAction: 'unchanged', customer: { id } });
	});
});
