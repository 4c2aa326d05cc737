import { createHmac } from 'crypto';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Locator, Page } from 'playwright-core';

import { WebhookBearerAuthApi } from '../../credentials/WebhookBearerAuthApi.credentials';
import { WebhookGatewayPostgresApi } from '../../credentials/WebhookGatewayPostgresApi.credentials';
import { WebhookHeaderAuthApi } from '../../credentials/WebhookHeaderAuthApi.credentials';
import { WebhookHmacApi } from '../../credentials/WebhookHmacApi.credentials';
import { WebhookMetaApi } from '../../credentials/WebhookMetaApi.credentials';
import { WebhookQueryAuthApi } from '../../credentials/WebhookQueryAuthApi.credentials';
import { WebhookSigningSecretApi } from '../../credentials/WebhookSigningSecretApi.credentials';
import { WebhookSlackApi } from '../../credentials/WebhookSlackApi.credentials';
import { WebhookTwilioApi } from '../../credentials/WebhookTwilioApi.credentials';
import type { BrowserProblem } from './harness/browser';
import { BrowserSession, keepScreenshot, watchProblems } from './harness/browser';
import { N8nInstance, sleep } from './harness/n8n';
import { packageName } from './harness/package';
import type { WorkflowFile } from './harness/rest';
import { activateWorkflow, createCredential, saveWorkflow } from './harness/rest';
import { selectedVersions } from './harness/versions';
import { nodeType } from './harness/workflow';

/**
 * The nodes in n8n's editor, in a real browser (issue 19): Debian's Chromium against a real n8n
 * per line. The README's screenshots come from here: UPDATE_SCREENSHOTS=1 writes them to
 * docs/images/ from the line below; every run takes them and checks them.
 */
jest.setTimeout(300_000);

const README_LINE = 'v2';
const WAIT = 60_000;
const secret = 'editor-e2e-hmac-secret-3141';

