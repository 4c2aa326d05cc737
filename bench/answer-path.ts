import { createHmac, randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance, PerformanceObserver } from 'perf_hooks';

import { deliveryLogFor } from '../nodes/WebhookTrigger/delivery/deliveryLog';
import { parseIpAllowlistCached, parseOriginAllowlistCached } from '../nodes/WebhookTrigger/gate/allowlist';
import type { IncomingCall } from '../nodes/WebhookTrigger/gate/gate';
import { handleCall } from '../nodes/WebhookTrigger/handleCall';
import type { CallNode } from '../nodes/WebhookTrigger/handleCall';
import { newDeliveryId } from '../nodes/WebhookTrigger/delivery/deliveryRecord';
import { closeAllStores, openStore } from '../nodes/shared/store/open';
import { sqliteSupported } from '../nodes/shared/store/sqlite';

/**
 * The Webhook Trigger's own answering path, in-process, per call: handleCall() with the bench's
 * inbox target (HMAC, 3 cases, 3 mappings, JSON schema, delivery log on, inbox on SQLite), from 10
 * callers at a time, in CPU µs and GC time per call, next to the same node refusing a forged
 * signature (the package's cheapest answer, measured in the same run). No n8n: what n8n adds per
 * call is `npm run bench`'s part. Needs node:sqlite (Node 22.13+).
 *   npm run bench:answer
 * Env: BENCH_N (calls per measure, default 5,000), BENCH_SQL=1 (also time per statement text).
 */
const N = Number(process.env.BENCH_N ?? 5000);
const SECRET = 'bench-hmac-secret-8b2d61f5c3';
const EVENTS = ['order.paid', 'order.refunded', 'order.cancelled'];
const jsonSchema = JSON.stringify({ type: 'object', required: ['event', 'customer', 'order'], properties: { event: { type: 'string', enum: EVENTS }, customer: { type: 'object', required: ['email', 'name'], properties: { email: { type: 'string', maxLength: 254 }, name: { type: 'string' }, phone: { type: 'string' } } }, order: { type: 'object', required: ['id', 'total', 'items'], properties: { id: { type: 'string' }, total: { type: 'number', minimum: 0 }, items: { type: 'array', maxItems: 50, items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } } } } } });
const BODIES = Array.from({ length: 64 }, (_, i) => {
	const raw = Buffer.from(JSON.stringify({ event: EVENTS[i % 3], customer: { email: `customer${i}@example.com`, name: `Customer ${i}`, phone: `+1555010${String(i).padStart(4, '0')}` }, order: { id: `ord_${1000 + i}`, total: 19.9 + i, currency: 'USD', items: [{ sku: 'sku-basic', qty: 1 + (i % 3), title: 'A product with a reasonably long title' }, { sku: 'sku-addon', qty: 1, title: 'An add-on' }] }, createdAt: '2026-11-24T17:00:00Z' }));
	return { raw, signature: `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` };
});

export async function main(): Promise<void> {
	if (!sqliteSupported()) throw new Error(`bench:answer needs node:sqlite (Node 22.13 or later); this is Node ${process.versions.node}`);
	const folder = mkdtempSync(join(tmpdir(), 'answer-path-'));
	const file = join(folder, 'wgw.sqlite');
	const store = await openStore({ kind: 'sqlite', file });
	const trigger = { key: `sqlite:${file}`, open: async () => store };
	const timing = new Map<string, { n: number; ms: number }>();
	if (process.env.BENCH_SQL) {
		const target = store as unknown as { run: (sql: string, params: unknown[]) => unknown; db: { exec: (sql: string) => void } };
		const original = target.run.bind(target);
		target.run = (sql: string, params: unknown[]) => {
			const t = performance.now();
			try { return original(sql, params); } finally { const key = sql.replace(/\s+/g, ' ').slice(0, 90); const e = timing.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; timing.set(key, e); }
		};
		const db = target.db;
		const exec = db.exec.bind(db);
		db.exec = (sql: string) => { const t = performance.now(); try { exec(sql); } finally { const e = timing.get(`exec ${sql}`) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; timing.set(`exec ${sql}`, e); } };
	}
	const log = deliveryLogFor(trigger.key, trigger.open);
	const workflowId = 'benchAnswerPath';
	const node = (inbox: boolean): CallNode => ({
		workflowId, nodeName: 'Trigger', path: 'bench', test: false, responseMode: 'onReceived',
		options: { jsonSchema, inbox, inboxHoldSeconds: 3600 },
		log,
		callerRules: () => ({ ipAllowlist: parseIpAllowlistCached(''), originAllowlist: parseOriginAllowlistCached('') }),
		gateConfig: async () => ({ scheme: 'hmac', credentials: { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' }, maxBodyBytes: 1 << 20, jsonSchema, eventPath: 'body.event', cases: EVENTS.map((v) => ({ label: v, value: v })), variables: [{ path: 'body.customer.email', name: 'email' }, { path: 'body.order.id', name: 'order_id' }, { path: 'body.order.total', name: 'total' }], saveBodyAs: '', method: 'POST' }),
		rawBody: async () => undefined,
		delivery: { store: trigger },
	} as unknown as CallNode);
	const quiet = () => undefined;
	const reports = { rejected: quiet, misconfigured: quiet, problem: (m: string) => { throw new Error(m); } };
	let gcMs = 0, gcs = 0;
	new PerformanceObserver((list) => { for (const e of list.getEntries()) { gcMs += e.duration; gcs++; } }).observe({ entryTypes: ['gc'] });
	const run = async (label: string, inbox: boolean, signed: boolean) => {
		const callNode = node(inbox);
		const one = async (i: number) => {
			const { raw, signature } = BODIES[i % 64];
			const call: IncomingCall = { webhookName: 'default', method: 'POST', headers: { host: 'localhost:5678', 'user-agent': 'bench', 'content-type': 'application/json', 'content-length': String(raw.length), 'x-signature': signed ? signature : 'sha256=00', 'x-delivery-id': randomUUID(), connection: 'keep-alive', accept: '*/*' }, query: {}, params: {}, body: JSON.parse(raw.toString()), rawBody: undefined, ip: '127.0.0.1', now: Date.now() };
			const node2 = { ...callNode, rawBody: async () => raw };
			const result = await handleCall(node2, call, newDeliveryId(call.now), reports);
			if (!result.answer || result.answer.status !== (signed ? 202 : 401)) throw new Error(`unexpected ${JSON.stringify(result.answer)}`);
		};
		for (let i = 0; i < 500; i++) await one(i);
		gcMs = 0; gcs = 0;
		const cpu = process.cpuUsage();
		let next = 0;
		await Promise.all(Array.from({ length: 10 }, async () => { while (next < N) await one(next++); }));
		const used = process.cpuUsage(cpu);
		console.log(`${label}: ${((used.user + used.system) / N).toFixed(1)} µs CPU per call, GC ${(gcMs * 1000 / N).toFixed(1)} µs per call (${gcs} GCs)`);
	};
	for (let round = 0; round < 3; round++) {
		await run('forged (401)', true, false);
		await run('inbox (202, log on)', true, true);
	}
	for (const [sql, e] of [...timing].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`${e.ms.toFixed(0).padStart(7)} ms ${String(e.n).padStart(7)}× ${sql}`);
	await closeAllStores();
	rmSync(folder, { recursive: true, force: true });
}
