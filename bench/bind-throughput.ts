import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { bindChat } from '../nodes/shared/store/chats';
import { bindCustomer } from '../nodes/shared/store/customers';
import { dialectOf } from '../nodes/shared/store/dialect';
import { closeAllStores, openStore } from '../nodes/shared/store/open';
import { sqliteSupported } from '../nodes/shared/store/sqlite';
import type { Store } from '../nodes/shared/store/types';
import { postgresCredentialsFromUrl } from '../test/support/postgres';

/**
 * Customer Bind and Chat Bind throughput on each store, next to a baseline measured in the same
 * run on the same store: one single-row INSERT in its own transaction (the least a bind can cost).
 *   npm run bench:binds                       SQLite only (on Node 22.13+)
 *   TEST_POSTGRES_URL=postgres://… npm run bench:binds   also PostgreSQL (a temporary schema)
 */
const N = Number(process.env.BENCH_N ?? 500);
const CONCURRENCY = 20;

async function timed(
	label: string,
	count: number,
	fn: (i: number) => Promise<unknown>,
	options: { concurrency?: number; baseline?: number } = {},
): Promise<number> {
	const concurrency = options.concurrency ?? 1;
	const started = process.hrtime.bigint();
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) await fn(next++);
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const perSecond = count / seconds;
	const ratio = options.baseline ? `  ${(perSecond / options.baseline).toFixed(2)}x baseline` : '';
	console.log(`  ${label.padEnd(44)} ${perSecond.toFixed(0).padStart(6)}/s${ratio}`);
	return perSecond;
}

async function run(kind: string, store: Store): Promise<void> {
	const tag = `${kind.split(' ')[0].toLowerCase()}${Date.now()}`;
	await store.query('CREATE TABLE IF NOT EXISTS bench_baseline (id serial PRIMARY KEY, v text NOT NULL)');
	console.log(`${kind} store, ${N} operations each:`);
	const baseline = await timed('baseline: INSERT one row per transaction', N, async (i) =>
		await store.transaction(async (tx) => await tx.query('INSERT INTO bench_baseline (v) VALUES ($1)', [`${tag}-${i}`])),
	);
	const person = (i: number) => ({
		name: { value: `Person ${i}` },
		email: { value: `p${i}.${tag}@example.com`, find: true },
		phone: { value: `+5511${String(900000000 + i)}`, find: true },
	});
	await timed('Customer Bind, new person (sequential)', N, async (i) => await bindCustomer(store, person(i)), { baseline });
	await timed('Customer Bind, same person again', N, async (i) => await bindCustomer(store, person(i)), { baseline });
	await timed(
		`Customer Bind, new person, ${CONCURRENCY} at a time`,
		N,
		async (i) => await bindCustomer(store, person(N + i)),
		{ concurrency: CONCURRENCY, baseline },
	);
	await timed(
		'Chat Bind, new chat for a known contact',
		N,
		async (i) => await bindChat(store, { channel: 'whatsapp', contactType: 'phone', contact: person(i).phone.value }),
		{ baseline },
	);
	await timed(
		`Chat Bind, known chat (next message), ${CONCURRENCY} at a time`,
		N,
		async (i) => await bindChat(store, { channel: 'whatsapp', contactType: 'phone', contact: person(i).phone.value }),
		{ concurrency: CONCURRENCY, baseline },
	);
	await store.query('DROP TABLE bench_baseline');
	await againstUpsert(kind, store, tag, person);
}

/**
 * Issue 16's comparison: Customer Bind, 8 at a time, against the plain way to keep one row per
 * person — `INSERT … ON CONFLICT (email) DO UPDATE`, 8 at a time — on the same store, and 0
 * duplicates when 8 binds of the same new person race. Target ≥ 0.5×.
 */
