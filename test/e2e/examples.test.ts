import { createHmac } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { N8nInstance, sleep } from './harness/n8n';
import type { Execution, HttpResponse } from './harness/n8n';
import { docShBlocks, runDocBlock } from './harness/readme';
import { activateWorkflow, createCredential, saveWorkflow } from './harness/rest';
import type { WorkflowFile } from './harness/rest';
import { selectedVersions } from './harness/versions';

jest.setTimeout(600_000);

/**
 * Issue 19: every workflow in examples/ as a user meets it. Per n8n line, one n8n: the test creates
 * the credentials an example names (editor REST API), saves the file as-is (only the placeholder
 * credential ids replaced by the created ones), activates it, and sends real, correctly signed
 * calls with the provider's own payload shape; then reads which branch ran with which data.
 * Files without a case here fail the first test (the correlated-resume pair is imported, activated
 * and called by resume.test.ts, which this file checks).
 */

const examplesDir = join(__dirname, '..', '..', 'examples');
const exampleFiles = readdirSync(examplesDir).filter((file) => file.endsWith('.json')).sort();
const loadExample = (file: string) => JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as WorkflowFile;

const secrets = {
	kiwify: 'kiwify-e2e-webhook-token',
	leadToken: 'lead-form-e2e-bearer-token',
	stripe: 'whsec_examples_e2e_stripe',
	metaVerify: 'examples-e2e-verify-token',
	metaApp: 'examples-e2e-meta-app-secret',
};

/** The credentials a user creates for the examples, under the names the files reference. */
const credentialsByName: Record<string, { type: string; data: Record<string, unknown> }> = {
	'Kiwify secret': { type: 'webhookSigningSecretApi', data: { secret: secrets.kiwify, previousSecret: '', toleranceSeconds: 300 } },
	'Lead form token': { type: 'webhookBearerAuthApi', data: { token: secrets.leadToken } },
	'Stripe signing secret': { type: 'webhookSigningSecretApi', data: { secret: secrets.stripe, previousSecret: '', toleranceSeconds: 300 } },
	'WhatsApp app (Meta)': { type: 'webhookMetaApi', data: { verifyToken: secrets.metaVerify, appSecret: secrets.metaApp, previousAppSecret: '' } },
};

/** Examples exercised by another e2e file, which must load them from examples/. */
const exercisedElsewhere: Record<string, { testFile: string; loads: string }> = {
	'correlated-resume-checkout.json': { testFile: 'resume.test.ts', loads: "load('checkout')" },
	'correlated-resume-payments.json': { testFile: 'resume.test.ts', loads: "load('payments')" },
};

/**
 * The examples this file runs, by file name: the webhook path each one registers, and for the
 * curl block under "## `<file>`" of docs/examples.md its variables and what it prints.
 */
