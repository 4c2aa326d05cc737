import { execFileSync, spawn } from 'child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { join } from 'path';
import { createInterface } from 'readline';

import { runLoad } from './http-load';
import type { LoadResult } from './http-load';
import { fmt, fmtSpread, markdownTable, percentile, spread } from './stats';
import type { Spread } from './stats';
import { acceptedTargets, credentials, pairs, rejectedTargets } from './webhook-targets';
import type { Target } from './webhook-targets';
import { splitProfile, withPackageTotal } from './profile-split';
import type { CpuProfile } from './profile-split';
import { collectGarbage, inspectorUrl } from '../test/e2e/harness/gc';
import { InspectorSession } from '../test/e2e/harness/inspector';
import { N8nInstance } from '../test/e2e/harness/n8n';
import { versions } from '../test/e2e/harness/versions';
import type { N8nVersion } from '../test/e2e/harness/versions';

/**
 * Issue 16, throughput: the Webhook Trigger against n8n's built-in Webhook node in ONE real n8n
 * per line (packed package installed as the Community nodes UI does), targets interleaved over
 * rounds, median and range per target, a Markdown table printed and JSON written to
 * bench/results/latest-<line>.json (+ .md).
 *   npm run bench [-- v1 v2 v2-lazy v2-legacy]
 * Env: BENCH_SECONDS (per target per round, default 5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10),
 * BENCH_WARMUP_SECONDS (1), BENCH_DRAIN_SECONDS (max wait for a target's executions, 45),
 * BENCH_LINE_MINUTES (hard budget per line, 10), BENCH_LINES (default v1,v2,v2-lazy,v2-legacy),
 * BENCH_TARGETS (comma-separated target keys, default all; the built-in baselines always run),
 * BENCH_N8N_ENV (extra n8n environment for every line, e.g. "N8N_EXPRESSION_ENGINE_POOL_SIZE=4"),
 * BENCH_THREADS=1 (print n8n's CPU per answer while answering, by thread: JS, GC helpers, libuv pool),
 * BENCH_PROFILE=1 (a CPU profile of n8n's JS thread in each window while answering: µs per answer by
 * whom the thread worked for, see profile-split.ts; the profiler itself slows every target alike).
 */

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SECONDS = env('BENCH_SECONDS', 5);
const ROUNDS = Math.max(1, env('BENCH_ROUNDS', 3));
const CONNECTIONS = env('BENCH_CONNECTIONS', 10);
const WARMUP_SECONDS = env('BENCH_WARMUP_SECONDS', 1);
const DRAIN_MS = env('BENCH_DRAIN_SECONDS', 45) * 1000;
const LINE_MS = env('BENCH_LINE_MINUTES', 10) * 60_000;
const N8N_ENV: Record<string, string> = Object.fromEntries(
	(process.env.BENCH_N8N_ENV ?? '')
		.split(',')
		.filter((pair) => pair.includes('='))
		.map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()]),
);
/** BENCH_COLLECT=1: a full GC in n8n before each measured window (off by default: n8n's heap then shrinks, and every target runs slower). */
const COLLECT = process.env.BENCH_COLLECT === '1';
const WANTED_TARGETS = process.env.BENCH_TARGETS?.split(',').map((key) => key.trim());
const allTargets = [...acceptedTargets, ...rejectedTargets].filter(
	(t) => !WANTED_TARGETS || ['builtin', 'builtinBad'].includes(t.key) || WANTED_TARGETS.includes(t.key),
);

