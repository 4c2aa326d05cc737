import { createHmac } from 'crypto';
import { Client } from 'pg';

import { postgresCredentialsFromUrl } from '../support/postgres';
import { classifyCopies } from './harness/copies';
import { N8nInstance } from './harness/n8n';
import { selectedVersions } from './harness/versions';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(300_000);

/**
 * Issue 14 (duplicate suppression) in a real n8n: the same signed delivery sent 20 times at once →
 * 20 answers with 200, exactly one execution; after an n8n restart the same delivery again → no
 * execution. On the default store (SQLite beside n8n's) and, with TEST_POSTGRES_URL, on PostgreSQL.
 */

const SECRET = 'duplicates-e2e-hmac-secret-2718';
const postgresUrl = process.env.TEST_POSTGRES_URL;
const schema = `wgw_e2e_dup_${process.pid}`;
if (!postgresUrl) console.log('duplicates e2e: TEST_POSTGRES_URL is not set, the PostgreSQL store variant is skipped');

const hmacCredential = {
	id: 'e2eDupHmac00001',
	name: 'Duplicates HMAC',
	type: 'webhookHmacApi',
	data: { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' },
};
// Stripe as a user sets it up: the preset names body.id as the delivery id, so suppression is on
// without any duplicate-key setting.
const STRIPE_SECRET = 'whsec_duplicates_e2e_stripe';
const stripeCredential = {
	id: 'e2eDupStripe001',
	name: 'Duplicates Stripe',
	type: 'webhookSigningSecretApi',
	data: { secret: STRIPE_SECRET, previousSecret: '', toleranceSeconds: 300 },
};
const pgCredential = postgresUrl
	? { id: 'e2eDupPgCred001', name: 'PG', type: 'webhookGatewayPostgresApi', data: { ...postgresCredentialsFromUrl(postgresUrl, schema) } }
	: undefined;

function stripeWorkflow() {
	return workflow(
		'e2eDupStripeWf1',
		{
			name: 'Webhook Trigger',
			type: nodeType('webhookTrigger'),
			parameters: { path: 'dup-stripe', authentication: 'stripe' },
			credentials: { webhookSigningSecretApi: { id: stripeCredential.id, name: stripeCredential.name } },
		},
		[noOp('Received')],
		{ 'Webhook Trigger': [['Received']] },
	);
}

function dedupeWorkflow(id: string, path: string, store: 'embedded' | 'postgres') {
	return workflow(
		id,
		{
			name: 'Webhook Trigger',
			type: nodeType('webhookTrigger'),
			parameters: { path, authentication: 'hmac', store, options: { duplicateKeyPath: 'headers.x-delivery-id' } },
			credentials: {
				webhookHmacApi: { id: hmacCredential.id, name: hmacCredential.name },
				...(store === 'postgres' ? { webhookGatewayPostgresApi: { id: 'e2eDupPgCred001', name: 'PG' } } : {}),
			},
		},
		[noOp('Received')],
		{ 'Webhook Trigger': [['Received']] },
	);
}

const stores = (postgresUrl ? ['embedded', 'postgres'] : ['embedded']) as Array<'embedded' | 'postgres'>;
const paths = [...stores.map((store) => `/webhook/dup-${store}`), '/webhook/dup-stripe'];

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('duplicate suppression in %s', (_label, version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, {
			credentials: pgCredential ? [hmacCredential, stripeCredential, pgCredential] : [hmacCredential, stripeCredential],
			workflows: [
				...stores.map((store) => dedupeWorkflow(store === 'embedded' ? 'e2eDupEmbedded1' : 'e2eDupPostgres1', `dup-${store}`, store)),
				stripeWorkflow(),
			],
		});
		await n8n.start(paths);
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

	const send = async (path: string, deliveryId: string) => {
		const body = JSON.stringify({ id: deliveryId, type: 'payment.succeeded' });
		const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
		return await n8n.request('POST', `/webhook/${path}`, {
			body,
			headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-delivery-id': deliveryId },
		});
	};

	/** A Stripe event signed now: `Stripe-Signature: t=…,v1=…` over `${t}.${body}`. */
	const sendStripe = async (eventId: string) => {
		const body = JSON.stringify({ id: eventId, object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_1' } } });
		const t = Math.floor(Date.now() / 1000);
		const v1 = createHmac('sha256', STRIPE_SECRET).update(`${t}.${body}`).digest('hex');
		return await n8n.request('POST', '/webhook/dup-stripe', {
			body,
			headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
		});
	};

	it('Stripe preset: the same event 20 times at once (each signed anew) → one accepted, 19 duplicates (or in progress), one execution; after a restart, none', async () => {
		const eventId = `evt_${Date.now()}`;
		const since = await n8n.lastExecutionId();
		const answers = await Promise.all(Array.from({ length: 20 }, async () => await sendStripe(eventId)));
		const copies = classifyCopies(answers);
		expect(copies).toMatchObject({ accepted: 1, other: [] });
		expect(copies.duplicate + copies.inProgress).toBe(19);
		const sentinel = await sendStripe(`${eventId}_sentinel`);
		if (sentinel.status !== 200) console.log(n8n.logTail(80));
		expect(sentinel.status).toBe(200);
		await n8n.waitForExecutions(since, 2);
		const runs = (await n8n.executions(since)).filter((e) => e.workflowId === 'e2eDupStripeWf1');
		expect(runs).toHaveLength(2);

		await n8n.stop();
		await n8n.start(paths);
		const sinceRestart = await n8n.lastExecutionId();
		const again = await sendStripe(eventId);
		expect(again.status).toBe(200);
		expect(again.json()).toMatchObject({ duplicate: true });
		expect((await sendStripe(`${eventId}_sentinel_2`)).status).toBe(200);
		await n8n.waitForExecutions(sinceRestart, 1);
		expect((await n8n.executions(sinceRestart)).filter((e) => e.workflowId === 'e2eDupStripeWf1')).toHaveLength(1);
	});

	it.each(stores)('%s store: 20 concurrent copies → one accepted and one execution; after a restart, still none', async (store) => {
		const path = `dup-${store}`;
		const workflowId = store === 'embedded' ? 'e2eDupEmbedded1' : 'e2eDupPostgres1';
		const deliveryId = `evt_${store}_${Date.now()}`;
		const since = await n8n.lastExecutionId();
		const answers = await Promise.all(Array.from({ length: 20 }, async () => await send(path, deliveryId)));
		const copies = classifyCopies(answers);
		if (copies.other.length > 0) console.log(n8n.logTail(80));
		expect(copies).toMatchObject({ accepted: 1, other: [] });
		expect(copies.duplicate + copies.inProgress).toBe(19);

		// Sentinel: a new delivery that must run, after which no second run of the first can appear.
		expect((await send(path, `${deliveryId}-sentinel`)).status).toBe(200);
		await n8n.waitForExecutions(since, 2);
		const runs = (await n8n.executions(since)).filter((e) => e.workflowId === workflowId);
		expect(runs).toHaveLength(2);

		await n8n.stop();
		await n8n.start(paths);
		const sinceRestart = await n8n.lastExecutionId();
		const again = await send(path, deliveryId);
		expect(again.status).toBe(200);
		expect(again.json()).toMatchObject({ duplicate: true });
		expect((await send(path, `${deliveryId}-sentinel-2`)).status).toBe(200);
		await n8n.waitForExecutions(sinceRestart, 1);
		expect((await n8n.executions(sinceRestart)).filter((e) => e.workflowId === workflowId)).toHaveLength(1);
	});
});
