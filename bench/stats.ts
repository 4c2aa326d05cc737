/** Small statistics for benchmark tables: median and range over rounds, percentiles of latencies. */

export const median = (values: number[]): number => {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Nearest-rank percentile of an ascending array. */
export const percentile = (ascending: number[], p: number): number =>
	ascending.length ? ascending[Math.min(ascending.length - 1, Math.max(0, Math.ceil((p / 100) * ascending.length) - 1))] : NaN;

export interface Spread {
	median: number;
	min: number;
	max: number;
}

export const spread = (values: number[]): Spread => ({
	median: median(values),
	min: Math.min(...values),
	max: Math.max(...values),
});

const digits = (value: number) => (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
export const fmt = (value: number, places = digits(value)): string => (Number.isFinite(value) ? value.toFixed(places) : '–');

/** "median (min–max)". */
export const fmtSpread = (s: Spread, places?: number): string =>
	`${fmt(s.median, places)} (${fmt(s.min, places)}–${fmt(s.max, places)})`;

/** A Markdown table: readable in a terminal, pasteable into README. */
export function markdownTable(header: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