type LineKey = 'v1' | 'v2' | 'v2-lazy' | 'v2-legacy';
const lines: Record<LineKey, { version: N8nVersion; env: Record<string, string>; engine: string }> = {
	v1: { version: versions.v1, env: {}, engine: 'legacy (1.x: isolated-vm does not build on Node 20)' },
	v2: { version: versions.v2, env: {}, engine: 'default' },
	// The isolate is built only when an expression is evaluated: the trigger's description resolves
	// natively (webhookFields.ts), so a rejected call needs none.
	'v2-lazy': { version: versions.v2, env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, engine: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true' },
	'v2-legacy': { version: versions.v2, env: { N8N_EXPRESSION_ENGINE: 'legacy' }, engine: 'N8N_EXPRESSION_ENGINE=legacy' },
};

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const load = () => loadavg().map((l) => Number(l.toFixed(2)));
/** CPU seconds (user + system) in a /proc stat line: fields 14 and 15, in clock ticks. */
const statCpuSeconds = (stat: string): number => {
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
};
/** CPU seconds the process has used. */
const cpuSeconds = (pid: number | undefined): number => (pid ? statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8')) : NaN);
/** CPU seconds by thread name (/proc/<pid>/task/<tid>/stat): where a process's CPU goes, beyond its JS thread. */
const threadCpuSeconds = (pid: number | undefined): Map<string, number> => {
	const byName = new Map<string, number>();
	if (!pid) return byName;
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			// Numbered pools ("V8 DefaultWorke", "libuv-worker") count as one.
			const name = tid === String(pid) ? 'main (JS)' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '').trim();
			byName.set(name, (byName.get(name) ?? 0) + statCpuSeconds(stat));
		} catch {
			// The thread ended between the listing and the read.
		}
	}
	return byName;
};
const THREADS = process.env.BENCH_THREADS === '1';
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Sampling interval of BENCH_PROFILE (µs). */
const PROFILE_INTERVAL_US = 250;
const rssMb = (pid: number) => {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
	return Math.round(Number(line?.replace(/\D+/g, '')) / 1024);
};

/** One executions-counter.js process for the run (n8n's node and sqlite3), queried line by line. */
function executionsCounter(n8n: N8nInstance) {
	const child = spawn(join(n8n.version.nodeBin, 'node'), [
		join(__dirname, 'executions-counter.js'),
		n8n.version.dir,
		join(n8n.userFolder, '.n8n', 'database.sqlite'),
	]);
	const waiting: Array<(line: string) => void> = [];
	createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
	const ask = async <T>(query: string) =>
		await new Promise<T>((resolve, reject) => {
			waiting.push((line) => {
				const parsed = JSON.parse(line);
				if (parsed.error) reject(new Error(parsed.error));
				else resolve(parsed as T);
			});
			child.stdin.write(`${query}\n`);
		});
	return {
		maxId: async () => (await ask<{ maxId: number }>('max')).maxId,
		of: async (workflowId: string, since: number) =>
			await ask<{ finished: number; unfinished: number; lastStoppedAt: number | null }>(`${workflowId} ${since}`),
		/** Deliveries the inbox received since `since` (ms): done (finished), failed, still to run. */
		delivered: async (workflowId: string, since: number) =>
			await ask<{ finished: number; failed: number; unfinished: number; lastStoppedAt: number | null }>(
				`inbox ${workflowId} ${new Date(since).toISOString()}`,
			),
		close: () => child.kill(),
	};
}
type Counter = ReturnType<typeof executionsCounter>;

interface Sample {
	round: number;
	answersPerS: number;
	executionsPerS: number;
	executions: number;
	p50: number;
	p99: number;
	statuses: Record<number, number>;
	errors: number;
	drained: boolean;
	/** n8n's own CPU time per answered call (ms): what the call cost, whatever else the machine ran. */
	cpuMsPerAnswer: number;
	/**
	 * n8n's CPU per answer while the calls arrived only (ms): the answering path. With the inbox's
	 * hold no execution runs then, so this is what an answer costs apart from running it.
	 */
	loadCpuMsPerAnswer: number;
	/** BENCH_PROFILE: µs of n8n's JS thread per answer while answering, by owner (profile-split.ts). */
	profile?: Map<string, number>;
}

let deliverySeq = 0;
const runTag = Date.now().toString(36);

