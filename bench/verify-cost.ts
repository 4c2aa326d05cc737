import { createHmac, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify } from 'crypto';
import type { KeyObject } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { verifyRequest } from '../nodes/WebhookTrigger/auth';
import type { AuthScheme, VerificationRequest } from '../nodes/WebhookTrigger/auth';
import { fmt, fmtSpread, markdownTable, spread } from './stats';
import type { Spread } from './stats';

/**
 * Issue 16, body-size sweep: what verifying a signed body costs the trigger, next to the least it
 * can cost, measured in one process, interleaved (rounds, and slices within each). Each preset is quoted against its own
 * raw baseline over exactly the bytes the provider signs: HMAC presets against `createHmac` +
 * `timingSafeEqual` (Stripe and WorkOS: `${t}.` + body, prefix and expected digest made beforehand),
 * asymmetric ones against one `crypto.verify` (message, key and signature bytes made beforehand).
 * Target (issue 30): HMAC presets ≤ 1.5× raw at 1 KiB, and linear in the body size.
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
	/** The label of the raw case this one is quoted against; raw cases have none. */
	baseline?: string;
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

/** The least an HMAC-SHA256 check of `prefix` + body costs: one HMAC, one constant-time comparison. */
function rawHmac(prefix: string): Case['run'] {
	return (raw) => {
		const expected = createHmac('sha256', SECRET).update(prefix).update(raw).digest();
		if (prefix === '') {
			return () => {
				if (!timingSafeEqual(createHmac('sha256', SECRET).update(raw).digest(), expected)) throw new Error('raw mismatch');
			};
		}
		return () => {
			if (!timingSafeEqual(createHmac('sha256', SECRET).update(prefix).update(raw).digest(), expected)) throw new Error('raw mismatch');
		};
	};
}

// One timestamp for the whole run: far inside the replay window (5 minutes) for a run of about 2.
const SECONDS = String(Math.floor(Date.now() / 1000));
const MILLIS = String(Date.now());

const hmacCredentials = { secret: SECRET, algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' };
const stripeHeaders = (raw: Buffer) => ({
	'stripe-signature': `t=${SECONDS},v1=${createHmac('sha256', SECRET).update(`${SECONDS}.`).update(raw).digest('hex')}`,
});
const workosHeaders = (raw: Buffer) => ({
	'workos-signature': `t=${MILLIS}, v1=${createHmac('sha256', SECRET).update(`${MILLIS}.`).update(raw).digest('hex')}`,
});

/** An asymmetric preset's key pair, the credential's text of its public key, and how it signs. */
interface Signer {
	algorithm: 'sha256' | null;
	privateKey: KeyObject;
	publicKey: KeyObject;
	credential: string;
	encoding: 'hex' | 'base64';
}

function ed25519Signer(): Signer {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	// Discord shows the 32 key bytes in hex: the DER SubjectPublicKeyInfo's last 32 bytes.
	const credential = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
	return { algorithm: null, privateKey, publicKey, credential, encoding: 'hex' };
}

function p256Signer(): Signer {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	return { algorithm: 'sha256', privateKey, publicKey, credential: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), encoding: 'base64' };
}

function rsaSigner(): Signer {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { algorithm: 'sha256', privateKey, publicKey, credential: publicKey.export({ format: 'pem', type: 'spki' }).toString(), encoding: 'base64' };
}

const signed = (signer: Signer, message: Buffer) => sign(signer.algorithm, message, signer.privateKey);
const withPrefix = (prefix: string, raw: Buffer) => Buffer.concat([Buffer.from(prefix, 'utf8'), raw]);

/** The least an asymmetric check costs: one crypto.verify over the message the provider signs. */
function rawVerify(signer: Signer, prefix: string): Case['run'] {
	return (raw) => {
		const message = withPrefix(prefix, raw);
		const signature = signed(signer, message);
		return () => {
			if (!verify(signer.algorithm, message, signer.publicKey, signature)) throw new Error('raw verify mismatch');
		};
	};
}

/** Headers of a preset that signs `timestamp + prefix separator + body` (no timestamp header: the body alone). */
function asymmetricHeaders(signer: Signer, signatureHeader: string, timestampHeader?: string, separator = '') {
	return (raw: Buffer) => {
		const prefix = timestampHeader === undefined ? '' : SECONDS + separator;
		const headers: Record<string, string> = { [signatureHeader]: signed(signer, withPrefix(prefix, raw)).toString(signer.encoding) };
		if (timestampHeader !== undefined) headers[timestampHeader] = SECONDS;
		return headers;
	};
}

const ed25519 = ed25519Signer();
const p256 = p256Signer();
const rsa = rsaSigner();

const RAW_BODY = 'raw createHmac + timingSafeEqual';
const RAW_STRIPE = 'raw createHmac(`${t}.` + body), t in seconds';
const RAW_WORKOS = 'raw createHmac(`${t}.` + body), t in milliseconds';
const RAW_ED25519 = 'raw crypto.verify, Ed25519 (t + body)';
const RAW_P256 = 'raw crypto.verify, ECDSA P-256 (t + body)';
const RAW_RSA = 'raw crypto.verify, RSA-2048 SHA-256 (body)';

