import type { PostgresCredentials } from '../../nodes/shared/store/types';

/** A connection URL (TEST_POSTGRES_URL) as the fields of the package's PostgreSQL credential. */
export function postgresCredentialsFromUrl(connectionUrl: string, schema: string): PostgresCredentials {
	const url = new URL(connectionUrl);
	return {
		host: url.hostname,
		port: Number(url.port || 5432),
		database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
		user: decodeURIComponent(url.username) || 'postgres',
		password: decodeURIComponent(url.password),
		ssl: 'disable',
		schema,
	};
}