/** Every credential type of the package, with data enough for its form. */
const credentialTypes = [
	{ type: new WebhookHmacApi(), data: { secret, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' } },
	{ type: new WebhookBearerAuthApi(), data: { token: 'editor-bearer-token' } },
	{ type: new WebhookHeaderAuthApi(), data: { headerName: 'X-Webhook-Token', token: 'editor-header-token' } },
	{ type: new WebhookQueryAuthApi(), data: { parameterName: 'token', token: 'editor-query-token' } },
	{ type: new WebhookSlackApi(), data: { signingSecret: 'editor-slack-signing-secret' } },
	{ type: new WebhookMetaApi(), data: { verifyToken: 'editor-verify', appSecret: 'editor-app-secret' } },
	{ type: new WebhookSigningSecretApi(), data: { secret: 'whsec_ZWRpdG9yLWUyZS1zaWduaW5n' } },
	{ type: new WebhookTwilioApi(), data: { authToken: 'editor-twilio-token' } },
	// Nothing listens on port 9: the form opens, its connection test fails, and that is all.
	{ type: new WebhookGatewayPostgresApi(), data: { host: '127.0.0.1', port: 9, database: 'none', user: 'none', password: 'none', ssl: 'disable' } },
];

const cases = [
	{ label: 'Approved', value: 'order_approved' },
	{ label: 'Refunded', value: 'order_refunded' },
	{ label: 'Chargeback', value: 'chargeback' },
];

/** Webhook Trigger (3 cases, HMAC) → Customer Bind → Chat Bind, saved as the editor saves it. */
function editorWorkflow(hmacCredential: { id: string; name: string }): WorkflowFile {
	return {
		name: 'Orders (editor e2e)',
		nodes: [
			{
				id: 'b7a1f0c2-0000-4000-8000-000000000001',
				name: 'Webhook Trigger',
				type: nodeType('webhookTrigger'),
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: 'b7a1f0c2-0000-4000-8000-0000000000aa',
				parameters: { path: 'editor-orders', authentication: 'hmac', eventPath: 'body.event', cases: { values: cases } },
				credentials: { webhookHmacApi: hmacCredential },
			},
			{
				id: 'b7a1f0c2-0000-4000-8000-000000000002',
				name: 'Customer Bind',
				type: nodeType('customerBind'),
				typeVersion: 1,
				position: [300, -100],
				parameters: {
					store: 'embedded',
					fields: {
						values: [
							{ field: 'email', value: '={{ $json.body.customer.email }}', find: true },
							{ field: 'phone', value: '={{ $json.body.customer.phone }}', find: true },
						],
					},
				},
			},
			{
				id: 'b7a1f0c2-0000-4000-8000-000000000003',
				name: 'Chat Bind',
				type: nodeType('chatBind'),
				typeVersion: 1,
				position: [560, -100],
				parameters: { store: 'embedded', channel: 'whatsapp', contactType: 'whatsapp', contact: '={{ $json.body.customer.phone }}' },
			},
		],
		connections: {
			'Webhook Trigger': { main: [[{ node: 'Customer Bind', type: 'main', index: 0 }]] },
			'Customer Bind': { main: [[{ node: 'Chat Bind', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Issue 28: an inbox trigger whose stored deliveries the editor can take as its test event. */
function inboxWorkflow(hmacCredential: { id: string; name: string }): WorkflowFile {
	return {
		name: 'Inbox (editor e2e)',
		nodes: [
			{
				id: 'b7a1f0c2-0000-4000-8000-000000000011',
				name: 'Webhook Trigger',
				type: nodeType('webhookTrigger'),
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: 'b7a1f0c2-0000-4000-8000-0000000000bb',
				parameters: { path: 'editor-inbox', authentication: 'hmac', eventPath: 'body.event', cases: { values: cases }, options: { inbox: true, deliveryIdHeader: true } },
				credentials: { webhookHmacApi: hmacCredential },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** n8n's own Webhook → Webhook Deliveries, Replay To: Test URL (id and URL from the call's body). */
const replayToolWorkflow: WorkflowFile = {
	name: 'Replay tool (editor e2e)',
	nodes: [
		{
			id: 'b7a1f0c2-0000-4000-8000-000000000021',
			name: 'Replay Hook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'b7a1f0c2-0000-4000-8000-0000000000cc',
			parameters: { httpMethod: 'POST', path: 'editor-replay', responseMode: 'lastNode', options: {} },
		},
		{
			id: 'b7a1f0c2-0000-4000-8000-000000000022',
			name: 'Webhook Deliveries',
			type: nodeType('webhookDeliveries'),
			typeVersion: 1,
			position: [300, 0],
			parameters: { operation: 'replay', replayBy: 'id', deliveryId: '={{ $json.body.id }}', replayTo: 'testUrl', testUrl: '={{ $json.body.url }}' },
		},
	],
	connections: { 'Replay Hook': { main: [[{ node: 'Webhook Deliveries', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

/** Reads `read()` until it equals `wanted` or WAIT has passed; returns the last value read. */
async function settled<T>(read: () => Promise<T>, wanted: T): Promise<T> {
	const deadline = Date.now() + WAIT;
	let value = await read();
	while (JSON.stringify(value) !== JSON.stringify(wanted) && Date.now() < deadline) {
		await sleep(250);
		value = await read();
	}
	return value;
}

const sign = (body: string, key: string) => 'sha256=' + createHmac('sha256', key).update(body).digest('hex');

/** Problems that name the package or its node types are never taken for n8n's noise. */
const ours = new RegExp([packageName, 'webhookTrigger', 'customerBind', 'chatBind', 'webhookHmacApi', 'WebhookTrigger'].join('|'), 'i');

describe.each(selectedVersions())('the nodes in the n8n $n8n editor', (version) => {
	// Overwritten by each run, so they never pile up; printed at the end.
	const artifacts = join(tmpdir(), 'wgw-editor-screenshots', version.key);
	const forReadme = version.key === README_LINE;
	let n8n: N8nInstance;
	let browser: BrowserSession;
	let page: Page;
	let problems: ReturnType<typeof watchProblems>;
	let workflowId = '';
	let inboxWorkflowId = '';
	const credentialIds: Record<string, string> = {};

	const canvasNode = (name: string): Locator => page.locator('[data-test-id="canvas-node"]').filter({ hasText: name });
	const outputHandles = async () => (await canvasNode('Webhook Trigger').locator('[data-test-id="canvas-node-output-handle"]').allTextContents()).map((text) => text.trim());

	async function openWorkflow(): Promise<void> {
		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
		await canvasNode('Chat Bind').waitFor({ timeout: WAIT });
	}

	async function openPanel(name: string): Promise<Locator> {
		await canvasNode(name).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="node-title-container"]', { hasText: name }).waitFor({ timeout: WAIT });
		await ndv.locator('[data-test-id="node-parameters"]').waitFor({ timeout: WAIT });
		return ndv;
	}

	async function closePanel(): Promise<void> {
		// n8n 1.x: "Back to canvas"; 2.x: a close button in the panel's header. (Escape is taken by a
		// focused parameter input on 2.x.)
		await page.locator('[data-test-id="back-to-canvas"], [data-test-id="ndv-close-button"]').filter({ visible: true }).first().click();
		await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: WAIT });
	}

	/**
	 * A screenshot of `region` (a locator, or the box around several), kept as `name`; `readme`:
	 * one of the README's pictures.
	 */
	async function screenshot(name: string, region: Locator | Locator[], readme = false): Promise<void> {
		let png: Buffer;
		if (Array.isArray(region)) {
			const boxes = (await Promise.all(region.map(async (part) => await part.boundingBox()))).filter((box) => box !== null);
			// Output labels stick out to the right of a node, its name and subtitle below it.
			const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - 60);
			const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 40);
			const right = Math.min(1280, Math.max(...boxes.map((b) => b.x + b.width)) + 120);
			const bottom = Math.min(800, Math.max(...boxes.map((b) => b.y + b.height)) + 70);
			png = await page.screenshot({ clip: { x, y, width: right - x, height: bottom - y } });
		} else {
			png = await region.screenshot();
		}
		keepScreenshot(png, name, artifacts, readme && forReadme);
	}

	/** After each step: nothing but n8n's own, explained noise went wrong in the page. */
	function expectNoProblems(): void {
		const unexpected: BrowserProblem[] = problems.take();
		expect(unexpected).toEqual([]);
	}

	beforeAll(async () => {
		// First: without Chromium, fail at once with how to install it, before n8n starts.
		browser = await BrowserSession.launch();
		n8n = await N8nInstance.create(version);
		await n8n.start();
		for (const { type, data } of credentialTypes) {
			credentialIds[type.name] = await createCredential(n8n, { name: `Editor ${type.name}`, type: type.name, data });
		}
		workflowId = (await saveWorkflow(n8n, editorWorkflow({ id: credentialIds.webhookHmacApi, name: 'Editor webhookHmacApi' }))).id;
		const inbox = await saveWorkflow(n8n, inboxWorkflow({ id: credentialIds.webhookHmacApi, name: 'Editor webhookHmacApi' }));
		inboxWorkflowId = inbox.id;
		await activateWorkflow(n8n, inbox);
		await activateWorkflow(n8n, await saveWorkflow(n8n, replayToolWorkflow));
		page = await browser.context.newPage();
		page.setDefaultTimeout(WAIT);
		problems = watchProblems(page, ours);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.dispose();
		console.log(`editor e2e on n8n ${version.n8n}: screenshots in ${artifacts}`);
	});

	it('logs in as the owner through the sign-in form', async () => {
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill('owner@example.com');
		await page.locator('input[name="password"]').fill('E2e-owner-pass-1');
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: WAIT });
		expectNoProblems();
	});

	it('shows the trigger with one output per case plus else, labelled by the case labels', async () => {
		await openWorkflow();
		expect(await settled(outputHandles, ['Approved', 'Refunded', 'Chargeback', 'else'])).toEqual(['Approved', 'Refunded', 'Chargeback', 'else']);
		await screenshot('editor-canvas-outputs.png', [canvasNode('Webhook Trigger'), canvasNode('Customer Bind'), canvasNode('Chat Bind')], true);
		expectNoProblems();
	});

	it("opens each node's panel", async () => {
		const trigger = await openPanel('Webhook Trigger');
		await expect(trigger.locator('[data-test-id="parameter-input-path"] input').inputValue()).resolves.toBe('editor-orders');
		await expect(trigger.locator('[data-test-id="fixed-collection-cases"] [data-test-id="parameter-input-label"] input').count()).resolves.toBe(3);
		await trigger.locator('[data-test-id="credentials-label"]', { hasText: 'HMAC Signature' }).waitFor();
		await screenshot('editor-trigger-panel.png', page.locator('[data-test-id="ndv"]'), true);
		await closePanel();
		for (const name of ['Customer Bind', 'Chat Bind']) {
			const panel = await openPanel(name);
			await panel.locator('[data-test-id="parameter-input-store"]').waitFor();
			await screenshot(`panel-${name.replace(' ', '-').toLowerCase()}.png`, page.locator('[data-test-id="ndv"]'));
			await closePanel();
		}
		expectNoProblems();
	});

	it('opens each credential form of the package', async () => {
		for (const { type } of credentialTypes) {
			await page.goto(`${n8n.baseUrl}/home/credentials/${credentialIds[type.name]}`);
			const modal = page.locator('[data-test-id="editCredential-modal"]');
			await modal.getByText(type.displayName, { exact: true }).first().waitFor({ timeout: WAIT });
			const fields = modal.locator('[data-test-id="credential-connection-parameter"]');
			await fields.first().waitFor();
			expect(await fields.count()).toBe(type.properties.filter((property) => property.type !== 'notice').length);
			if (type.name === 'webhookHmacApi') {
				// The credential check the trigger declares (testedBy) ran and passed.
				await modal.locator('[data-test-id="credentials-config-container-test-success"]').waitFor();
				await screenshot('credential-hmac.png', modal);
			}
		}
		expectNoProblems();
	});

	it('"Listen for test event" receives a real signed call and shows its data', async () => {
		await openWorkflow();
		const ndv = await openPanel('Webhook Trigger');
		await ndv.locator('[data-test-id="trigger-execute-button"]').click();
		await ndv.locator('[data-test-id="trigger-listening"]').waitFor();
		const body = JSON.stringify({ event: 'order_approved', customer: { email: 'ana@example.com', phone: '+5511999990000' } });
		const response = await n8n.request('POST', '/webhook-test/editor-orders', {
			headers: { 'content-type': 'application/json', 'x-signature': sign(body, secret) },
			body,
		});
		expect(response.status).toBe(200);
		const output = ndv.locator('[data-test-id="output-panel"]');
		await output.getByText('ana@example.com').first().waitFor();
		await output.getByText('order_approved').first().waitFor();
		await expect(output.getByText('Approved Branch').first().isVisible()).resolves.toBe(true);
		await ndv.locator('[data-test-id="trigger-listening"]').waitFor({ state: 'hidden' });
		await screenshot('editor-test-event.png', page.locator('[data-test-id="ndv"]'), true);
		expectNoProblems();
	});

	it('shows why a rejected test call was rejected instead of waiting', async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="trigger-execute-button"]').click();
		await ndv.locator('[data-test-id="trigger-listening"]').waitFor();
		const body = JSON.stringify({ event: 'order_approved', customer: { email: 'ana@example.com' } });
		const response = await n8n.request('POST', '/webhook-test/editor-orders', {
			headers: { 'content-type': 'application/json', 'x-signature': sign(body, 'not-the-secret') },
			body,
		});
		expect(response.status).toBe(401);
		expect(response.json()).toMatchObject({ error: 'signature_mismatch', explanation: { scheme: 'hmac' } });

		const message = ndv.locator('[data-test-id="node-error-message"]');
		await message.filter({ hasText: 'Test call rejected: signature_mismatch (HTTP 401)' }).waitFor();
		const description = await ndv.locator('[data-test-id="node-error-description"]').innerText();
		expect(description).toContain('The signature does not match the request body');
		expect(description).toContain('header "x-signature" (present)');
		expect(description).toContain('algorithm sha256');
		// Listening has ended: the editor is not left waiting, and n8n no longer serves the test URL.
		await ndv.locator('[data-test-id="trigger-listening"]').waitFor({ state: 'hidden' });
		await ndv.locator('[data-test-id="trigger-execute-button"]', { hasNotText: /stop/i }).waitFor();
		expect((await n8n.request('POST', '/webhook-test/editor-orders', { headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
		const shown = await page.locator('body').innerText();
		expect(shown).not.toContain(secret);
		expect(shown).not.toContain(sign(body, secret).slice(7));
		await screenshot('editor-test-rejected.png', page.locator('[data-test-id="ndv"]'), true);
		expectNoProblems();
	});

	it('replays a stored production delivery to the Test URL: the editor shows it as the test event (Webhook Deliveries, Replay To: Test URL)', async () => {
		// A real delivery, stored by the active inbox workflow (its production URL), then run.
		// Routed to the first case, the output the panel shows first.
		const body = JSON.stringify({ event: 'order_approved', customer: { email: 'replayed.carla@example.com' } });
		const stored = await n8n.request('POST', '/webhook/editor-inbox', { headers: { 'content-type': 'application/json', 'x-signature': sign(body, secret) }, body });
		expect(stored.status).toBe(202);
		const deliveryId = stored.headers.get('x-delivery-id') ?? '';
		expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);

		// Leaving a panel with a changed parameter may ask first: go on.
		const leave = (dialog: { accept: () => Promise<void> }) => void dialog.accept();
		page.on('dialog', leave);
		await page.goto(`${n8n.baseUrl}/workflow/${inboxWorkflowId}`);
		page.off('dialog', leave);
		await canvasNode('Webhook Trigger').waitFor({ timeout: WAIT });
		const ndv = await openPanel('Webhook Trigger');
		await ndv.locator('[data-test-id="trigger-execute-button"]').click();
		await ndv.locator('[data-test-id="trigger-listening"]').waitFor();

		const replay = await n8n.request('POST', '/webhook/editor-replay', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id: deliveryId, url: `${n8n.baseUrl}/webhook-test/editor-inbox` }),
		});
		expect(replay.status).toBe(200);
		expect(replay.json()).toMatchObject({ replayOf: deliveryId, replayTo: 'testUrl', nodeName: 'Webhook Trigger', workflowId: inboxWorkflowId });

		const output = ndv.locator('[data-test-id="output-panel"]');
		await output.getByText('replayed.carla@example.com').first().waitFor();
		await output.getByText(deliveryId).first().waitFor();
		await expect(output.getByText('Approved Branch').first().isVisible()).resolves.toBe(true);
		await ndv.locator('[data-test-id="trigger-listening"]').waitFor({ state: 'hidden' });
		await screenshot('editor-test-replay.png', page.locator('[data-test-id="ndv"]'));

		// The token was used: the same replay again reaches nothing that listens.
		const again = await n8n.request('POST', '/webhook/editor-replay', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id: deliveryId, url: `${n8n.baseUrl}/webhook-test/editor-inbox` }),
		});
		// The workflow's node failed (n8n answers its own error for a "When Last Node Finishes" run).
		expect(again.status).toBeGreaterThanOrEqual(400);
		await closePanel();
		expectNoProblems();

		// Back where the next test expects to be: the orders workflow, its trigger's panel open.
		await openWorkflow();
		await openPanel('Webhook Trigger');
	});

	it('changes the output handles when a case is added in the panel', async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="fixed-collection-add"]', { hasText: 'Add Case' }).click();
		const labels = ndv.locator('[data-test-id="fixed-collection-cases"] [data-test-id="parameter-input-label"] input');
		expect(await settled(async () => await labels.count(), 4)).toBe(4);
		await labels.last().fill('Disputed');
		await ndv.locator('[data-test-id="fixed-collection-cases"] [data-test-id="parameter-input-value"] input').last().fill('dispute_opened');
		await closePanel();
		const added = ['Approved', 'Refunded', 'Chargeback', 'Disputed', 'else'];
		expect(await settled(outputHandles, added)).toEqual(added);
		expectNoProblems();
	});
});