const handled: Record<string, { path: string; env: Record<string, string>; prints?: RegExp }> = {
	'kiwify-order-routing.json': { path: 'kiwify-orders', env: { SECRET: secrets.kiwify } },
	'lead-form-customer-chat.json': { path: 'lead-form', env: { TOKEN: secrets.leadToken } },
	'stripe-payments-dedup.json': { path: 'stripe-events', env: { SECRET: secrets.stripe }, prints: /^\{"received":true\}\n\{"duplicate":true,/ },
	'whatsapp-cloud-inbound.json': {
		path: 'whatsapp-inbound',
		env: { VERIFY_TOKEN: secrets.metaVerify, APP_SECRET: secrets.metaApp },
		prints: /^1158201444\n\{"received":true\}\n$/,
	},
};

const hmacHex = (algorithm: string, key: string, data: string) => createHmac(algorithm, key).update(data).digest('hex');

describe('examples/ folder', () => {
	it('every example file has a case here or is run by the e2e file named for it', () => {
		const covered = [...Object.keys(handled), ...Object.keys(exercisedElsewhere)].sort();
		expect(exampleFiles).toEqual(covered);
		for (const [file, { testFile, loads }] of Object.entries(exercisedElsewhere)) {
			const source = readFileSync(join(__dirname, testFile), 'utf8');
			expect({ file, loadsIt: source.includes('correlated-resume-${name}.json') && source.includes(loads) }).toEqual({ file, loadsIt: true });
		}
	});

	it.each(Object.keys(handled))('%s: webhook path as listed, credentials by names this file creates', (file) => {
		const example = loadExample(file);
		const trigger = example.nodes.find((node) => node.type === 'n8n-nodes-webhook-gateway.webhookTrigger') as { parameters: { path: string } } | undefined;
		expect(trigger?.parameters.path).toBe(handled[file].path);
		for (const node of example.nodes) {
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				expect({ node: node.name, type: credentialsByName[reference.name]?.type }).toEqual({ node: node.name, type });
			}
		}
	});
});

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('examples/ in %s', (_label, version) => {
	let n8n: N8nInstance;
	const workflowIds: Record<string, string> = {};

	/** The `count` finished executions after `since` (the tests run one after another), all of `file`'s workflow. */
	const executionsOf = async (file: string, since: string, count: number): Promise<Execution[]> => {
		const runs = await n8n.waitForExecutions(since, count, 60_000);
		expect(runs.map((e) => e.workflowId)).toEqual(Array(runs.length).fill(workflowIds[file]));
		return runs;
	};

	const post = async (path: string, body: string, headers: Record<string, string>): Promise<HttpResponse> =>
		await n8n.request('POST', `/webhook/${path}`, { body, headers: { 'content-type': 'application/json', ...headers } });

	/** "Import from file" + credentials + activate, as a user does, for every example handled here. */
	beforeAll(async () => {
		n8n = await N8nInstance.create(version);
		await n8n.start();
		const credentialIds: Record<string, string> = {};
		for (const [name, { type, data }] of Object.entries(credentialsByName)) {
			credentialIds[name] = await createCredential(n8n, { name, type, data });
		}
		for (const file of Object.keys(handled)) {
			const example = loadExample(file);
			for (const node of example.nodes) {
				for (const reference of Object.values(node.credentials ?? {})) reference.id = credentialIds[reference.name];
			}
			const saved = await saveWorkflow(n8n, example);
			await activateWorkflow(n8n, saved);
			workflowIds[file] = saved.id;
		}
		// Activation registers the webhooks; wait until each path answers (GET: our handshake webhook).
		for (const { path } of Object.values(handled)) {
			const deadline = Date.now() + 60_000;
			while ((await n8n.request('GET', `/webhook/${path}`)).status === 404) {
				if (Date.now() > deadline) throw new Error(`/webhook/${path} not registered\n${n8n.logTail(40)}`);
				await sleep(200);
			}
		}
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	it('kiwify-order-routing: a signed order_approved runs "Start onboarding" with the buyer mapped; refunded and other events take their branches', async () => {
		const file = 'kiwify-order-routing.json';
		const order = (event: string) => ({
			order_id: '5f8d2c1e-7a41-4b9e-9d3c-0e6f1a2b3c4d',
			order_ref: 'KwZp3Rq',
			order_status: event === 'order_refunded' ? 'refunded' : 'paid',
			payment_method: 'credit_card',
			webhook_event_type: event,
			Product: { product_id: '8b1e6c2a-3f4d-4a5b-9c6d-7e8f9a0b1c2d', product_name: 'Curso de Fotografia' },
			Customer: { full_name: 'Ana Souza', email: 'ana@example.com', mobile: '+5511912345678', CPF: '12345678909' },
			Commissions: { charge_amount: 19700, currency: 'BRL' },
			created_at: '2026-11-24 10:15',
		});
		const send = async (event: string) => {
			const body = JSON.stringify(order(event));
			return await post(`kiwify-orders?signature=${hmacHex('sha1', secrets.kiwify, body)}`, body, {});
		};
		const since = await n8n.lastExecutionId();
		const approved = await send('order_approved');
		expect({ status: approved.status, body: approved.text }).toEqual({ status: 200, body: '{"received":true}' });
		const [run] = await executionsOf(file, since, 1);
		expect(run.status).toBe('success');
		expect(run.nodes['Kiwify order'].outputs[0][0]).toMatchObject({
			event: { path: 'body.webhook_event_type', value: 'order_approved', case: 'Purchase approved' },
			variables: { order_id: '5f8d2c1e-7a41-4b9e-9d3c-0e6f1a2b3c4d', buyer_email: 'ana@example.com', buyer_name: 'Ana Souza', product: 'Curso de Fotografia' },
			verification: { scheme: 'kiwify' },
			query: { signature: '[redacted]' },
		});
		expect(run.nodes['Start onboarding'].outputs[0]).toHaveLength(1);
		expect(run.nodes['Cancel access']).toBeUndefined();
		expect(run.nodes['Log unknown event']).toBeUndefined();

		const afterApproved = await n8n.lastExecutionId();
		expect((await send('order_refunded')).status).toBe(200);
		expect((await send('pix_created')).status).toBe(200);
		const later = await executionsOf(file, afterApproved, 2);
		const ran = later.map((e) => Object.keys(e.nodes).filter((name) => name !== 'Kiwify order').sort());
		expect(ran.sort()).toEqual([['Cancel access'], ['Log unknown event']]);
	});

	it('lead-form-customer-chat: a lead with the bearer token becomes a customer with a WhatsApp chat', async () => {
		const file = 'lead-form-customer-chat.json';
		const email = `bia.lima.${version.key}@example.com`;
		const since = await n8n.lastExecutionId();
		const lead = { name: 'Bia Lima', email, phone: '+55 21 99876-5432', source: 'landing-page', utm_campaign: 'black-friday' };
		const answer = await post('lead-form', JSON.stringify(lead), { authorization: `Bearer ${secrets.leadToken}` });
		expect({ status: answer.status, body: answer.text }).toEqual({ status: 200, body: '{"received":true}' });
		const [run] = await executionsOf(file, since, 1);
		expect(run.status).toBe('success');
		const bound = run.nodes['Chat Bind'].outputs[0][0] as { customer: { id: string }; chat: { customerId: string } };
		expect(bound).toMatchObject({
			variables: { name: 'Bia Lima', email, phone: '+55 21 99876-5432' },
			customerAction: 'created',
			customer: { name: 'Bia Lima', email },
			chat: { channel: 'whatsapp', contact: '+5521998765432' },
			mode: 'full',
		});
		expect(bound.chat.customerId).toBe(bound.customer.id);
		expect(run.nodes['Send welcome message'].outputs[0]).toHaveLength(1);
		expect(run.nodes['Follow up by e-mail']).toBeUndefined();
		// The token is never kept in the execution.
		expect(run.raw).not.toContain(secrets.leadToken);
	});

	it('stripe-payments-dedup: the same event delivered twice runs once (second answered duplicate); another event takes its branch', async () => {
		const file = 'stripe-payments-dedup.json';
		const event = (id: string, type: string, status: string) =>
			JSON.stringify({
				id,
				object: 'event',
				api_version: '2024-06-20',
				created: Math.floor(Date.now() / 1000),
				data: {
					object: {
						id: `pi_${id.slice(4)}`,
						object: 'payment_intent',
						amount: 4990,
						currency: 'brl',
						status,
						metadata: { order_id: 'order-1042' },
					},
				},
				livemode: false,
				pending_webhooks: 1,
				request: { id: 'req_e2eExamples1', idempotency_key: null },
				type,
			});
		// Stripe signs each attempt anew: `t=<now>,v1=HMAC-SHA256(secret, "t.body")`.
		const deliver = async (body: string) => {
			const t = Math.floor(Date.now() / 1000);
			return await post('stripe-events', body, { 'stripe-signature': `t=${t},v1=${hmacHex('sha256', secrets.stripe, `${t}.${body}`)}` });
		};
		const eventId = `evt_3Qe2E${version.key}Xa1b2c3d4`;
		const succeeded = event(eventId, 'payment_intent.succeeded', 'succeeded');
		const since = await n8n.lastExecutionId();
		const first = await deliver(succeeded);
		expect({ status: first.status, body: first.text }).toEqual({ status: 200, body: '{"received":true}' });
		const retry = await deliver(succeeded);
		expect(retry.status).toBe(200);
		expect(retry.json()).toMatchObject({ duplicate: true });
		// A different event after the retry: once it has run, a run of the retry would have too.
		expect((await deliver(event(`${eventId}f`, 'payment_intent.payment_failed', 'requires_payment_method'))).status).toBe(200);
		const runs = await executionsOf(file, since, 2);
		await sleep(1_000);
		expect(await n8n.executions(since)).toHaveLength(2);
		const fulfilled = runs.filter((e) => e.nodes['Fulfil the order']);
		expect(fulfilled).toHaveLength(1);
		expect(fulfilled[0].nodes['Stripe event'].outputs[0][0]).toMatchObject({
			body: { id: eventId },
			event: { value: 'payment_intent.succeeded', case: 'Payment succeeded' },
			variables: { payment_intent: `pi_${eventId.slice(4)}`, amount: 4990, currency: 'brl', order_id: 'order-1042' },
			verification: { scheme: 'stripe' },
			headers: { 'stripe-signature': '[redacted]' },
		});
		expect(runs.filter((e) => e.nodes['Tell the customer the payment failed'])).toHaveLength(1);
	});

	it('whatsapp-cloud-inbound: answers Meta\'s GET handshake; a signed text message binds the sender; a status update takes else', async () => {
		const file = 'whatsapp-cloud-inbound.json';
		const since = await n8n.lastExecutionId();
		const handshake = await n8n.request(
			'GET',
			`/webhook/whatsapp-inbound?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${secrets.metaVerify}`,
		);
		expect({ status: handshake.status, body: handshake.text }).toEqual({ status: 200, body: '1158201444' });
		const wrongToken = await n8n.request('GET', '/webhook/whatsapp-inbound?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess');
		expect(wrongToken.status).toBe(403);

		const change = (value: Record<string, unknown>) => ({
			object: 'whatsapp_business_account',
			entry: [{ id: '102290129340398', changes: [{ value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, ...value }, field: 'messages' }] }],
		});
		const message = change({
			contacts: [{ profile: { name: 'Ana Souza' }, wa_id: '5511912345678' }],
			messages: [{ from: '5511912345678', id: 'wamid.HBgNNTUxMTkxMjM0NTY3OBUCABIYIDNBRTk', timestamp: '1732440000', text: { body: 'Oi, quero saber do meu pedido' }, type: 'text' }],
		});
		const status = change({
			statuses: [{ id: 'wamid.HBgNNTUxMTkxMjM0NTY3OBUCABEYEjQ1', status: 'read', timestamp: '1732440060', recipient_id: '5511912345678' }],
		});
		// Meta signs the raw body with the App Secret (X-Hub-Signature-256), and sends the legacy SHA-1 too.
		const deliver = async (payload: unknown) => {
			const body = JSON.stringify(payload);
			return await post('whatsapp-inbound', body, {
				'x-hub-signature-256': `sha256=${hmacHex('sha256', secrets.metaApp, body)}`,
				'x-hub-signature': `sha1=${hmacHex('sha1', secrets.metaApp, body)}`,
			});
		};
		expect((await deliver(message)).status).toBe(200);
		expect((await deliver(status)).status).toBe(200);
		const runs = await executionsOf(file, since, 2);
		// The handshakes started nothing.
		expect(runs).toHaveLength(2);

		const bound = runs.find((e) => e.nodes['Chat Bind']);
		expect(bound?.status).toBe('success');
		expect(bound?.nodes['Chat Bind'].outputs[0][0]).toMatchObject({
			event: { path: 'body.entry[0].changes[0].value.messages[0].type', value: 'text', case: 'Text message' },
			variables: { phone: '5511912345678', name: 'Ana Souza', text: 'Oi, quero saber do meu pedido', business_number_id: '106540352242922' },
			verification: { scheme: 'meta' },
			headers: { 'x-hub-signature-256': '[redacted]', 'x-hub-signature': '[redacted]' },
			customerAction: 'created',
			customer: { name: 'Ana Souza' },
			chat: { channel: 'whatsapp', contact: '+5511912345678' },
			mode: 'full',
		});
		expect(bound?.nodes['Answer or hand to an agent'].outputs[0]).toHaveLength(1);

		const other = runs.find((e) => e !== bound);
		expect(other?.nodes['WhatsApp webhook'].outputs[1][0]).toMatchObject({ event: { value: null, case: null } });
		expect(other?.nodes['Status update or other message'].outputs[0]).toHaveLength(1);
		expect(other?.nodes['Customer Bind']).toBeUndefined();
	});

	it.each(Object.keys(handled))("docs/examples.md's curl for %s works as written: 2xx answers, one successful execution", async (file) => {
		const blocks = docShBlocks('docs/examples.md', '##').get(`\`${file}\``) ?? [];
		expect(blocks).toHaveLength(1);
		const since = await n8n.lastExecutionId();
		const stdout = await runDocBlock(blocks[0], { URL: `${n8n.baseUrl}/webhook/${handled[file].path}`, ...handled[file].env });
		expect(stdout).toMatch(handled[file].prints ?? /^\{"received":true\}\n$/);
		const [run] = await executionsOf(file, since, 1);
		expect(run.status).toBe('success');
		await sleep(500);
		expect(await n8n.executions(since)).toHaveLength(1);
	});
});
