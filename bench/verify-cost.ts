import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { verifyRequest } from '../nodes/WebhookTrigger/auth';
import type { AuthScheme, VerificationRequest } from '../nodes/WebhookTrigger/auth';
import { fmt, fmtSpread, markdownTable, spread } from './stats';
import type { Spread } from './stats';

/**
 * Issue 16, body-size sweep: what verifying a signed body costs the trigger, next to the least it
 * can cost — `createHmac` + `timingSafeEqual` over the same bytes — measured in one process,
 * interleaved over rounds. Target: ≤ 1.5× raw at every size, and linear in the body size.
 *   npm run bench:verify      (BENCH_ROUNDS, default 5; BENCH_MS per case per round, default 400)
 * Writes bench/results/verify-cost.json and .md.
 */

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CASE_MS = Number(process.env.BENCH_MS ?? 400);
const SIZES = [1024, 100 * 1024, 1024 * 1024];
const SECRET = 'bench-verify-secret-0123456789';

/** A JSON body of exactly `size` bytes. */
function bodyOf(size: number): Buffer {
	const head = '{"id":"evt_1","pad":"';
	const tail = '"}';
	return Buffer.from(head + randomBytes(size).toString('base64').slice(0, size - head.length - tail.length) + tail);
}

interface Case {
	label: string;
	run: (raw: Buffer) => () => void;
}

const hex = (raw: Buffer, key = SECRET) => createHmac('sha256', key).update(raw).digest('hex');

function ours(scheme: AuthScheme, credentials: object, headersFor: (raw: Buffer) => Record<string, string>, valid: boolean): Case['run'] {
	return (raw) => {
		const request: VerificationRequest = { method: 'POST', headers: headersFor(raw), query: {}, rawBody: raw, body: {}, now: Date.now() };
		return () => {
			const result = verifyRequest(scheme, request, credentials);
			if ((result.kind === 'accepted') !== valid) throw new Error(`${scheme}: unexpected ${result.kind}`);
		};
	};
}

const hmacCredentials = { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' };
const stripeHeaders = (raw: Buffer) => {
	const t = Math.floor(Date.now() / 1000);
	return { 'stripe-signature': `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.`).update(raw).digest('hex')}` };
};

const workosHeaders = (raw: Buffer) => {
	const t = Date.now();
	return { 'workos-signature': `t=${t}, v1=${createHmac('sha256', SECRET).update(`${t}.`).update(raw).digest('hex')}` };
};

const cases: Case[] = [
	{
		label: 'raw createHmac + timingSafeEqual',
		run: (raw) => {
			const expected = Buffer.from(hex(raw), 'hex');
			return () => {
				if (!timingSafeEqual(createHmac('sha256', SECRET).update(raw).digest(), expected)) throw new Error('raw mismatch');
			};
		},
	},
	{ label: 'generic HMAC-SHA256, valid', run: ours('hmac', hmacCredentials, (raw) => ({ 'x-signature': `sha256=${hex(raw)}` }), true) },
	{ label: 'generic HMAC-SHA256, wrong signature', run: ours('hmac', hmacCredentials, (raw) => ({ 'x-signature': `sha256=${hex(raw, 'wrong')}` }), false) },
	{ label: 'Stripe preset, valid', run: ours('stripe', { secret: SECRET }, stripeHeaders, true) },
	// Catalogue presets (presets/common.ts): the body alone, and `t=…,v1=…` with a millisecond timestamp.
	{ label: 'Razorpay (catalogue spec), valid', run: ours('razorpay', { secret: SECRET }, (raw) => ({ 'x-razorpay-signature': hex(raw) }), true) },
	{ label: 'WorkOS (catalogue spec, t=…,v1=…), valid', run: ours('workos', { secret: SECRET }, workosHeaders, true) },
];

/**
 * Calls per CPU second of `fn`, run for about CASE_MS of this process's CPU time: CPU time, not
 * wall time, so other processes on a shared machine do not count against either side.
 */
function rate(fn: () => void): number {
	for (let i = 0; i < 3; i++) fn();
	let calls = 0;
	const cpuMicros = () => {
		const usage = process.cpuUsage();
		return usage.user + usage.system;
	};
	const started = cpuMicros();
	let elapsed = 0;
	do {
		for (let i = 0; i < 8; i++) fn();
		calls += 8;
		elapsed = cpuMicros() - started;
	} while (elapsed < CASE_MS * 1000);
	return calls / (elapsed / 1e6);
}

export async function main(): Promise<void> {
	// µs per call, per size and case, one value per round.
	const samples = new Map<string, number[]>();
	const key = (size: number, label: string) => `${size}\n${label}`;
	const prepared = SIZES.map((size) => ({ size, fns: cases.map((c) => ({ label: c.label, fn: c.run(bodyOf(size)) })) }));
	for (let round = 0; round < ROUNDS; round++) {
		for (const { size, fns } of prepared) {
			for (const { label, fn } of fns) {
				const list = samples.get(key(size, label)) ?? [];
				list.push(1e6 / rate(fn));
				samples.set(key(size, label), list);
			}
		}
	}
	const rows: string[][] = [];
	const json: Array<{ bytes: number; case: string; microseconds: Spread; ratioToRaw: number; perKiB: number }> = [];
	for (const size of SIZES) {
		const raw = spread(samples.get(key(size, cases[0].label)) ?? []);
		for (const c of cases) {
			const s = spread(samples.get(key(size, c.label)) ?? []);
			const ratio = s.median / raw.median;
			rows.push([`${size / 1024} KiB`, c.label, fmtSpread(s), fmt(s.median / (size / 1024), 3), c === cases[0] ? '1.00' : fmt(ratio)]);
			json.push({ bytes: size, case: c.label, microseconds: s, ratioToRaw: ratio, perKiB: s.median / (size / 1024) });
		}
	}
	const table = markdownTable(['body', 'verification', 'CPU µs per call: median (range)', 'CPU µs per KiB', '× raw'], rows);
	console.log(`\nVerification cost by body size, ${ROUNDS} interleaved rounds, Node ${process.version}\n\n${table}\n`);
	const dir = join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'verify-cost.json'), JSON.stringify({ node: process.version, rounds: ROUNDS, results: json }, null, 2));
	writeFileSync(join(dir, 'verify-cost.md'), `${table}\n`);
}
