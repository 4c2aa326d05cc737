import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NodeOperationError } from 'n8n-workflow';
import { toNodeError } from '../../../nodes/shared/storeAccess';
import { defaultEmbeddedFolder, defaultSqliteFile, embeddedFolderFor } from '../../../nodes/shared/storeResolver';
import { EmbeddedStoreError } from '../../../nodes/shared/store/types';
import { fakeExecuteContext, n8nFileHelpers } from '../../support/executeContext';
import type { FileAccessRules } from '../../support/executeContext';

let root: string;
let userFolder: string;
let n8nFolder: string;
const savedUserFolder = process.env.N8N_USER_FOLDER;

beforeEach(() => {
	root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-access-')));
	userFolder = join(root, 'user');
	n8nFolder = join(userFolder, '.n8n');
	mkdirSync(n8nFolder, { recursive: true });
	process.env.N8N_USER_FOLDER = userFolder;
});

afterEach(() => {
	rmSync(root, { recursive: true, force: true });
	if (savedUserFolder === undefined) delete process.env.N8N_USER_FOLDER;
	else process.env.N8N_USER_FOLDER = savedUserFolder;
});

function folderFor(configured: string, rules: Partial<FileAccessRules> = {}) {
	const helpers = n8nFileHelpers({ n8nFolder, ...rules });
	const context = fakeExecuteContext({ parameters: {}, helpers });
	return { result: embeddedFolderFor(context, configured), checked: helpers.checked };
}

const notAllowed = (configured: string, resolved: string) =>
	new EmbeddedStoreError(`Embedded Data Folder "${configured}" (${resolved}) is not allowed by n8n's file-access rules.`, '');

describe('Embedded Data Folder and n8n file-access rules', () => {
	it("trusts the default: n8n's own folder, beside its database, which n8n blocks for nodes", async () => {
		expect(defaultEmbeddedFolder()).toBe(n8nFolder);
		expect(defaultSqliteFile()).toBe(join(n8nFolder, 'webhook-gateway.sqlite'));
		for (const configured of ['', '   ', '.', n8nFolder, join(n8nFolder, 'x', '..')]) {
			const { result, checked } = folderFor(configured);
			await expect(result).resolves.toBe(defaultEmbeddedFolder());
			expect(checked).toEqual([]);
		}
	});

	it.each([
		['a relative path into n8n folder', 'nodes', () => join(n8nFolder, 'nodes')],
		['.. back into n8n folder', () => join(root, 'data', '..', 'user', '.n8n', 'database'), () => join(n8nFolder, 'database')],
		['a folder under the default one', () => join(n8nFolder, 'webhook-gateway', 'inner'), () => join(n8nFolder, 'webhook-gateway', 'inner')],
	] as Array<[string, string | (() => string), () => string]>)('refuses %s', async (_name, configuredOf, resolvedOf) => {
		const configured = typeof configuredOf === 'string' ? configuredOf : configuredOf();
		const { result, checked } = folderFor(configured);
		await expect(result).rejects.toEqual(notAllowed(configured, resolvedOf()));
		expect(checked).toEqual([resolvedOf()]); // n8n judged the resolved path, not the text typed
	});

	it("follows n8n's database file when DB_SQLITE_DATABASE moves it", () => {
		const saved = process.env.DB_SQLITE_DATABASE;
		process.env.DB_SQLITE_DATABASE = join(root, 'db', 'n8n.sqlite');
		try {
			expect(defaultSqliteFile()).toBe(join(root, 'db', 'webhook-gateway.sqlite'));
			expect(defaultEmbeddedFolder()).toBe(join(root, 'db'));
		} finally {
			if (saved === undefined) delete process.env.DB_SQLITE_DATABASE;
			else process.env.DB_SQLITE_DATABASE = saved;
		}
	});

	it('accepts a folder outside n8n folder when no restriction is set', async () => {
		const { result, checked } = folderFor(join(root, 'data', 'store'));
		await expect(result).resolves.toBe(join(root, 'data', 'store'));
		expect(checked).toEqual([join(root, 'data', 'store')]);
	});

	it('accepts a new folder several levels deep (n8n resolvePath alone fails there)', async () => {
		const { result, checked } = folderFor(join(root, 'data', 'a', 'b'));
		await expect(result).resolves.toBe(join(root, 'data', 'a', 'b'));
		expect(checked).toEqual([join(root, 'data', 'a', 'b')]);
	});

	it('obeys N8N_RESTRICT_FILE_ACCESS_TO: inside the allowed folder only', async () => {
		const allowed = join(root, 'allowed');
		await expect(folderFor(join(allowed, 'store'), { restrictTo: [allowed] }).result).resolves.toBe(join(allowed, 'store'));
		const escape = join(allowed, '..', 'elsewhere');
		await expect(folderFor(escape, { restrictTo: [allowed] }).result).rejects.toEqual(notAllowed(escape, join(root, 'elsewhere')));
	});

	it('judges a symlink by its target, also when the last parts do not exist yet', async () => {
		const allowed = join(root, 'allowed');
		mkdirSync(allowed);
		symlinkSync(n8nFolder, join(allowed, 'link'));
		const configured = join(allowed, 'link', 'store');
		const { result, checked } = folderFor(configured, { restrictTo: [allowed] });
		await expect(result).rejects.toEqual(notAllowed(configured, join(n8nFolder, 'store')));
		expect(checked).toEqual([join(n8nFolder, 'store')]);
	});

	it('allows n8n folder when N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false', async () => {
		await expect(folderFor('other-store', { blockN8nFiles: false }).result).resolves.toBe(join(n8nFolder, 'other-store'));
	});

	it('honours an n8n 1.x helper that resolves the path itself and answers with a promise', async () => {
		const seen: string[] = [];
		const helpers = { isFilePathBlocked: async (path: string) => (seen.push(path), path.startsWith(n8nFolder)) };
		const context = fakeExecuteContext({ parameters: {}, helpers });
		await expect(embeddedFolderFor(context, 'nodes')).rejects.toBeInstanceOf(EmbeddedStoreError);
		await expect(embeddedFolderFor(context, join(root, 'data'))).resolves.toBe(join(root, 'data'));
		expect(seen).toEqual([join(n8nFolder, 'nodes'), join(root, 'data')]);
	});

	it('refuses a configured folder where n8n offers no check, but keeps the default working', async () => {
		const context = fakeExecuteContext({ parameters: {}, helpers: {} });
		await expect(embeddedFolderFor(context, join(root, 'data'))).rejects.toThrow(
			`Embedded Data Folder "${join(root, 'data')}" cannot be checked against n8n's file-access rules in this n8n version`,
		);
		await expect(embeddedFolderFor(context, '')).resolves.toBe(defaultEmbeddedFolder());
	});

	it('turns the refusal into a NodeOperationError for the item', () => {
		const context = fakeExecuteContext({ parameters: {} });
		const error = toNodeError(context, new EmbeddedStoreError('Folder refused.', 'Choose another folder.'), 3);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Folder refused.');
		expect((error as NodeOperationError).description).toBe('Choose another folder. Nothing was written for this item.');
	});
});
