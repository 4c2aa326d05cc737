/**
 * Who n8n's JS thread worked for, from a V8 CPU profile (the inspector's `Profiler.stop`): each
 * sample goes to the first frame, from the leaf up, that belongs to a known owner (this package,
 * n8n's packages, typeorm, the HTTP stack). Native and Node-internal frames have no owner of
 * their own, so SQLite's native work lands on the package file that ran the statement, and a
 * JSON.parse on whoever called it. GC and V8's unattributed "(program)" time are their own rows.
 * `npm run bench` with BENCH_PROFILE=1 prints it per target, in µs per answer.
 */

export interface CpuProfile {
	nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
	samples: number[];
	timeDeltas: number[];
}

const PACKAGE = 'package';

/** The owner of a script, or undefined for Node's internals and native code (attributed to their caller). */
function ownerOfUrl(url: string): string | undefined {
	if (!url || url.startsWith('node:')) return undefined;
	// The package a script is in: the one after its last node_modules (n8n's install folders may carry this package's name).
	const inModules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.slice(url.lastIndexOf('/node_modules/')));
	if (!inModules) return 'other scripts';
	const name = inModules[1];
	if (name === 'n8n-nodes-webhook-gateway') return PACKAGE;
	if (name === 'n8n' || name === 'n8n-core' || name === 'n8n-workflow' || name === 'typeorm' || name === 'sqlite3') return name;
	if (name.startsWith('@n8n/')) return '@n8n/*';
	if (['express', 'body-parser', 'raw-body', 'router', 'finalhandler', 'send', 'on-finished', 'iconv-lite', 'qs', 'cookie-parser', 'compression'].includes(name)) return 'express and body parsing';
	return 'other dependencies';
}

const SPECIAL = new Map([
	['(garbage collector)', 'GC'],
	['(program)', '(program)'],
	['(idle)', '(idle)'],
	['(root)', '(program)'],
]);

/**
 * µs of samples per owner (and, for the package, per file: `package: sqlite.js`), idle left out.
 * A sample lasts until the next one (V8's timeDeltas[i] is the gap before sample i).
 */
export function splitProfile(profile: CpuProfile): Map<string, number> {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const ownerCache = new Map<number, string>();
	const ownerOf = (id: number): string => {
		const cached = ownerCache.get(id);
		if (cached !== undefined) return cached;
		const leaf = byId.get(id)!;
		let owner = SPECIAL.get(leaf.callFrame.functionName);
		for (let at: number | undefined = id; owner === undefined && at !== undefined; at = parent.get(at)) {
			const { url } = byId.get(at)!.callFrame;
			const found = ownerOfUrl(url);
			// A package file's native work is named by the native call (node:sqlite's exec, run, …).
			if (found === PACKAGE) owner = `${PACKAGE}: ${url.slice(url.lastIndexOf('/') + 1)}${leaf.callFrame.url === '' ? ` › ${leaf.callFrame.functionName || '(native)'}` : ''}`;
			else if (found !== undefined) owner = found;
		}
		owner ??= 'node internals';
		ownerCache.set(id, owner);
		return owner;
	};
	const totals = new Map<string, number>();
	for (let i = 0; i < profile.samples.length; i++) {
		const micros = profile.timeDeltas[i + 1] ?? 0;
		const owner = ownerOf(profile.samples[i]);
		if (owner !== '(idle)') totals.set(owner, (totals.get(owner) ?? 0) + micros);
	}
	return totals;
}

/** The package's files summed into one `package` row next to them. */
export function withPackageTotal(totals: Map<string, number>): Map<string, number> {
	const all = new Map(totals);
	all.set(PACKAGE, [...totals].filter(([owner]) => owner.startsWith(`${PACKAGE}: `)).reduce((sum, [, micros]) => sum + micros, 0));
	return all;
}
