import { n8nDatabaseOf, n8nFolderOf, SQLITE_FILE_NAME } from '../../../nodes/shared/store/n8nDatabase';

const home = '/home/n8n';
const files: Record<string, string> = {
	'/run/secrets/db-password': 'from-a-file\n',
	'/run/secrets/db-host': '  db.internal  ',
	'/run/secrets/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
};
const readFile = (path: string) => {
	if (!(path in files)) throw new Error(`ENOENT: ${path}`);
	return files[path];
};
const of = (env: NodeJS.ProcessEnv) => n8nDatabaseOf({ env, readFile, home });

describe("n8n's database, read as n8n reads its settings", () => {
	it('defaults to SQLite: the package file beside n8n\'s database.sqlite in <home>/.n8n', () => {
		expect(of({})).toEqual({ engine: 'sqlite', file: `/home/n8n/.n8n/${SQLITE_FILE_NAME}` });
		expect(n8nFolderOf({ env: {}, home })).toBe('/home/n8n/.n8n');
	});

	it('follows N8N_USER_FOLDER and a DB_SQLITE_DATABASE in another folder (relative to n8n\'s folder, or absolute)', () => {
		expect(of({ N8N_USER_FOLDER: '/data' })).toEqual({ engine: 'sqlite', file: `/data/.n8n/${SQLITE_FILE_NAME}` });
		expect(of({ N8N_USER_FOLDER: '/data', DB_SQLITE_DATABASE: 'db/main.sqlite' })).toEqual({
			engine: 'sqlite',
			file: `/data/.n8n/db/${SQLITE_FILE_NAME}`,
		});
		expect(of({ DB_SQLITE_DATABASE: '/var/lib/n8n/n8n.sqlite' })).toEqual({
			engine: 'sqlite',
			file: `/var/lib/n8n/${SQLITE_FILE_NAME}`,
		});
	});

	it("uses n8n's PostgreSQL with n8n's defaults and the package's own schema, never n8n's", () => {
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_SCHEMA: 'public' })).toEqual({
			engine: 'postgres',
			host: 'localhost',
			port: 5432,
			database: 'n8n',
			user: 'postgres',
			password: '',
			ssl: false,
			schema: 'webhook_gateway',
			connectionTimeoutMillis: 20_000,
		});
	});

	it('reads every setting from its variable or, when the variable is unset, from the file <NAME>_FILE names (trimmed)', () => {
		const db = of({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST_FILE: '/run/secrets/db-host',
			DB_POSTGRESDB_PORT: '6543',
			DB_POSTGRESDB_DATABASE: '"n8n_prod"',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD_FILE: '/run/secrets/db-password',
			DB_POSTGRESDB_CONNECTION_TIMEOUT: '60000',
		});
		expect(db).toMatchObject({
			engine: 'postgres',
			host: 'db.internal',
			port: 6543,
			database: 'n8n_prod',
			user: 'n8n',
			password: 'from-a-file',
			connectionTimeoutMillis: 60_000,
		});
		// The variable wins over its file, as in n8n.
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_PASSWORD: 'direct', DB_POSTGRESDB_PASSWORD_FILE: '/run/secrets/db-password' })).toMatchObject({
			password: 'direct',
		});
	});

	it('builds TLS exactly as n8n does: enabled alone → true; a CA, cert, key or rejectUnauthorized=false → an object', () => {
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_SSL_ENABLED: 'true' })).toMatchObject({ ssl: true });
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_SSL_ENABLED: 'TRUE', DB_POSTGRESDB_SSL_CA_FILE: '/run/secrets/ca.pem' })).toMatchObject({
			ssl: { ca: files['/run/secrets/ca.pem'].trim(), cert: undefined, key: undefined, rejectUnauthorized: true },
		});
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'false' })).toMatchObject({
			ssl: { rejectUnauthorized: false },
		});
	});

	it("leaves n8n's default where n8n would (a port that is not a number, a flag that is not a boolean)", () => {
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_PORT: 'five', DB_POSTGRESDB_SSL_ENABLED: 'yes' })).toMatchObject({
			port: 5432,
			ssl: false,
		});
		expect(of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_PORT: '' })).toMatchObject({ port: 5432 });
	});

	it('gives MySQL/MariaDB (n8n 1.x) the SQLite file: the package needs no server of its own', () => {
		expect(of({ DB_TYPE: 'mysqldb', N8N_USER_FOLDER: '/srv' })).toEqual({ engine: 'sqlite', file: `/srv/.n8n/${SQLITE_FILE_NAME}` });
	});

	it('fails with the file named when a _FILE variable points nowhere', () => {
		expect(() => of({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_PASSWORD_FILE: '/run/secrets/missing' })).toThrow('/run/secrets/missing');
	});
});
