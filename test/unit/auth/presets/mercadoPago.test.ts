import { createHmac } from 'crypto';

import { mercadoPagoVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/mercadoPago';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import type { Rejected } from '../../../../nodes/WebhookTrigger/auth/types';
import { documentedRejections } from '../../properties/documented';
import { expectRejected, NOW, NOW_SECONDS, request, runPresetSuite, type SignedCall } from './presetSuite';

// Mercado Pago: `x-signature: ts=…,v1=…`, v1 = hex HMAC-SHA256 of the manifest
// `id:{data.id};request-id:{x-request-id};ts:{ts};` (data.id from the query, lower-cased).
// https://www.mercadopago.com.br/developers/en/docs/your-integrations/notifications/webhooks
const manifest = (ts: number) => `id:abc123;request-id:req-1;ts:${ts};`;
const sign = (secret: string, _body: string, ts: number) => ({
	headers: {
		'x-signature': `ts=${ts},v1=${createHmac('sha256', secret).update(manifest(ts)).digest('hex')}`,
		'x-request-id': 'req-1',
	},
	query: { 'data.id': 'ABC123', type: 'payment' },
});

describe('mercado pago preset', () => {
	const secret = 'mp-secret';
	it('signs the manifest, not the body: a changed data.id or request id fails', () => {
		const call = sign(secret, '', NOW_SECONDS);
		const verify = (c: typeof call) => mercadoPagoVerifier.verify(request(c, '{}', {}, NOW), { secret });
		expect(verify(call)).toMatchObject({ kind: 'accepted' });
		expect(verify({ ...call, query: { 'data.id': 'abc124', type: 'payment' } })).toMatchObject({ code: 'signature_mismatch' });
		expect(verify({ ...call, headers: { ...call.headers, 'x-request-id': 'req-2' } })).toMatchObject({
			code: 'signature_mismatch',
		});
	});

	it('leaves absent parts out of the manifest', () => {
		const ts = NOW_SECONDS;
		const v1 = createHmac('sha256', secret).update(`ts:${ts};`).digest('hex');
		expect(
			mercadoPagoVerifier.verify(request({ headers: { 'x-signature': `ts=${ts},v1=${v1}` } }, '{}', {}, NOW), { secret }),
		).toMatchObject({ kind: 'accepted' });
	});

	it('accepts ts in milliseconds too, signed as sent, inside the window', () => {
		const ts = `${NOW_SECONDS - 10}123`;
		const v1 = createHmac('sha256', secret).update(`ts:${ts};`).digest('hex');
		expect(
			mercadoPagoVerifier.verify(request({ headers: { 'x-signature': `ts=${ts},v1=${v1}` } }, '{}', {}, NOW), { secret }),
		).toMatchObject({ kind: 'accepted', details: { timestamp: NOW_SECONDS - 10 } });
		const old = `${NOW_SECONDS - 600}000`;
		const oldSig = createHmac('sha256', secret).update(`ts:${old};`).digest('hex');
		expect(
			mercadoPagoVerifier.verify(request({ headers: { 'x-signature': `ts=${old},v1=${oldSig}` } }, '{}', {}, NOW), { secret }),
		).toMatchObject({ kind: 'rejected', code: 'timestamp_outside_tolerance' });
	});

	it('reads nothing from the unsigned body by default: no event path, the duplicate key is the signed x-request-id', () => {
		expect(presetDefaults('mercadoPago')).toEqual({ deliveryIdPath: 'headers.x-request-id' });
		expect(presetDefaults('mercadoPago').eventPath).toBeUndefined();
	});
});

// Issue 25: the body is not signed, so a call captured within the replay window must not carry
// another body: its data.id must be the signed one (the query's), and no default reads the body.
describe('mercado pago preset: a captured signature with another body', () => {
	const secret = 'mp-secret';
	const ts = NOW_SECONDS - 30;
	const captured = {
		headers: {
			'x-signature': `ts=${ts},v1=${createHmac('sha256', secret).update(`id:123;request-id:req-9;ts:${ts};`).digest('hex')}`,
			'x-request-id': 'req-9',
		},
		query: { 'data.id': '123', type: 'payment' },
	};
	const send = (body: unknown, call: SignedCall = captured) =>
		mercadoPagoVerifier.verify(request(call, JSON.stringify(body), body, NOW), { secret });
	const original = { action: 'payment.created', id: 'evt-1', type: 'payment', data: { id: '123' } };

	it('accepts the body Mercado Pago sent (data.id as text or as a number)', () => {
		expect(send(original)).toMatchObject({ kind: 'accepted', scheme: 'mercadoPago' });
		expect(send({ ...original, data: { id: 123 } })).toMatchObject({ kind: 'accepted' });
	});

	it('rejects a body naming another data.id (999) than the signed one (123): 401 body_id_mismatch', () => {
		expectRejected(send({ ...original, data: { id: '999' } }), 'body_id_mismatch', [secret]);
		expectRejected(send({ ...original, data: { id: 999 } }), 'body_id_mismatch', [secret]);
		expectRejected(send({ ...original, data: { id: { id: '123' } } }), 'body_id_mismatch', [secret]);
	});

	it('rejects a body rerouted to payment.refunded with another data.id', () => {
		const refund = { action: 'payment.refunded', id: 'evt-2', type: 'payment', data: { id: '999' } };
		expectRejected(send(refund), 'body_id_mismatch', [secret]);
	});

	it('rejects a mismatching body also when n8n kept only the raw bytes', () => {
		const body = JSON.stringify({ ...original, data: { id: '999' } });
		expectRejected(mercadoPagoVerifier.verify(request(captured, body, undefined, NOW), { secret }), 'body_id_mismatch', [secret]);
	});

	it('compares the signed, lower-cased id: an alphanumeric id matches in either case', () => {
		const v1 = createHmac('sha256', secret).update(`id:ord01abc;request-id:req-9;ts:${ts};`).digest('hex');
		const call = { headers: { ...captured.headers, 'x-signature': `ts=${ts},v1=${v1}` }, query: { 'data.id': 'ORD01ABC' } };
		expect(send({ data: { id: 'ORD01ABC' } }, call)).toMatchObject({ kind: 'accepted' });
		expectRejected(send({ data: { id: 'ORD01ABD' } }, call), 'body_id_mismatch', [secret]);
	});

	it('admits a body without data.id (Card Updater sends data without an id)', () => {
		expect(send({ action: 'card.updated', type: 'automatic-payments', data: { customer_id: 'c-1' } })).toMatchObject({
			kind: 'accepted',
		});
		expect(send({ action: 'payment.created' })).toMatchObject({ kind: 'accepted' });
	});

	it("is a rejection docs/reasons.md's table documents, with its status", () => {
		const rejected = send({ ...original, data: { id: '999' } });
		expect(documentedRejections().get('body_id_mismatch')?.has((rejected as Rejected).status)).toBe(true);
	});

	it('still answers signature_mismatch, not body_id_mismatch, when the signature is wrong', () => {
		const forged = { ...captured, query: { 'data.id': '999', type: 'payment' } };
		expectRejected(send({ ...original, data: { id: '999' } }, forged), 'signature_mismatch', [secret]);
	});
});

// The body is not signed, so the suite's "tampered body" case is replaced by the manifest cases above.
runPresetSuite({
	verifier: mercadoPagoVerifier,
	credentials: (secret, previousSecret, toleranceSeconds) => ({ secret, previousSecret, toleranceSeconds }),
	secret: 'mp-secret-1',
	otherSecret: 'mp-secret-2',
	body: '{"action":"payment.created","id":"1","data":{"id":"ABC123"}}',
	sign,
	signatureHeader: 'x-signature',
	several: (valid, wrong) => ({
		...valid,
		headers: { ...valid.headers, 'x-signature': `${wrong.headers['x-signature']},${valid.headers['x-signature'].split(',')[1]}` },
	}),
	timestamped: true,
	bodyNotSigned: true,
});
