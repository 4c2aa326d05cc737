import { readFileSync } from 'fs';
import { join } from 'path';

/** One row of the reasons table (docs/reasons.md). */
export interface DocumentedReason {
	/** The backquoted codes of its Reason (or `error`) column. */
	codes: string[];
	/** Its Status column's statuses; none for `—`. */
	statuses: number[];
	/** Its other columns by header (Outcome, Cause, Fix), as written. */
	cells: Record<string, string>;
}

function cellsOf(line: string): string[] {
	return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

/**
 * The reasons table of docs/reasons.md ("Rejections"), row by row. Columns are found by their
 * header (`Reason` or `error` for the codes, `Status`), so the table may gain or reorder columns.
 */
export function documentedReasons(): DocumentedReason[] {
	const page = readFileSync(join(__dirname, '../../../docs/reasons.md'), 'utf8');
	const section = page.split('\n## Rejections\n')[1]?.split('\n## ')[0] ?? '';
	const lines = section.split('\n').filter((line) => line.startsWith('|'));
	const header = cellsOf(lines[0] ?? '');
	const codeColumn = header.findIndex((cell) => /^(Reason|`error`)$/.test(cell));
	const statusColumn = header.indexOf('Status');
	const rows: DocumentedReason[] = [];
	for (const line of lines.slice(2)) {
		const cells = cellsOf(line);
		const codes = [...(cells[codeColumn] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1]);
		if (codes.length === 0) continue;
		const statuses = [...(cells[statusColumn] ?? '').matchAll(/\b(\d{3})\b/g)].map((match) => Number(match[1]));
		const named: Record<string, string> = {};
		header.forEach((name, index) => {
			if (index !== codeColumn && index !== statusColumn) named[name] = cells[index] ?? '';
		});
		rows.push({ codes, statuses, cells: named });
	}
	return rows;
}

/**
 * The refusals docs/reasons.md documents, read from its table: each `error` code with the
 * statuses it is answered with. The property tests check every rejection against this, so an
 * undocumented code fails them. `verification_error` (a verifier threw) is in the table for whoever
 * finds it in the delivery log, but is no refusal to expect: it is left out here, so a verifier's
 * exception still fails the property tests.
 */
export function documentedRejections(): Map<string, Set<number>> {
	const documented = new Map<string, Set<number>>();
	for (const row of documentedReasons()) {
		for (const code of row.codes) {
			if (code === 'verification_error') continue;
			documented.set(code, new Set([...(documented.get(code) ?? []), ...row.statuses]));
		}
	}
	return documented;
}