/** One target, one round: load, then wait until its executions are finished (executions/s). */
async function measure(n8n: N8nInstance, counter: Counter, target: Target, seconds: number, round: number, profiler?: InspectorSession): Promise<Sample> {
	const since = await counter.maxId();
	if (profiler) await profiler.call('Profiler.start');
	const startedAt = Date.now();
	const cpuBefore = cpuSeconds(n8n.pid);
	const threadsBefore = THREADS ? threadCpuSeconds(n8n.pid) : undefined;
	const result: LoadResult = await runLoad({
		baseUrl: n8n.baseUrl,
		connections: CONNECTIONS,
		durationMs: seconds * 1000,
		next: (i) => target.request(i, `${runTag}-${target.key}-${deliverySeq++}`),
		expect: (status) => (target.kind === 'accepted' ? status >= 200 && status < 300 : status >= 400 && status < 500),
	});
	const cpuAtLoadEnd = cpuSeconds(n8n.pid);
	const owners = profiler ? splitProfile((await profiler.call<{ profile: CpuProfile }>('Profiler.stop')).profile) : undefined;
	const profile = owners && new Map([...withPackageTotal(owners)].map(([owner, micros]) => [owner, micros / Math.max(1, result.expected)]));
	if (threadsBefore) {
		const perAnswer = [...threadCpuSeconds(n8n.pid)]
			.map(([name, seconds]) => [name, ((seconds - (threadsBefore.get(name) ?? 0)) * 1000) / Math.max(1, result.expected)] as const)
			.filter(([, ms]) => ms >= 0.01)
			.sort((a, b) => b[1] - a[1]);
		console.log(`[bench] ${target.key} round ${round}: n8n CPU ms per answer while answering, by thread: ${perAnswer.map(([name, ms]) => `${name} ${fmt(ms)}`).join(', ')}`);
	}
	const wanted = target.kind === 'accepted' ? result.expected : 0;
	const deadline = Date.now() + (target.kind === 'accepted' ? DRAIN_MS : 1000);
	// Batches: every answered delivery done in the inbox (answers 2xx = items run), not executions.
	const count = async () =>
		target.countsDeliveries ? await counter.delivered(target.workflowId, startedAt) : { ...(await counter.of(target.workflowId, since)), failed: 0 };
	let counted = await count();
	while (Date.now() < deadline && (counted.finished + counted.failed < wanted || counted.unfinished > 0)) {
		await sleep(250);
		counted = await count();
	}
	const drained = counted.finished >= wanted && counted.unfinished === 0 && counted.failed === 0;
	// Includes running the executions (n8n's main process runs them); rejections start none.
	const cpuMsPerAnswer = ((cpuSeconds(n8n.pid) - cpuBefore) * 1000) / Math.max(1, result.expected);
	const spanMs = counted.lastStoppedAt ? Math.max(result.durationMs, counted.lastStoppedAt - startedAt) : NaN;
	return {
		round,
		answersPerS: result.expected / (result.durationMs / 1000),
		executionsPerS: counted.finished ? counted.finished / (spanMs / 1000) : 0,
		executions: counted.finished + counted.unfinished,
		p50: percentile(result.latenciesMs, 50),
		p99: percentile(result.latenciesMs, 99),
		statuses: result.statuses,
		errors: result.errors,
		drained,
		cpuMsPerAnswer,
		loadCpuMsPerAnswer: ((cpuAtLoadEnd - cpuBefore) * 1000) / Math.max(1, result.expected),
		profile,
	};
}

interface Summary {
	key: string;
	label: string;
	kind: string;
	answersPerS: Spread;
	executionsPerS: Spread;
	p50: Spread;
	p99: Spread;
	executions: number;
	statuses: Record<number, number>;
	errors: number;
	undrainedRounds: number;
	countsDeliveries: boolean;
	/** Per-round ratio to the baseline of its kind, median and range. */
	ratio?: Spread;
	executionsRatio?: Spread;
	cpuMsPerAnswer: Spread;
	/** Baseline's CPU per answer ÷ this target's, per round: > 1 means cheaper than the built-in node. */
	cpuRatio?: Spread;
	samples: Sample[];
}

