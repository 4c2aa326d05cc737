import { createHmac } from 'crypto';
import { createServer } from 'net';
import { join } from 'path';

import { N8nInstance } from '../test/e2e/harness/n8n';
import { versions } from '../test/e2e/harness/versions';
import { noOp, nodeType, workflow } from '../test/e2e/harness/workflow';

/**
 * The demo: this package in a real n8n 1.x, with a workflow that verifies an HMAC-signed call,
 * routes it by event, and binds the customer and the chat. Data lives in .n8n-demo/ (kept).
 */
const secret = 'demo-hmac-secret-change-me';
const owner = { email: 'owner@example.com', password: 'E2e-owner-pass-1' };

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

const demoWorkflow = workflow(
	'demoWebhookFlow1',
	{
		name: 'Webhook Trigger',
		type: nodeType('webhookTrigger'),
		parameters: {
			path: 'demo-orders',
			authentication: 'hmac',
			eventPath: 'body.event',
			cases: {
				values: [
					{ label: 'Order approved', value: 'order_approved' },
					{ label: 'Lead created', value: 'lead_created' },
				],
			},
			variables: { values: [{ path: 'body.customer.email', name: 'email' }] },
			options: { saveBodyAs: 'payload' },
		},
		credentials: { webhookHmacApi: { id: 'demoHmacCred0001', name: 'Demo HMAC' } },
	},
	[
		{
			name: 'Customer Bind',
			type: nodeType('customerBind'),
			parameters: {
				store: 'embedded',
				fields: {
					values: [
						{ field: 'name', value: '={{ $json.body.customer.name }}', find: false },
						{ field: 'email', value: '={{ $json.body.customer.email }}', find: true },
						{ field: 'whatsapp', value: '={{ $json.body.customer.phone }}', find: true },
					],
				},
				options: { defaultCountry: 'BR' },
			},
		},
		{
			name: 'Chat Bind',
			type: nodeType('chatBind'),
			parameters: { store: 'embedded', channel: 'whatsapp', contactType: 'whatsapp', contact: '={{ $json.body.customer.phone }}', options: { defaultCountry: 'BR' } },
		},
		noOp('Chat ready'),
		noOp('No contact (headless)'),
		noOp('Unknown event'),
	],
	{
		'Webhook Trigger': [['Customer Bind'], ['Customer Bind'], ['Unknown event']],
		'Customer Bind': [['Chat Bind']],
		'Chat Bind': [['Chat ready'], ['No contact (headless)']],
	},
);

export async function main(): Promise<void> {
	// Ctrl-C (the terminal signals every process) and `kill -INT <npm pid>` (npm forwards the signal
	// to this process only) both land here, also during the first run's install: n8n is stopped
	// here, anything else still running by the harness's exit handlers.
	let n8n: N8nInstance | undefined = undefined;
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n...');
		await n8n?.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	const port = (await portIsFree(5678)) ? 5678 : 0;
	console.log('Building and packing the package, preparing n8n 1.x (the first run installs n8n: a few minutes)...');
	n8n = await N8nInstance.create(versions.v1, {
		userFolder: join(__dirname, '..', '.n8n-demo'),
		port,
		credentials: [
			{
				id: 'demoHmacCred0001',
				name: 'Demo HMAC',
				type: 'webhookHmacApi',
				data: { secret, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' },
			},
		],
		workflows: [demoWorkflow],
	});
	await n8n.start('/webhook/demo-orders');
	await n8n.ownerSession();

	const body = JSON.stringify({
		event: 'order_approved',
		customer: { name: 'Ana Souza', email: 'ana@example.com', phone: '+55 11 91234-5678' },
	});
	const signature = createHmac('sha256', secret).update(body).digest('hex');
	console.log(`
n8n ${versions.v1.n8n} is running with n8n-nodes-webhook-gateway installed.

  Editor:       ${n8n.baseUrl}/   (log in as ${owner.email} / ${owner.password})
  Workflow:     ${n8n.baseUrl}/workflow/demoWebhookFlow1
  Webhook URL:  ${n8n.baseUrl}/webhook/demo-orders

Send a signed call (HMAC-SHA256 of the exact body, secret "${secret}"):

curl -i -X POST '${n8n.baseUrl}/webhook/demo-orders' \\
  -H 'Content-Type: application/json' \\
  -H 'X-Signature: sha256=${signature}' \\
  --data '${body}'

Sign your own body (openssl prints "SHA2-256(stdin)= <hex>": cut keeps the hex):

BODY='{"event":"lead_created","customer":{"name":"Bia Lima","email":"bia@example.com","phone":"+55 21 99876-5432"}}'
SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac '${secret}' | cut -d' ' -f2)
curl -i -X POST '${n8n.baseUrl}/webhook/demo-orders' -H 'Content-Type: application/json' -H "X-Signature: sha256=$SIG" --data "$BODY"

A wrong signature gets 401 and starts no execution. Ctrl-C (or kill -INT <npm pid>) stops n8n.
`);
	await new Promise(() => undefined);
}
