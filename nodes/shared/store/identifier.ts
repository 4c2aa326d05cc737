import { FieldError } from './normalize';

/** Unquoted-identifier shape, ≤ 63 bytes (PostgreSQL's limit); the only text ever spliced into SQL. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function assertIdentifier(name: string, field = 'schema'): string {
	if (!IDENTIFIER.test(name)) {
		throw new FieldError(
			field,
			`${field} "${name}" is not a valid name: use letters, digits and '_', starting with a letter or '_', at most 63 characters`,
		);
	}
	return name;
}

/** Double-quoted identifier (validated first, so quoting never has to escape anything). */
export function quoteIdentifier(name: string, field = 'schema'): string {
	return `"${assertIdentifier(name, field)}"`;
}