const cases: Case[] = [
	{ label: RAW_BODY, run: rawHmac('') },
	{ label: 'generic HMAC-SHA256, valid', baseline: RAW_BODY, run: ours('hmac', hmacCredentials, (raw) => ({ 'x-signature': `sha256=${hex(raw)}` }), true) },
	{ label: 'generic HMAC-SHA256, wrong signature', baseline: RAW_BODY, run: ours('hmac', hmacCredentials, (raw) => ({ 'x-signature': `sha256=${hex(raw, 'wrong')}` }), false) },
	// Catalogue presets (presets/common.ts): the body alone, and `t=…,v1=…` with a millisecond timestamp.
	{ label: 'Razorpay (catalogue spec), valid', baseline: RAW_BODY, run: ours('razorpay', { secret: SECRET }, (raw) => ({ 'x-razorpay-signature': hex(raw) }), true) },
	{ label: RAW_STRIPE, run: rawHmac(`${SECONDS}.`) },
	{ label: 'Stripe preset, valid', baseline: RAW_STRIPE, run: ours('stripe', { secret: SECRET }, stripeHeaders, true) },
	{ label: RAW_WORKOS, run: rawHmac(`${MILLIS}.`) },
	{ label: 'WorkOS (catalogue spec, t=…,v1=…), valid', baseline: RAW_WORKOS, run: ours('workos', { secret: SECRET }, workosHeaders, true) },
	// Asymmetric presets (presets/asymmetric.ts): quoted, no target.
	{ label: RAW_ED25519, run: rawVerify(ed25519, SECONDS) },
	{
		label: 'Discord (Ed25519), valid',
		baseline: RAW_ED25519,
		run: ours('discord', { secret: ed25519.credential }, asymmetricHeaders(ed25519, 'x-signature-ed25519', 'x-signature-timestamp'), true),
	},
	{ label: RAW_P256, run: rawVerify(p256, SECONDS) },
	{
		label: 'SendGrid (ECDSA P-256), valid',
		baseline: RAW_P256,
		run: ours('sendgrid', { secret: p256.credential }, asymmetricHeaders(p256, 'x-twilio-email-event-webhook-signature', 'x-twilio-email-event-webhook-timestamp'), true),
	},
	{ label: RAW_RSA, run: rawVerify(rsa, '') },
	{ label: 'Wise (RSA-SHA256), valid', baseline: RAW_RSA, run: ours('wise', { secret: rsa.credential }, asymmetricHeaders(rsa, 'x-signature-sha256'), true) },
];

/**
 * Calls and CPU time of `fn`, run for about `ms` of this process's CPU time: CPU time, not wall
 * time, so other processes on a shared machine do not count against either side.
 */
function measure(fn: () => void, ms: number): { calls: number; micros: number } {
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
	} while (elapsed < ms * 1000);
	return { calls, micros: elapsed };
}

/**
 * Each round gives every case CASE_MS in SLICES turns, the cases taking turns: on a shared machine
 * the load drifts within seconds, and a case measured in one block would see different load from
 * its baseline measured in the next (ratios moved by ±20% from run to run).
 */
const SLICES = 8;

export async function main(): Promise<void> {
	// µs per call, per size and case, one value per round.
	const samples = new Map<string, number[]>();
	const key = (size: number, label: string) => `${size}\n${label}`;
	const prepared = SIZES.map((size) => ({ size, fns: cases.map((c) => ({ label: c.label, fn: c.run(bodyOf(size)) })) }));
	for (let round = 0; round < ROUNDS; round++) {
		for (const { size, fns } of prepared) {
			const totals = fns.map(() => ({ calls: 0, micros: 0 }));
			for (let slice = 0; slice < SLICES; slice++) {
				fns.forEach(({ fn }, i) => {
					const { calls, micros } = measure(fn, CASE_MS / SLICES);
					totals[i].calls += calls;
					totals[i].micros += micros;
				});
			}
			fns.forEach(({ label }, i) => {
				const list = samples.get(key(size, label)) ?? [];
				list.push(totals[i].micros / totals[i].calls);
				samples.set(key(size, label), list);
			});
		}
	}
	const rows: string[][] = [];
	const json: Array<{ bytes: number; case: string; baseline?: string; microseconds: Spread; ratioToRaw: number; perKiB: number }> = [];
	for (const size of SIZES) {
		for (const c of cases) {
			const s = spread(samples.get(key(size, c.label)) ?? []);
			const raw = spread(samples.get(key(size, c.baseline ?? c.label)) ?? []);
			const ratio = s.median / raw.median;
			rows.push([`${size / 1024} KiB`, c.label, fmtSpread(s), fmt(s.median / (size / 1024), 3), c.baseline === undefined ? '1.00 (raw)' : fmt(ratio)]);
			json.push({ bytes: size, case: c.label, baseline: c.baseline, microseconds: s, ratioToRaw: ratio, perKiB: s.median / (size / 1024) });
		}
	}
	const table = markdownTable(['body', 'verification', 'CPU µs per call: median (range)', 'CPU µs per KiB', '× its raw'], rows);
	console.log(`\nVerification cost by body size, ${ROUNDS} interleaved rounds, Node ${process.version}\n\n${table}\n`);
	const dir = join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'verify-cost.json'), JSON.stringify({ node: process.version, rounds: ROUNDS, results: json }, null, 2));
	writeFileSync(join(dir, 'verify-cost.md'), `${table}\n`);
}
