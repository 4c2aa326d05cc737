import { existsSync, mkdtempSync, realpathSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NodeOperationError } from 'n8n-workflow';
import { ChatBind } from '../../../nodes/ChatBind/ChatBind.node';
import { CustomerBind } from '../../../nodes/CustomerBind/CustomerBind.node';
import { closeAllStores } from '../../../nodes/shared/store/open';
import { Client } from 'pg';
import { fakeExecuteContext, n8nFileHelpers } from '../../support/executeContext';
import { StoreWorker } from '../../support/storeWorkers';
import '../store/targets'; // loads PGlite with Node's own loader

/** Customer Bind and Chat Bind as n8n runs them (execute() on a context), on the embedded store. */
jest.setTimeout(120_000);

let root: string;
let n8nFolder: string;
const saved = { userFolder: process.env.N8N_USER_FOLDER, mode: process.env.EXECUTIONS_MODE };

beforeAll(() => {
	root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-nodes-')));
	process.env.N8N_USER_FOLDER = join(root, 'user');
	n8nFolder = join(root, 'user', '.n8n');
});

afterEach(() => {
	if (saved.mode === undefined) delete process.env.EXECUTIONS_MODE;
	else process.env.EXECUTIONS_MODE = saved.mode;
});

afterAll(async () => {
	await closeAllStores();
	rmSync(root, { recursive: true, force: true });
	if (saved.userFolder === undefined) delete process.env.N8N_USER_FOLDER;
	else process.env.N8N_USER_FOLDER = saved.userFolder;
});

const customerFields = (email: string, whatsapp: string) => ({
	values: [
		{ field: 'email', value: email, find: true },
		{ field: 'whatsapp', value: whatsapp, find: false },
	],
});

function customerBind(options: Record<string, unknown>, fields = customerFields('a@x.io', ''), continueOnFail = false) {
	const context = fakeExecuteContext({
		parameters: { store: 'embedded', fields, options },
		// n8n blocks nodes from its own folder by default; the package's default folder is inside it.
		helpers: n8nFileHelpers({ n8nFolder }),
		continueOnFail,
	});
	return new CustomerBind().execute.call(context);
}

describe('Customer Bind output', () => {
	it('reports contacts it could not attach (skippedContacts) on the item', async () => {
		const bob = await customerBind({ defaultCountry: 'BR' }, customerFields('bob@example.com', '11933333333'));
		expect(bob[0][0].json.skippedContacts).toEqual([]);
		const ana = await customerBind({ defaultCountry: 'BR' }, customerFields('ana@example.com', '11933333333'));
		expect(ana[0][0].json).toMatchObject({
			customerAction: 'created',
			skippedContacts: [
				{ type: 'whatsapp', value: '+5511933333333', customerId: (bob[0][0].json.customer as { id: string }).id },
			],
		});
		expect(existsSync(join(n8nFolder, 'webhook-gateway', 'PG_VERSION'))).toBe(true); // the trusted default
	});
});

describe('Embedded Data Folder through the nodes', () => {
	it("refuses a folder n8n's file-access rules block, creating nothing there", async () => {
		const configured = join(n8nFolder, 'elsewhere');
		const error = await customerBind({ embeddedFolder: configured }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(
			`Embedded Data Folder "${configured}" (${configured}) is not allowed by n8n's file-access rules.`,
		);
		expect(existsSync(configured)).toBe(false);

		const [[item]] = await customerBind({ embeddedFolder: '../.n8n/nodes' }, customerFields('a@x.io', ''), true);
		expect(item.json.error).toBe(
			`Embedded Data Folder "../.n8n/nodes" (${join(n8nFolder, 'nodes')}) is not allowed by n8n's file-access rules.`,
		);
	});

	it('tells the second process to use the PostgreSQL store', async () => {
		const folder = join(root, 'shared-store');
		const other = await StoreWorker.start(folder);
		try {
			expect(await other.send({ cmd: 'open' })).toEqual({ ok: true });
			const error = await customerBind({ embeddedFolder: folder }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as Error).message).toMatch(
				new RegExp(`^The embedded store folder "${folder}" is in use by another process \\(pid ${other.pid} .*use the PostgreSQL store`),
			);
		} finally {
			await other.stop();
		}
	});

	it('refuses the embedded store in queue mode, in both nodes', async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		const queueMode = /cannot be used in n8n queue mode \(EXECUTIONS_MODE=queue\): use the PostgreSQL store\.$/;
		await expect(customerBind({})).rejects.toThrow(queueMode);
		const chat = fakeExecuteContext({
			parameters: { store: 'embedded', channel: 'whatsapp', contactType: 'whatsapp', contact: '+5511933333333', options: {} },
			helpers: n8nFileHelpers({ n8nFolder }),
		});
		const error = await new ChatBind().execute.call(chat).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(queueMode);
	});

	it("uses n8n's own PostgreSQL (its DB_* settings, a schema of its own) when n8n runs on it, also in queue mode", async () => {
		const url = process.env.TEST_POSTGRES_URL;
		if (!url) throw new Error('TEST_POSTGRES_URL is not set (README: Tests)');
		const server = new URL(url);
		const n8nSettings = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: server.hostname,
			DB_POSTGRESDB_PORT: server.port || '5432',
			DB_POSTGRESDB_DATABASE: server.pathname.slice(1),
			DB_POSTGRESDB_USER: decodeURIComponent(server.username) || 'postgres',
			DB_POSTGRESDB_PASSWORD: decodeURIComponent(server.password),
		};
		const before = { ...process.env };
		Object.assign(process.env, n8nSettings, { EXECUTIONS_MODE: 'queue' });
		const email = `n8n-db.${Date.now()}@example.com`;
		try {
			const [[item]] = await customerBind({}, customerFields(email, ''));
			expect(item.json).toMatchObject({ customerAction: 'created' });
		} finally {
			for (const name of Object.keys(n8nSettings)) {
				if (before[name] === undefined) delete process.env[name];
				else process.env[name] = before[name];
			}
		}
		const client = new Client({ connectionString: url });
		await client.connect();
		try {
			const { rows } = await client.query('select count(*)::int as n from webhook_gateway.customers where email = $1', [email]);
			expect(rows).toEqual([{ n: 1 }]);
		} finally {
			await client.end();
		}
	});
});
