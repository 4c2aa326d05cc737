import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { IWebhookFunctions } from 'n8n-workflow';

import { defaultEmbeddedFolder } from '../nodes/shared/storeResolver';
import { deliveryLogFor } from '../nodes/WebhookTrigger/delivery/deliveryLog';

// Under run-ts.js `…/WebhookTrigger.node` would resolve to the node's codex file (.node.json).
const { WebhookTrigger } = require('../nodes/WebhookTrigger/WebhookTrigger.node.ts') as typeof import('../nodes/WebhookTrigger/WebhookTrigger.node');

/**
 * What forged calls with Keep Bodies on cost the memory of an n8n process whose delivery-log
 * store is stalled (issue 26, finding 4). Calls go through the Webhook Trigger's webhook() with a
 * fake n8n context (the unit tests' wiring); their signature is wrong, so each is answered 401 and
 * recorded with its body. The store never opens: the log's first batch stays "being written" and
 * everything after waits in the buffer — the worst case for the log's memory.
 *
 * Each scenario runs in its own node process (--expose-gc): memory after a full GC, before the
 * calls (after as many warm-up calls with the log off) and after them, while the log holds them.
 * The processes run with MALLOC_MMAP_THRESHOLD_=131072: glibc then returns every freed buffer of
 * 128 KiB or more to the system at once, so RSS shows what is held, not what glibc keeps cached
 * after a burst of 1 MB bodies (without it the baseline RSS alone varies by ±30 MB run to run).
 *   npm run bench:log-memory [-- <scenario>…]
 */

const MIB = 1024 * 1024;
/** What docs/delivery-log.md documents: the buffer's byte bound; +20% allowed for what the estimate leaves out. */
const BOUND_BYTES = 32 * MIB;
const ALLOWED = 1.2;

interface Scenario {
	what: string;
	calls: number;
	/** A fresh body per call, as parsed from the network. */
	body: (i: number) => string;
}

const blob = (bytes: number) => randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64').slice(0, bytes);

const SCENARIOS: Record<string, Scenario> = {
	// The acceptance: 300 forged bodies of 1 MB.
	hostile: { what: '300 forged 1 MB bodies', calls: 300, body: (i) => JSON.stringify({ event: 'order.paid', n: i, data: { blob: blob(MIB) } }) },
	// Bodies just under the per-record cap, until the byte bound refuses them: 1,000 × 60 KB.
	'under-cap': { what: '1,000 forged 60 KB bodies (under the 64 KiB cap)', calls: 1000, body: (i) => JSON.stringify({ event: 'order.paid', n: i, data: { blob: blob(60_000) } }) },
	// The same size as many small objects: what a parsed body costs beyond its JSON text.
	'small-objects': {
		what: '1,000 forged 53 KB bodies of 3,000 small objects',
		calls: 1000,
		body: (i) => JSON.stringify({ event: 'order.paid', n: i, items: Array.from({ length: 3000 }, (_, k) => ({ k, v: k % 97 })) }),
	},
};

interface Result {
	scenario: string;
	rssMb: number;
	heapMb: number;
	buffered: number;
	/** Records in the batch the stalled store is writing. */
	batch: number;
	bufferedBytes: number | undefined;
	dropped: number;
}

const mb = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

function memory() {
	(global as unknown as { gc: () => void }).gc();
	(global as unknown as { gc: () => void }).gc();
	const usage = process.memoryUsage();
	if (process.env.LOG_MEMORY_DEBUG) console.error(JSON.stringify(usage));
	return { rss: usage.rss, heap: usage.heapUsed + usage.external };
}

function fakeContext(parameters: Record<string, unknown>, raw: string) {
	const res = { status: () => res, setHeader: () => undefined, type: () => res, send: () => undefined, end: () => undefined };
	const req = {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-signature': 'sha256=' + '0'.repeat(64), 'content-length': String(raw.length) },
		query: {},
		params: {},
		body: JSON.parse(raw) as unknown,
		rawBody: Buffer.from(raw),
		ip: '203.0.113.7',
		is: () => false,
	};
	const quiet = () => undefined;
	return {
		getRequestObject: () => req,
		getResponseObject: () => res,
		getWebhookName: () => 'default',
		getNode: () => ({ name: 'Orders In' }),
		getWorkflow: () => ({ id: 'wf-bench', active: true }),
		getMode: () => 'webhook',
		getCredentials: async () => ({ secret: 'bench-secret', algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' }),
		logger: { error: quiet, warn: quiet, info: quiet, debug: quiet },
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parameters);
			return value === undefined ? fallback : value;
		},
	} as unknown as IWebhookFunctions;
}

