import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { join, resolve } from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { RE2JS } from 're2js';

import { PATTERN_WORK_BUDGET } from '../nodes/WebhookTrigger/gate/schema';

/**
 * What a hostile caller (or a careless schema) costs the JSON Schema check, per call: time (the
 * call is synchronous, so this is also how long the event loop is blocked) and heap still held when
 * it returns. Targets from issue 13: a 1 MiB hostile body ≤ 20 ms and ≤ 10 MB; a catastrophic
 * pattern never blocks the event loop for more than 50 ms.
 *   node scripts/run-ts.js bench/schema-hostile.ts [--baseline <git rev>]
 * With --baseline the same cases also run on `nodes/WebhookTrigger/schema.ts` as it was at that
 * revision (e.g. the commit before bounded validation), for old-vs-new in one run; each code runs
 * in its own child process, so one's retained heap (the old code kept every error) cannot slow the other.
 * JSON.parse of the body is n8n's work before ours and is not counted. Targets are checked on the
 * call's CPU time, which on an idle machine is its wall time; the exit code is 1 if one is missed.
 */
type Validate = (schemaText: string, body: unknown) => { valid: boolean; errors?: Array<{ message: string }> };

interface Case {
	name: string;
	schema: unknown;
	body: () => unknown;
	/** Limits from the issue, checked on the current code only. */
	maxMs?: number;
	maxHeapMb?: number;
	/** Why the baseline skips it (it would run for seconds to hours). */
	skipBaseline?: string;
}

const MiB = 1024 * 1024;
const root = resolve(__dirname, '..');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `n` pseudo-random characters from `alphabet` (fixed seed: every run sees the same body). */
function text(alphabet: string, n: number): string {
	let seed = 42;
	let out = '';
	for (let i = 0; i < n; i++) {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		out += alphabet[seed % alphabet.length];
	}
	return out;
}

/** The longest string `pattern` may check in one call without going over the work budget. */
const atBudget = (pattern: string) => Math.floor(PATTERN_WORK_BUDGET / RE2JS.compile(pattern).programSize()) - 20;

/** An array of numbers whose JSON is about `bytes` long. */
const numbers = (bytes: number) => Array.from({ length: Math.floor(bytes / 7) }, (_, i) => 100000 + (i % 900000));

const CASES: Case[] = [
	{
		name: '1 MiB array of numbers vs items: string',
		schema: { type: 'array', items: { type: 'string' } },
		body: () => numbers(MiB),
		maxMs: 20,
		maxHeapMb: 10,
	},
	{
		name: '1 MiB: valid strings, last item a number',
		schema: { type: 'array', items: { type: 'string' } },
		body: () => [...Array.from({ length: Math.floor(MiB / 9) }, (_, i) => `s${i % 100000}`), 1],
		maxMs: 20,
		maxHeapMb: 10,
	},
	{
		name: '1 MiB object, 80k unknown keys vs additionalProperties: false',
		schema: { type: 'object', properties: { a: {} }, additionalProperties: false },
		body: () => Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`k${i}`, i])),
		maxMs: 20,
		maxHeapMb: 10,
	},
	{
		name: '16 MiB array of numbers vs items: string',
		schema: { type: 'array', items: { type: 'string' } },
		body: () => numbers(16 * MiB),
	},
	{
		name: 'pattern ^(a+)+$ on 24 a + "!"',
		schema: { type: 'string', pattern: '^(a+)+$' },
		body: () => `${'a'.repeat(24)}!`,
		maxMs: 50,
	},
	{
		name: 'pattern ^(a+)+$ on 29 a + "!"',
		schema: { type: 'string', pattern: '^(a+)+$' },
		body: () => `${'a'.repeat(29)}!`,
		maxMs: 50,
		skipBaseline: '~10 s (doubles per character)',
	},
	{
		name: 'pattern ^(a+)+$ on 1 MiB a + "!"',
		schema: { type: 'string', pattern: '^(a+)+$' },
		body: () => `${'a'.repeat(MiB)}!`,
		maxMs: 50,
		skipBaseline: 'never finishes',
	},
	{
		name: 'pattern (a|b)*a(a|b){20}c, random a/b at the budget',
		schema: { type: 'string', pattern: '(a|b)*a(a|b){20}c' },
		body: () => `${text('ab', atBudget('(a|b)*a(a|b){20}c'))}c`,
		maxMs: 50,
	},
	{
		name: 'pattern [ab]*a[ab]{200}c, random a/b at the budget',
		schema: { type: 'string', pattern: '[ab]*a[ab]{200}c' },
		body: () => `${text('ab', atBudget('[ab]*a[ab]{200}c'))}c`,
		maxMs: 50,
	},
	{
		name: 'pattern \\b(\\w+\\s?)*a.{15}\\bc, random "a b" at the budget',
		schema: { type: 'string', pattern: '\\b(\\w+\\s?)*a.{15}\\bc' },
		body: () => `${text('a b', atBudget('\\b(\\w+\\s?)*a.{15}\\bc'))}c`,
		maxMs: 50,
		skipBaseline: 'exponential on V8 (5.8 s at 1k characters)',
	},
	{
		name: 'pattern ^[a-z]+$ at the budget',
		schema: { type: 'string', pattern: '^[a-z]+$' },
		body: () => 'a'.repeat(atBudget('^[a-z]+$')),
		maxMs: 50,
	},
	{
		name: 'pattern ^[a-z]+$ on 1 MiB (over budget)',
		schema: { type: 'string', pattern: '^[a-z]+$' },
		body: () => 'a'.repeat(MiB),
		maxMs: 50,
	},
	{
		name: '80k keys vs patternProperties ^(a|aa)+$',
		schema: { type: 'object', patternProperties: { '^(a|aa)+$': { type: 'number' } } },
		body: () => Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`${'a'.repeat(i % 16)}k${i}`, i])),
		maxMs: 50,
	},
	{
		name: 'uniqueItems: 1 MiB of distinct objects, a duplicate last',
		schema: { type: 'array', uniqueItems: true },
		body: () => {
			const items = Array.from({ length: 23_000 }, (_, i) => ({ id: i, name: `n${i}`, tags: ['a', 'b'] }));
			return [...items, { tags: ['a', 'b'], name: 'n7', id: 7 }];
		},
		maxMs: 20,
		maxHeapMb: 10,
	},
	{
		name: 'uniqueItems: 20k distinct objects (the review\'s case)',
		schema: { type: 'array', uniqueItems: true },
		body: () => Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `n${i}`, tags: ['a', 'b'] })),
		maxMs: 50,
	},
];

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall and CPU time, and the largest heap still held right after the call (result kept alive). */
function measure(validate: Validate, schemaText: string, body: unknown, runs: number): Measured {
	const times: number[] = [];
	const cpu: number[] = [];
	let heap = 0;
	let outcome = '';
	for (let i = 0; i < runs; i++) {
		gc();
		const before = process.memoryUsage().heapUsed;
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		let result: ReturnType<Validate> | undefined;
		try {
			result = validate(schemaText, body);
			outcome = result.valid ? 'valid' : `invalid (${result.errors?.length} error${result.errors?.length === 1 ? '' : 's'})`;
		} catch (error) {
			outcome = `throws: ${(error as Error).message.slice(0, 60)}`;
		}
		times.push(performance.now() - started);
		const used = process.cpuUsage(cpuBefore);
		cpu.push((used.user + used.system) / 1000);
		heap = Math.max(heap, process.memoryUsage().heapUsed - before);
		if (result === undefined && outcome === '') outcome = 'none';
		if (times[times.length - 1] > 1000) break; // one run of a slow case says enough
	}
	return { ms: median(times), cpuMs: median(cpu), heapMb: heap / MiB, outcome };
}

