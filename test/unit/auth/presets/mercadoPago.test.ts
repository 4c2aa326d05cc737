import { createHmac } from 'crypto';

import { mercadoPagoVerifier } from '../../../../nodes/WebhookTrigger/auth/presets/mercadoPago';
import { presetDefaults } from '../../../../nodes/WebhookTrigger/auth';
import { NOW, NOW_SECONDS, request, runPresetSuite } from './presetSuite';

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

		it('names body.action and body.id', () => {
		expect(presetDefaults('mercadoPago')).toEqual({ eventPath: 'body.action', deliveryIdPath: 'body.id' });
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