async function runScenario(name: string): Promise<Result> {
	const scenario = SCENARIOS[name];
	const folder = mkdtempSync(join(tmpdir(), 'wg-log-memory-'));
	process.env.N8N_USER_FOLDER = folder;
	try {
		// The stalled store: registered first under the key the node uses, so the node gets this log.
		// Its pending opens stay reachable, as a hung connection's callbacks are (an unreachable
		// promise would let the GC free the stalled batch, which a real stall does not).
		const stalled: unknown[] = [];
		const log = deliveryLogFor(`embedded:${defaultEmbeddedFolder()}`, async () => await new Promise((resolve) => stalled.push(resolve)));
		const trigger = new WebhookTrigger();
		const node = { path: 'orders', authentication: 'hmac', store: 'embedded', options: { keepBodies: true } };
		const call = async (parameters: Record<string, unknown>, i: number) => {
			await trigger.webhook.call(fakeContext(parameters, scenario.body(i)));
		};
		// Warm-up with the log off, as many calls: code compiled, the heap and allocator at the size
		// such traffic needs anyway — what is left after is what the log holds. Nothing recorded.
		for (let i = 0; i < scenario.calls; i++) {
			await call({ ...node, deliveryLog: false }, i);
			await new Promise((resolve) => setImmediate(resolve));
		}
		const before = memory();
		for (let i = 0; i < scenario.calls; i++) {
			await call({ ...node, deliveryLog: true }, i);
			// Calls arrive as separate events, so the flush timer runs among them.
			await new Promise((resolve) => setImmediate(resolve));
		}
		// Past the flush interval: the first batch is taken for writing (and stalls there).
		await new Promise((resolve) => setTimeout(resolve, 600));
		const after = memory();
		const stats = log.stats as typeof log.stats & { bufferedBytes?: number };
		if (stalled.length === 0) throw new Error('the store was never opened');
		return {
			scenario: name,
			rssMb: mb(after.rss - before.rss),
			heapMb: mb(after.heap - before.heap),
			buffered: stats.buffered,
			batch: scenario.calls - stats.dropped - stats.buffered,
			bufferedBytes: stats.bufferedBytes,
			dropped: stats.dropped,
		};
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

export async function main(args: string[]): Promise<void> {
	if (args[0] === '--child') {
		process.stdout.write(JSON.stringify(await runScenario(args[1])) + '\n');
		return;
	}
	const names = args.length ? args : Object.keys(SCENARIOS);
	console.log(`Delivery log memory with Keep Bodies on and the store stalled (node ${process.version})`);
	console.log(`Bound: ${mb(BOUND_BYTES)} MiB buffered (+20%: ${mb(BOUND_BYTES * ALLOWED)} MiB); growth after GC, before vs after the calls\n`);
	console.log('scenario                                               RSS +MiB   heap+external +MiB   buffered + batch / est. MiB / dropped   within');
	for (const name of names) {
		if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}: ${Object.keys(SCENARIOS).join(', ')}`);
		const child = spawnSync(process.execPath, ['--expose-gc', join(__dirname, '../scripts/run-ts.js'), __filename, '--child', name], {
			encoding: 'utf8',
			maxBuffer: 16 * MIB,
			env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' },
		});
		if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
		const result = JSON.parse(child.stdout.trim().split('\n').pop() as string) as Result;
		// Records the log took in, buffered or being written (the stalled batch).
		const held = `${result.buffered} + ${result.batch} / ${result.bufferedBytes === undefined ? '?' : mb(result.bufferedBytes)} / ${result.dropped}`;
		const within = Math.max(result.rssMb, result.heapMb) <= mb(BOUND_BYTES * ALLOWED) ? '✓' : '✗';
		console.log(
			`${SCENARIOS[name].what.padEnd(54)} ${String(result.rssMb).padStart(8)}   ${String(result.heapMb).padStart(18)}   ${held.padEnd(39)} ${within}`,
		);
	}
}
