import { sqliteSupported } from '../../nodes/shared/store/sqlite';

/**
 * The two ways n8n backs the nodes' default store, as rows for describe.each: n8n on SQLite (the
 * package's SQLite file beside n8n's; needs node:sqlite — under jest on Node 20 the store-node24
 * project runs it) and n8n on PostgreSQL (TEST_POSTGRES_URL as n8n's own DB_* settings). `use()`
 * sets n8n's settings for the suite, `restore()` puts them back.
 */
export interface DefaultStoreBacking {
	use(): void;
	restore(): void;
}

const N8N_DB_SETTINGS = ['DB_TYPE', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_PORT', 'DB_POSTGRESDB_DATABASE', 'DB_POSTGRESDB_USER', 'DB_POSTGRESDB_PASSWORD'];

function backing(settings: Record<string, string>): DefaultStoreBacking {
	const saved: Record<string, string | undefined> = {};
	return {
		use: () => {
			for (const name of N8N_DB_SETTINGS) {
				saved[name] = process.env[name];
				if (name in settings) process.env[name] = settings[name];
				else delete process.env[name];
			}
		},
		restore: () => {
			for (const name of N8N_DB_SETTINGS) {
				if (saved[name] === undefined) delete process.env[name];
				else process.env[name] = saved[name];
			}
		},
	};
}

/** n8n's DB_* settings for the PostgreSQL server of `url`. */
export function n8nPostgresSettings(url: string): Record<string, string> {
	const parsed = new URL(url);
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: parsed.hostname,
		DB_POSTGRESDB_PORT: parsed.port || '5432',
		DB_POSTGRESDB_DATABASE: decodeURIComponent(parsed.pathname.slice(1)),
		DB_POSTGRESDB_USER: decodeURIComponent(parsed.username) || 'postgres',
		DB_POSTGRESDB_PASSWORD: decodeURIComponent(parsed.password),
	};
}

/** TEST_STORE_ENGINES (default `postgres,sqlite`): the engines this run tests, as the store suites read it. */
export function enginesUnderTest(): string[] {
	return (process.env.TEST_STORE_ENGINES ?? 'postgres,sqlite').split(',').map((engine) => engine.trim());
}

/** Rows [name, backing] for what this Node and environment can run. */
function defaultStoreBackings(): Array<[string, DefaultStoreBacking]> {
	const rows: Array<[string, DefaultStoreBacking]> = [];
	const engines = enginesUnderTest();
	if (engines.includes('sqlite') && sqliteSupported()) rows.push(["a SQLite file beside n8n's database", backing({})]);
	const url = process.env.TEST_POSTGRES_URL;
	if (engines.includes('postgres') && url) rows.push(["n8n's own PostgreSQL", backing(n8nPostgresSettings(url))]);
	return rows;
}

/** `describe.each` over those backings, or one skipped group saying why there is none. */
export function eachBacking(name: string, fn: (backingName: string, backing: DefaultStoreBacking) => void): void {
	const rows = defaultStoreBackings();
	if (rows.length > 0) describe.each(rows)(name, fn);
	else describe.skip(name.replace('%s', 'no backing'), () => it('needs PostgreSQL (TEST_POSTGRES_URL) or SQLite (Node 22.13+)', () => undefined));
}