function summarize(target: Target, samples: Sample[], baseline?: Sample[]): Summary {
	const statuses: Record<number, number> = {};
	for (const s of samples) for (const [code, n] of Object.entries(s.statuses)) statuses[Number(code)] = (statuses[Number(code)] ?? 0) + n;
	const ratioOf = (pick: (s: Sample) => number) =>
		baseline
			? spread(samples.map((s) => pick(s) / pick(baseline.find((b) => b.round === s.round) ?? baseline[0])).filter(Number.isFinite))
			: undefined;
	return {
		key: target.key,
		label: target.label,
		kind: target.kind,
		answersPerS: spread(samples.map((s) => s.answersPerS)),
		executionsPerS: spread(samples.map((s) => s.executionsPerS)),
		p50: spread(samples.map((s) => s.p50)),
		p99: spread(samples.map((s) => s.p99)),
		executions: samples.reduce((n, s) => n + s.executions, 0),
		statuses,
		errors: samples.reduce((n, s) => n + s.errors, 0),
		undrainedRounds: samples.filter((s) => !s.drained).length,
		countsDeliveries: target.countsDeliveries === true,
		ratio: ratioOf((s) => s.answersPerS),
		executionsRatio: target.kind === 'accepted' ? ratioOf((s) => s.executionsPerS) : undefined,
		cpuMsPerAnswer: spread(samples.map((s) => s.cpuMsPerAnswer)),
		cpuRatio: ratioOf((s) => 1 / s.cpuMsPerAnswer),
		samples,
	};
}

const statusText = (statuses: Record<number, number>) =>
	Object.entries(statuses)
		.map(([code, n]) => `${code}×${n}`)
		.join(' ');

/**
 * BENCH_PROFILE: µs of n8n's JS thread per answer while answering, by owner, median of the rounds
 * (one column per target), the owners the floor spends most on first.
 */
function profileTable(summaries: Summary[]): string[] {
	const profiled = summaries.filter((s) => s.samples.some((sample) => sample.profile));
	if (profiled.length === 0) return [];
	const owners = new Map<string, number>();
	for (const s of profiled) for (const sample of s.samples) for (const [owner, micros] of sample.profile ?? []) owners.set(owner, Math.max(owners.get(owner) ?? 0, micros));
	const median = (s: Summary, owner: string) => spread(s.samples.map((sample) => sample.profile?.get(owner) ?? 0)).median;
	const floor = profiled.find((s) => s.key === 'builtinBad') ?? profiled[0];
	const rows = [...owners.keys()]
		.filter((owner) => profiled.some((s) => median(s, owner) >= 1))
		.sort((a, b) => median(floor, b) - median(floor, a) || (owners.get(b) ?? 0) - (owners.get(a) ?? 0));
	const total = (s: Summary) => spread(s.samples.map((sample) => [...(sample.profile ?? [])].filter(([owner]) => owner !== 'package').reduce((sum, [, micros]) => sum + micros, 0))).median;
	return [
		'',
		`n8n's JS thread while answering, µs per answer by whom it worked for (CPU profile, ${PROFILE_INTERVAL_US} µs sampling, median of rounds):`,
		'',
		markdownTable(
			['owner', ...profiled.map((s) => s.key)],
			[...rows.map((owner) => [owner, ...profiled.map((s) => fmt(median(s, owner)))]), ['all (busy)', ...profiled.map((s) => fmt(total(s)))]],
		),
	];
}

