import { existsSync, mkdtempSync, realpathSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NodeOperationError } from 'n8n-workflow';
import { ChatBind } from '../../../nodes/ChatBind/ChatBind.node';
import { CustomerBind } from '../../../nodes/CustomerBind/CustomerBind.node';
import { closeAllStores } from '../../../nodes/shared/store/open';
import { sqliteSupported } from '../../../nodes/shared/store/sqlite';
import { Client } from 'pg';
import { eachBacking, enginesUnderTest, n8nPostgresSettings } from '../../support/defaultStore';
import { fakeExecuteContext, n8nFileHelpers } from '../../support/executeContext';

/**
 * Customer Bind and Chat Bind as n8n runs them (execute() on a context), on the default store as
 * n8n backs it: a SQLite file beside n8n's database, or n8n's own PostgreSQL.
 */
jest.setTimeout(120_000);

let root: string;
let n8nFolder: string;
const saved = { userFolder: process.env.N8N_USER_FOLDER };
/** Distinct people per run: n8n's PostgreSQL schema outlives the run. */
const run = `${process.pid}${Date.now().toString(36)}`;
const phone = `11933${String(Date.now() % 1_000_000).padStart(6, '0')}`;

/** A fresh n8n user folder for each group: what one group's binds leave there is not another's. */
function useUserFolder(name: string): void {
	process.env.N8N_USER_FOLDER = join(root, name);
	n8nFolder = join(root, name, '.n8n');
}

beforeAll(() => {
	root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-nodes-')));
	useUserFolder('user');
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

function customerBind(options: Record<string, unknown>, fields = customerFields(`a.${run}@x.io`, ''), continueOnFail = false) {
	const context = fakeExecuteContext({
		parameters: { store: 'embedded', fields, options },
		// n8n blocks nodes from its own folder by default; the package's default file is inside it.
		helpers: n8nFileHelpers({ n8nFolder }),
		continueOnFail,
	});
	return new CustomerBind().execute.call(context);
}

eachBacking('Customer Bind output, default store on %s', (name, backing) => {
	beforeAll(() => {
		useUserFolder(`user-${name.includes('SQLite') ? 'sqlite' : 'postgres'}`);
		backing.use();
	});
	afterAll(async () => {
		await closeAllStores();
		backing.restore();
	});

	it('reports contacts it could not attach (skippedContacts) on the item', async () => {
		const bob = await customerBind({ defaultCountry: 'BR' }, customerFields(`bob.${run}@example.com`, phone));
		expect(bob[0][0].json.skippedContacts).toEqual([]);
		const ana = await customerBind({ defaultCountry: 'BR' }, customerFields(`ana.${run}@example.com`, phone));
		expect(ana[0][0].json).toMatchObject({
			customerAction: 'created',
			skippedContacts: [{ type: 'whatsapp', value: `+55${phone}`, customerId: (bob[0][0].json.customer as { id: string }).id }],
		});
		// The trusted default: the package's file beside n8n's own database (none when n8n is on PostgreSQL).
		expect(existsSync(join(n8nFolder, 'webhook-gateway.sqlite'))).toBe(name.includes('SQLite'));
	});
});

describe('Embedded Data Folder through the nodes (n8n on SQLite)', () => {
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

	(sqliteSupported() ? it : it.skip)('keeps the SQLite file in an allowed folder it names, shared by both nodes', async () => {
		useUserFolder('user-folder-option');
		const folder = join(root, 'shared-store');
		const [[item]] = await customerBind({ embeddedFolder: folder });
		expect(item.json).toMatchObject({ customerAction: 'created' });
		const chat = fakeExecuteContext({
			parameters: { store: 'embedded', channel: 'whatsapp', contactType: 'whatsapp', contact: '+5511933333333', options: { embeddedFolder: folder } },
			helpers: n8nFileHelpers({ n8nFolder }),
		});
		const [[bound]] = await new ChatBind().execute.call(chat);
		expect(bound.json).toMatchObject({ chatAction: 'created' });
		expect(existsSync(join(folder, 'webhook-gateway.sqlite'))).toBe(true);
		expect(existsSync(join(n8nFolder, 'webhook-gateway.sqlite'))).toBe(false);
	});

	(sqliteSupported() ? it.skip : it)('below Node 22.13 both nodes name the PostgreSQL store', async () => {
		const tooOld = /needs Node\.js 22\.13 or later; this n8n runs on Node\.js .*Use the PostgreSQL store\.$/;
		await expect(customerBind({})).rejects.toThrow(tooOld);
		const chat = fakeExecuteContext({
			parameters: { store: 'embedded', channel: 'whatsapp', contactType: 'whatsapp', contact: '+5511933333333', options: {} },
			helpers: n8nFileHelpers({ n8nFolder }),
		});
		const error = await new ChatBind().execute.call(chat).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(tooOld);
	});
});

// Skipped where the run is SQLite's alone (the store-node24 project; PostgreSQL ran before it) or
// there is no PostgreSQL (README: Tests; CI always has one).
(enginesUnderTest().includes('postgres') && process.env.TEST_POSTGRES_URL ? describe : describe.skip)("n8n's own PostgreSQL", () => {
	it('keeps the tables in a schema of its own (its DB_* settings), also in queue mode', async () => {
		const url = process.env.TEST_POSTGRES_URL as string;
		const n8nSettings = { ...n8nPostgresSettings(url), EXECUTIONS_MODE: 'queue' };
		const before = { ...process.env };
		Object.assign(process.env, n8nSettings);
		const email = `n8n-db.${run}@example.com`;
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
