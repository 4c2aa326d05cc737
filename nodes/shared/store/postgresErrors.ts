/**
 * Which PostgreSQL errors mean "the store cannot be reached" (server down, wrong host, port,
 * database or password, too many connections) rather than "this query is wrong": the nodes answer
 * the first with 503 / a connection message, the second as a failure of the query.
 */
import type { PostgresCredentials } from './types';
import { StoreConnectionError } from './types';

function target(credentials: PostgresCredentials): string {
	return `${credentials.host}:${credentials.port} (database "${credentials.database}", user "${credentials.user}")`;
}

/** Network failures, timeouts, auth and missing database: the store is unreachable, not the query wrong. */
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'28000', // invalid_authorization_specification
	'28P01', // invalid_password
	'3D000', // invalid_catalog_name (database does not exist)
	'57P03', // cannot_connect_now (starting up / shutting down)
	'53300', // too_many_connections
]);

export function errorMessage(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	// Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) throws an AggregateError with no message.
	const inner = (error as Error & { errors?: unknown[] }).errors?.find((e): e is Error => e instanceof Error);
	return error.message || inner?.message || (error as Error & { code?: string }).code || error.name;
}

function isConnectionError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
	return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(
		errorMessage(error),
	);
}

export function asStoreError(error: unknown, credentials: PostgresCredentials): unknown {
	if (!isConnectionError(error)) return error;
	return new StoreConnectionError(`Could not connect to PostgreSQL at ${target(credentials)}: ${errorMessage(error)}`, error);
}