function tables(summaries: Summary[]): { markdown: string; unmet: string[] } {
	const unmet: string[] = [];
	const byKey = new Map(summaries.map((s) => [s.key, s]));
	const accepted = summaries.filter((s) => s.kind === 'accepted');
	const rejected = summaries.filter((s) => s.kind === 'rejected');
	const acceptedRows = accepted.map((s) => {
		if (s.countsDeliveries && s.undrainedRounds > 0) {
			unmet.push(`accepted ${s.label}: in ${s.undrainedRounds} round(s) not every answered delivery was done within the drain (answers 2xx = items run)`);
		}
		const isTarget = s.ratio && ['bearer', 'hmac', 'schema', 'dedupe'].includes(s.key);
		if (isTarget && s.ratio!.median < 0.98) {
			unmet.push(`accepted ${s.label}: ${fmt(s.ratio!.median)}× built-in (target ≥ 0.98×; by n8n CPU per answer ${fmt(s.cpuRatio?.median ?? NaN)}×)`);
		}
		return [
			s.label,
			fmtSpread(s.answersPerS),
			s.ratio ? `${fmtSpread(s.ratio, 2)}${isTarget ? (s.ratio.median >= 0.98 ? ' ✓' : ' ✗') : ''}` : '1',
			fmtSpread(s.executionsPerS),
			s.executionsRatio ? fmtSpread(s.executionsRatio, 2) : '1',
			fmt(s.cpuMsPerAnswer.median),
			s.cpuRatio ? fmtSpread(s.cpuRatio, 2) : '1',
			fmt(s.p50.median),
			fmt(s.p99.median),
			`${statusText(s.statuses)}${s.undrainedRounds ? ` (${s.undrainedRounds} round(s) not drained)` : ''}`,
		];
	});
	const rejectedRows = rejected.map((s) => {
		if (s.ratio && s.ratio.median < 0.95) {
			unmet.push(`rejected ${s.label}: ${fmt(s.ratio.median)}× built-in wrong header (target ≥ 0.95×; by n8n CPU per answer ${fmt(s.cpuRatio?.median ?? NaN)}×)`);
		}
		if (s.executions > 0) unmet.push(`rejected ${s.label}: ${s.executions} executions (target 0)`);
		return [
			s.label,
			fmtSpread(s.answersPerS),
			s.ratio ? `${fmtSpread(s.ratio, 2)}${s.ratio.median >= 0.95 ? ' ✓' : ' ✗'}` : '1',
			fmt(s.cpuMsPerAnswer.median),
			s.cpuRatio ? fmtSpread(s.cpuRatio, 2) : '1',
			fmt(s.p50.median),
			fmt(s.p99.median),
			statusText(s.statuses),
			String(s.executions),
		];
	});
	const pairRows = pairs.flatMap(({ a, b, label, min, delivered }) => {
		const [x, y] = [byKey.get(a), byKey.get(b)];
		if (!x || !y) return [];
		const perRound = (pick: (s: Sample) => number, pickBase = pick) =>
			spread(x.samples.map((s) => pick(s) / pickBase(y.samples.find((t) => t.round === s.round) ?? y.samples[0])).filter(Number.isFinite));
		const answers = delivered ? perRound((s) => s.executionsPerS, (s) => s.answersPerS) : perRound((s) => s.answersPerS);
		if (min && answers.median < min) unmet.push(`${label}: ${fmt(answers.median)}× (target ≥ ${min}×)`);
		return [
			[
				label,
				`${fmtSpread(answers, 2)}${min ? (answers.median >= min ? ' ✓' : ' ✗') : ''}`,
				fmtSpread(perRound((s) => s.executionsPerS), 2),
				// Per answer, the second target's CPU ÷ the first's: below 1 = the first costs more.
				fmtSpread(perRound((s) => 1 / s.cpuMsPerAnswer), 2),
				fmtSpread(perRound((s) => 1 / s.loadCpuMsPerAnswer), 2),
				`${fmt(x.p99.median)} vs ${fmt(y.p99.median)}${y.p99.median > 0 ? ` (${fmt(x.p99.median / y.p99.median)}×)` : ''}`,
			],
		];
	});
	const markdown = [
		markdownTable(
			['accepted', 'answers/s', '× built-in', 'executions/s', '× built-in', 'n8n CPU ms/answer', '× built-in (CPU)', 'p50 ms', 'p99 ms', 'statuses'],
			acceptedRows,
		),
		'',
		markdownTable(
			['rejected', 'answers/s', '× built-in', 'n8n CPU ms/answer', '× built-in (CPU)', 'p50 ms', 'p99 ms', 'statuses', 'executions'],
			rejectedRows,
		),
		'',
		markdownTable(['comparison', 'answers/s ratio', 'executions/s ratio', 'CPU per answer ratio', 'CPU per answer ratio, while answering', 'p99 ms'], pairRows),
		...profileTable(summaries),
	].join('\n');
	return { markdown, unmet };
}

