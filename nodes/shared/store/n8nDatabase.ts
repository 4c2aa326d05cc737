/**
 * Which database n8n itself runs on, read from n8n's own settings the way n8n reads them
 * (@n8n/config: `DB_*`, each also as `<NAME>_FILE`; the variable wins over the file), so the
 * store can follow it: n8n on PostgreSQL → the package's own schema in that database (every
 * n8n process of a queue-mode setup reaches it); n8n on SQLite → the package's own SQLite file
 * beside n8n's. Pure: the environment, a file reader and the home folder are inputs.
 */
import { readFileSync } from 'fs';
import { homedir } from 'os';
import { dirname, join, resolve } from 'path';

import { DEFAULT_SCHEMA } from './types';

/** The package's SQLite file, in the folder of n8n's own database file. */
export const SQLITE_FILE_NAME = 'webhook-gateway.sqlite';

/** A TLS setting as n8n builds it for its own connection (`ssl` of node-postgres). */
export type N8nPostgresSsl = false | true | { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };

export interface N8nPostgres {
	engine: 'postgres';
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	ssl: N8nPostgresSsl;
	/** The package's schema: its own, never n8n's (`DB_POSTGRESDB_SCHEMA`). */
	schema: string;
	connectionTimeoutMillis: number;
}

export interface N8nSqlite {
	engine: 'sqlite';
	/** Absolute path of the package's file. */
	file: string;
}

export type N8nDatabase = N8nPostgres | N8nSqlite;

export interface N8nSettingsSource {
	env: NodeJS.ProcessEnv;
	/** Reads a `_FILE` variable's file (default: fs, UTF-8). */
	readFile?: (path: string) => string;
	/** The home folder when `N8N_USER_FOLDER` is unset (default: os.homedir()). */
	home?: string;
}

/** n8n's `readEnv`: the variable itself, else the trimmed content of the file `<NAME>_FILE` names. */
function settingOf(source: N8nSettingsSource, name: string): string | undefined {
	const { env } = source;
	if (name in env) return env[name];
	const file = env[`${name}_FILE`];
	if (!file) return undefined;
	return (source.readFile ?? ((path) => readFileSync(path, 'utf8')))(file).trim();
}

/** n8n strips one pair of matching quotes around a value. */
function unquoted(value: string): string {
	return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

function text(source: N8nSettingsSource, name: string, fallback: string): string {
	const value = settingOf(source, name);
	return value === undefined ? fallback : unquoted(value);
}

/** As n8n: a value that is not a number (or blank) leaves the default (n8n warns). */
function numberOf(source: N8nSettingsSource, name: string, fallback: number): number {
	const value = settingOf(source, name);
	if (value === undefined || unquoted(value) === '') return fallback;
	const parsed = Number(value);
	return Number.isNaN(parsed) ? fallback : parsed;
}

/** As n8n: `true`/`1` and `false`/`0` (any case); anything else leaves the default. */
function flag(source: N8nSettingsSource, name: string, fallback: boolean): boolean {
	const value = (settingOf(source, name) ?? '').toLowerCase();
	if (value === 'true' || value === '1') return true;
	if (value === 'false' || value === '0') return false;
	return fallback;
}

/** n8n's own rule (@n8n/db `getPostgresConnectionOptions`). */
function sslOf(source: N8nSettingsSource): N8nPostgresSsl {
	const ca = text(source, 'DB_POSTGRESDB_SSL_CA', '');
	const cert = text(source, 'DB_POSTGRESDB_SSL_CERT', '');
	const key = text(source, 'DB_POSTGRESDB_SSL_KEY', '');
	const rejectUnauthorized = flag(source, 'DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED', true);
	if (ca !== '' || cert !== '' || key !== '' || !rejectUnauthorized) {
		return { ca: ca || undefined, cert: cert || undefined, key: key || undefined, rejectUnauthorized };
	}
	return flag(source, 'DB_POSTGRESDB_SSL_ENABLED', false);
}

/** n8n's folder: `<N8N_USER_FOLDER or home>/.n8n`. */
export function n8nFolderOf(source: N8nSettingsSource): string {
	const base = text(source, 'N8N_USER_FOLDER', '') || (source.home ?? homedir());
	return join(base, '.n8n');
}

/**
 * The database n8n runs on, as the store should use it. MySQL/MariaDB (n8n 1.x only, deprecated
 * there) get the SQLite file too: the package's tables need no server of n8n's.
 */
export function n8nDatabaseOf(source: N8nSettingsSource = { env: process.env }): N8nDatabase {
	const type = text(source, 'DB_TYPE', 'sqlite');
	if (type === 'postgresdb') {
		return {
			engine: 'postgres',
			host: text(source, 'DB_POSTGRESDB_HOST', 'localhost'),
			port: numberOf(source, 'DB_POSTGRESDB_PORT', 5432),
			database: text(source, 'DB_POSTGRESDB_DATABASE', 'n8n'),
			user: text(source, 'DB_POSTGRESDB_USER', 'postgres'),
			password: text(source, 'DB_POSTGRESDB_PASSWORD', ''),
			ssl: sslOf(source),
			schema: DEFAULT_SCHEMA,
			connectionTimeoutMillis: numberOf(source, 'DB_POSTGRESDB_CONNECTION_TIMEOUT', 20_000),
		};
	}
	const n8nFile = resolve(n8nFolderOf(source), text(source, 'DB_SQLITE_DATABASE', 'database.sqlite'));
	return { engine: 'sqlite', file: join(dirname(n8nFile), SQLITE_FILE_NAME) };
}