/** The schema module (and its lru.ts, if it had one) as it was at `rev`, copied next to node_modules. */
function baselineModule(rev: string): string {
	const dir = join(root, 'node_modules', '.cache', 'schema-bench', rev.replace(/[^\w.-]/g, '_'));
	mkdirSync(dir, { recursive: true });
	for (const file of ['schema.ts', 'lru.ts']) {
		// gate/ since the folder split; the trigger's folder itself before it.
		const source = ['gate/', ''].map((folder) => {
			try {
				return execFileSync('git', ['show', `${rev}:nodes/WebhookTrigger/${folder}${file}`], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
			} catch {
				return undefined;
			}
		}).find((found) => found !== undefined);
		if (source) writeFileSync(join(dir, file), source);
		else if (file === 'schema.ts') throw new Error(`no nodes/WebhookTrigger/schema.ts at ${rev}`);
	}
	return join(dir, 'schema.ts');
}

function row(cells: Array<string | number>): string {
	return `| ${cells.join(' | ')} |`;
}

/** Per-call cost of a mix of distinct schemas, after one warm-up round (compiles are what thrash). */
function cacheCost(validate: Validate, distinct: number, rounds: number): number {
	const texts = Array.from({ length: distinct }, (_, i) => JSON.stringify({ type: 'integer', minimum: -i }));
	for (const t of texts) validate(t, 1);
	const started = performance.now();
	for (let r = 0; r < rounds; r++) for (const t of texts) validate(t, 1);
	return (performance.now() - started) / (rounds * distinct);
}

/** A hot schema used on every other call while one-off schemas stream past. */
function hotCost(validate: Validate, oneOffs: number): number {
	const hot = '{"type":"object","required":["event"]}';
	validate(hot, { event: 1 });
	let hotMs = 0;
	for (let i = 0; i < oneOffs; i++) {
		validate(JSON.stringify({ type: 'string', minLength: i, 'x-hot-bench': true }), 'x');
		const started = performance.now();
		validate(hot, { event: 1 });
		hotMs += performance.now() - started;
	}
	return hotMs / oneOffs;
}

/** Same schema written with other whitespace and key order: does it compile again? */
function variantCost(validate: Validate): number {
	const a = '{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}';
	const variants = Array.from({ length: 50 }, (_, i) => `{ "properties" : { "a" : { "type" : "string" } },${' '.repeat(i)} "required":["a"], "type":"object" }`);
	validate(a, { a: 'x' });
	const started = performance.now();
	for (const v of variants) validate(v, { a: 'x' });
	return (performance.now() - started) / variants.length;
}

const MIXES: Array<[string, (v: Validate) => number]> = [
	['50 schemas round-robin', (v) => cacheCost(v, 50, 2)],
	['150 schemas round-robin', (v) => cacheCost(v, 150, 2)],
	['400 schemas round-robin (past both caps)', (v) => cacheCost(v, 400, 1)],
	['hot schema between 600 one-off schemas (hot calls only)', (v) => hotCost(v, 600)],
	['50 whitespace / key-order variants of one schema', (v) => variantCost(v)],
];

interface Measured {
	ms: number;
	cpuMs: number;
	heapMb: number;
	outcome: string;
}
interface Results {
	cases: Array<Measured | null>; // null: skipped (JSON has no undefined)
	mixes: number[];
}

/** Every case and mix on one implementation (run in its own process: heaps must not mix). */
function runAll(validate: Validate, isBaseline: boolean): Results {
	const cases = CASES.map((testCase) => {
		if (isBaseline && testCase.skipBaseline) return null;
		const schemaText = JSON.stringify(testCase.schema);
		validate(schemaText, []); // compile outside the measurement
		return measure(validate, schemaText, testCase.body(), isBaseline ? 3 : 7);
	});
	return { cases, mixes: MIXES.map(([, run]) => run(validate)) };
}

/** Runs this script again for one implementation and reads back its results. */
function inChild(spec: string): Results {
	const output = execFileSync(process.execPath, [join(root, 'scripts', 'run-ts.js'), __filename, '--only', spec], {
		cwd: root,
		encoding: 'utf8',
		maxBuffer: 16 * MiB,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return JSON.parse(output.slice(output.lastIndexOf('\nRESULTS ') + 9)) as Results;
}

export async function main(args: string[]): Promise<void> {
	const only = args[args.indexOf('--only') + 1];
	if (args.includes('--only')) {
		const isBaseline = only.startsWith('baseline:');
		const module = isBaseline ? baselineModule(only.slice('baseline:'.length)) : '../nodes/WebhookTrigger/schema';
		const results = runAll(require(module).validateBody as Validate, isBaseline);
		process.stdout.write(`\nRESULTS ${JSON.stringify(results)}\n`);
		return;
	}
	const baselineAt = args.indexOf('--baseline');
	const rev = baselineAt === -1 ? undefined : args[baselineAt + 1];
	if (baselineAt !== -1 && !rev) throw new Error('--baseline needs a git revision');
	const implementations: Array<{ name: string; results: Results }> = [];
	if (rev) implementations.push({ name: `baseline ${rev}`, results: inChild(`baseline:${rev}`) });
	implementations.push({ name: 'current', results: inChild('current') });

	console.log(
		`Node ${process.version}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; each code in its own process; ` +
			'median of 7 calls (3 for the baseline, 1 when a call takes over 1 s). ms = wall time, CPU ms = the ' +
			"process's CPU time (targets are checked on CPU time: wall time also counts other processes on a busy " +
			'machine); heap = most still held at return.\n',
	);
	console.log(row(['case', 'code', 'ms', 'CPU ms', 'heap MB', 'result', 'target']));
	console.log(row(['---', '---', '---:', '---:', '---:', '---', '---']));
	let failures = 0;
	CASES.forEach((testCase, i) => {
		for (const { name, results } of implementations) {
			const measured = results.cases[i];
			if (measured === null) {
				console.log(row([testCase.name, name, '—', '—', '—', `skipped: ${testCase.skipBaseline}`, '']));
				continue;
			}
			const { ms, cpuMs, heapMb, outcome } = measured;
			let target = '';
			if (name === 'current' && (testCase.maxMs !== undefined || testCase.maxHeapMb !== undefined)) {
				const ok =
					(testCase.maxMs === undefined || cpuMs <= testCase.maxMs) &&
					(testCase.maxHeapMb === undefined || heapMb <= testCase.maxHeapMb);
				if (!ok) failures++;
				const limits = [testCase.maxMs && `${testCase.maxMs} ms`, testCase.maxHeapMb && `${testCase.maxHeapMb} MB`];
				target = `${ok ? 'ok' : 'MISSED'} (≤ ${limits.filter(Boolean).join(', ')})`;
			}
			console.log(row([testCase.name, name, ms.toFixed(2), cpuMs.toFixed(1), heapMb.toFixed(1), outcome, target]));
		}
	});

	console.log('\nSchema cache, ms per call (compiles dominate when it thrashes):\n');
	console.log(row(['mix', ...implementations.map((impl) => impl.name)]));
	console.log(row(['---', ...implementations.map(() => '---:')]));
	MIXES.forEach(([name], i) =>
		console.log(row([name, ...implementations.map((impl) => impl.results.mixes[i].toFixed(3))])),
	);

	if (failures > 0) {
		console.log(`\n${failures} target(s) missed`);
		process.exitCode = 1;
	}
}