/**
 * Every line's instance is created (package installed, workflows imported and activated: minutes
 * of CLI starts) before anything is measured. `v2-lazy`/`v2-legacy` reuse v2's user folder when both run:
 * same database and workflows, only the engine differs, and no second round of imports.
 */
async function prepare(keys: LineKey[]): Promise<Map<LineKey, N8nInstance>> {
	const instances = new Map<LineKey, N8nInstance>();
	const workflows = allTargets.map((t) => t.workflow);
	// Canonical order, so the v2 variants find v2's folder whatever order the lines are measured in.
	for (const key of (Object.keys(lines) as LineKey[]).filter((k) => keys.includes(k))) {
		const line = lines[key];
		const started = Date.now();
		const shared = key === 'v2-legacy' || key === 'v2-lazy' ? (instances.get('v2') ?? instances.get('v2-lazy')) : undefined;
		const options = shared ? { userFolder: shared.userFolder } : { credentials, workflows };
		// The inspector on a free loopback port: a full GC before each measured window (see settledHeap).
		const nodeOptions = [COLLECT || PROFILE ? '--inspect=127.0.0.1:0' : '', N8N_ENV.NODE_OPTIONS ?? ''].filter(Boolean).join(' ');
		const env = { ...line.env, N8N_LOG_LEVEL: 'warn', ...N8N_ENV, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
		instances.set(key, await N8nInstance.create(line.version, { ...options, env }));
		console.log(`[bench] ${key}: n8n ${line.version.n8n} prepared in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
	return instances;
}

/**
 * A full GC in n8n, then a short pause: each window starts from the same heap, so a target does not
 * pay for the garbage of the one before it (the built-in Webhook node leaves ~800 executions' worth).
 */
async function settledHeap(n8n: N8nInstance): Promise<void> {
	const inspector = inspectorUrl(n8n.log);
	if (!inspector) throw new Error("n8n's inspector URL is not in its log (started without BENCH_COLLECT=1?)");
	await collectGarbage(inspector);
	await sleep(500);
}

async function benchLine(key: LineKey, n8n: N8nInstance): Promise<void> {
	const line = lines[key];
	const targets = allTargets;
	const lineDeadline = Date.now() + LINE_MS;
	const loadAtStart = load();
	const setupStarted = Date.now();
	console.log(`\n[bench] ${key}: n8n ${line.version.n8n}, engine ${line.engine}; loadavg ${loadAtStart.join(' ')}; starting…`);
	const counter = executionsCounter(n8n);
	let profiler: InspectorSession | undefined;
	try {
		await n8n.start(targets.map((t) => `/webhook/${t.path}`));
		if (PROFILE) {
			const url = inspectorUrl(n8n.log);
			if (!url) throw new Error("n8n's inspector URL is not in its log");
			profiler = await InspectorSession.open(url);
			await profiler.call('Profiler.enable');
			await profiler.call('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
		}
		const nodeVersion = execFileSync(join(line.version.nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
		console.log(`[bench] ${key}: ready in ${((Date.now() - setupStarted) / 1000).toFixed(0)} s; warm-up ${WARMUP_SECONDS} s per target`);
		// Warm-up: first store open, compiled schemas, JIT; not counted.
		for (const target of targets) await measure(n8n, counter, target, WARMUP_SECONDS, -1);
		const samples = new Map<string, Sample[]>(targets.map((t) => [t.key, []]));
		let rounds = 0;
		for (let round = 0; round < ROUNDS; round++) {
			// Rotated each round and reversed every other one: a rotation alone keeps every target
			// behind the same neighbour (the inbox always ran right after the built-in node's executions).
			const rotated = targets.map((_, i) => targets[(i + round * 3) % targets.length]);
			const order = round % 2 === 1 ? rotated.reverse() : rotated;
			for (const target of order) {
				if (Date.now() > lineDeadline) break;
				if (COLLECT) await settledHeap(n8n);
				samples.get(target.key)!.push(await measure(n8n, counter, target, SECONDS, round, profiler));
			}
			if (Date.now() > lineDeadline) {
				console.log(`[bench] ${key}: BENCH_LINE_MINUTES reached in round ${round + 1}; reporting what was measured`);
				break;
			}
			rounds++;
			const elapsed = ((Date.now() - setupStarted) / 1000).toFixed(0);
			console.log(`[bench] ${key}: round ${round + 1}/${ROUNDS} done at ${elapsed} s, loadavg ${load().join(' ')}`);
		}
		const base = (kind: string) => samples.get(kind === 'accepted' ? 'builtin' : 'builtinBad');
		const summaries = targets
			.filter((t) => samples.get(t.key)!.length)
			.map((t) => summarize(t, samples.get(t.key)!, ['builtin', 'builtinBad'].includes(t.key) ? undefined : base(t.kind)));
		const { markdown, unmet } = tables(summaries);
		const loadAtEnd = load();
		const rss = n8n.pid ? rssMb(n8n.pid) : NaN;
		const extraEnv = Object.keys(N8N_ENV).length ? `; ${Object.entries(N8N_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
		const heading =
			`n8n ${line.version.n8n} on Node ${nodeVersion} (${key}, expression engine ${line.engine}${extraEnv}), ${cpus().length} cores, ` +
			`${CONNECTIONS} connections × ${SECONDS} s per target per round, ${rounds} complete round(s) interleaved; ` +
			`loadavg start ${loadAtStart.join(' ')}, end ${loadAtEnd.join(' ')}; n8n RSS at end ${rss} MB`;
		const report = `${heading}\n\n${markdown}\n\nNot met: ${unmet.length ? `\n- ${unmet.join('\n- ')}` : 'none'}\n`;
		console.log(`\n${report}`);
		const dir = join(__dirname, 'results');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, `latest-${key}.md`), report);
		writeFileSync(
			join(dir, `latest-${key}.json`),
			JSON.stringify(
				{
					line: key,
					n8n: line.version.n8n,
					engine: line.engine,
					extraEnv: N8N_ENV,
					node: nodeVersion,
					date: new Date().toISOString(),
					cores: cpus().length,
					connections: CONNECTIONS,
					secondsPerTarget: SECONDS,
					rounds,
					loadavg: { start: loadAtStart, end: loadAtEnd },
					rssMbAtEnd: rss,
					unmet,
					targets: summaries,
				},
				null,
				2,
			),
		);
	} finally {
		profiler?.close();
		counter.close();
		await n8n.stop();
	}
}

export async function main(args: string[]): Promise<void> {
	const wanted = (args.length ? args : (process.env.BENCH_LINES ?? 'v1,v2,v2-lazy,v2-legacy').split(',')).map((a) => a.trim());
	const unknown = wanted.filter((a) => !(a in lines));
	if (unknown.length) throw new Error(`unknown line(s) ${unknown.join(', ')}: use ${Object.keys(lines).join(', ')}`);
	console.log(`[bench] median of ${ROUNDS} rounds; per line ≤ ${LINE_MS / 60_000} min; loadavg ${load().join(' ')}`);
	const instances = await prepare(wanted as LineKey[]);
	try {
		for (const key of wanted as LineKey[]) await benchLine(key, instances.get(key)!);
	} finally {
		for (const n8n of new Set(instances.values())) await n8n.dispose();
	}
}