async function againstUpsert(kind: string, store: Store, tag: string, person: (i: number) => Parameters<typeof bindCustomer>[1]): Promise<void> {
	const concurrency = 8;
	await store.query(dialectOf(store).ddl('CREATE TABLE IF NOT EXISTS bench_upsert (email text PRIMARY KEY, name text, phone text, updated_at timestamptz NOT NULL DEFAULT now())'));
	console.log(`${kind} store, ${N} operations each, ${concurrency} at a time:`);
	const upsert = await timed(`baseline: INSERT … ON CONFLICT DO UPDATE`, N, async (i) =>
		await store.query(
			'INSERT INTO bench_upsert (email, name, phone) VALUES ($1, $2, $3) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone, updated_at = now()',
			[`u${i}.${tag}@example.com`, `Person ${i}`, `+5511${String(800000000 + i)}`],
		),
		{ concurrency },
	);
	// The rows a bind of a new person writes (the customer, its email and phone in customer_contacts),
	// written by hand in one transaction with no lookup, no locks, no rules: the data model's own cost.
	const byHand = await timed(`baseline: the same rows by hand, one transaction`, N, async (i) =>
		await store.transaction(async (tx) => {
			const p = person(7 * N + i);
			const email = String(p.email?.value).toLowerCase();
			const phone = String(p.phone?.value);
			const { rows } = await tx.query<{ id: string }>('INSERT INTO customers (id, name, email, phone) VALUES ($1, $2, $3, $4) RETURNING id', [
				randomUUID(),
				String(p.name?.value),
				email,
				phone,
			]);
			await tx.query(
				'INSERT INTO customer_contacts (customer_id, type, value, normalized_value) VALUES ($1, $2, $3, $3), ($1, $4, $5, $5)',
				[rows[0].id, 'email', email, 'phone', phone],
			);
		}),
		{ concurrency },
	);
	const bind = await timed('Customer Bind, new person', N, async (i) => await bindCustomer(store, person(3 * N + i)), { concurrency, baseline: upsert });
	// The same new person bound by 8 executions at once, N / 8 times: one customer each.
	const rounds = Math.ceil(N / concurrency);
	for (let r = 0; r < rounds; r++) {
		await Promise.all(Array.from({ length: concurrency }, async () => await bindCustomer(store, person(5 * N + r))));
	}
	const emails = Array.from({ length: rounds }, (_, r) => person(5 * N + r).email?.value);
	const { rows: [{ customers }] } = await store.query<{ customers: number }>('SELECT count(*)::int AS customers FROM customers WHERE ' + dialectOf(store).inArray('email', '$1', 'text'), [emails]);
	console.log(`  Customer Bind ratio to the upsert loop: ${(bind / upsert).toFixed(2)}x (target ≥ 0.5x)`);
	console.log(`  Customer Bind ratio to the same rows by hand: ${(bind / byHand).toFixed(2)}x`);
	// The data model's own ceiling for the first ratio: a bind cannot write its rows faster than this.
	console.log(`  The same rows by hand ratio to the upsert loop: ${(byHand / upsert).toFixed(2)}x (a bind's ceiling)`);
	console.log(`  ${concurrency} concurrent binds of one new person, ${rounds} times: ${customers} customers, ${customers - rounds} duplicates`);
	await store.query('DROP TABLE bench_upsert');
}

export async function main(): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'wgw-bench-'));
	try {
		if (sqliteSupported()) await run('SQLite (node:sqlite)', await openStore({ kind: 'sqlite', file: join(folder, 'store.sqlite') }));
		else console.log(`SQLite: skipped, Node ${process.versions.node} has no node:sqlite (run this bench on Node 22.13+)`);
		const url = process.env.TEST_POSTGRES_URL;
		if (url) {
			const schema = `wgw_bench_${process.pid}`;
			const store = await openStore({
				kind: 'postgres',
				credentials: postgresCredentialsFromUrl(url, schema),
				pool: { max: CONCURRENCY },
			});
			try {
				await run('PostgreSQL', store);
			} finally {
				await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
			}
		} else {
			console.log('TEST_POSTGRES_URL is not set: PostgreSQL not measured.');
		}
	} finally {
		await closeAllStores();
		rmSync(folder, { recursive: true, force: true });
	}
}
