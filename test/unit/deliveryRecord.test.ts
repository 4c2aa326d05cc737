import { redactionsFor } from '../../nodes/WebhookTrigger/auth';
import { deliveryRecord, newDeliveryId } from '../../nodes/WebhookTrigger/delivery/deliveryRecord';
import type { RecordContext } from '../../nodes/WebhookTrigger/delivery/deliveryRecord';
import { REDACTED } from '../../nodes/WebhookTrigger/gate/redact';
import { admitCall } from '../support/admitCall';
import { gateConfig } from '../support/gateConfig';

/**
 * Issue 26, finding 3: what a delivery-log record keeps must not depend on how far the call got.
 * A call refused before the node's credential was read (IP or Origin allowlist, configuration
 * error) cannot know which header or parameter the credential names, so it keeps names only.
 */

const HEADER_SECRET = 'REAL-SECRET-123';
const QUERY_SECRET = 'REAL-QUERY-456';

function partnerCall() {
	const raw = Buffer.from('{"order":7}');
	return {
		method: 'post',
		headers: {
			'content-type': 'application/json',
			'content-length': String(raw.length),
			origin: 'https://partner.example',
			'user-agent': 'Partner/1.0',
			// A Custom Header credential's header: its name says nothing about a secret.
			'x-partner-key': HEADER_SECRET,
			'x-request-id': 'req-9',
		} as Record<string, string>,
		// A Query Parameter credential's parameter, next to an ordinary one.
		query: { partner_token: QUERY_SECRET, page: '2' } as Record<string, unknown>,
		body: { order: 7 } as unknown,
		rawBody: raw,
		ip: '198.51.100.9',
		now: Date.UTC(2026, 0, 5, 12),
	};
}

const context = (redactions: RecordContext['redactions'], keepBodies = true): RecordContext => ({
	workflowId: 'wf-1',
	nodeName: 'Partner In',
	redactions,
	keepBodies,
});

const ipRefused = { outcome: 'rejected', status: 403, reason: 'ip_not_allowed' } as const;

describe('a record made before the credential was read (redactions unknown)', () => {
	it('keeps no header or query value a credential could name, with Keep Bodies on', () => {
		const row = deliveryRecord(newDeliveryId(), partnerCall(), ipRefused, context('unknown'));
		const dump = JSON.stringify(row);
		expect(dump).not.toContain(HEADER_SECRET);
		expect(dump).not.toContain(QUERY_SECRET);
		// The names are still there: the log says what the caller sent.
		expect(Object.keys(row.headers)).toEqual(Object.keys(partnerCall().headers));
		expect(row.headers['x-partner-key']).toBe(REDACTED);
		expect(row.headers['x-request-id']).toBe(REDACTED);
		expect(row.headers['user-agent']).toBe(REDACTED);
		expect(row.item).toEqual({ body: { order: 7 }, query: { partner_token: REDACTED, page: REDACTED } });
	});

	it('keeps the values of the harmless headers, and the rest of the row', () => {
		const row = deliveryRecord(newDeliveryId(), partnerCall(), ipRefused, context('unknown'));
		expect(row.headers).toMatchObject({
			'content-type': 'application/json',
			'content-length': '11',
			origin: 'https://partner.example',
		});
		expect(row).toMatchObject({ outcome: 'rejected', status: 403, reason: 'ip_not_allowed', clientIp: '198.51.100.9', origin: 'https://partner.example', bodyBytes: 11 });
		expect(row.bodySha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('matches the harmless header names case-insensitively, and never keeps authorization or cookie', () => {
		const call = { ...partnerCall(), headers: { 'Content-Type': 'text/plain', Authorization: 'Bearer b-1', cookie: 's=c-1' } };
		const row = deliveryRecord(newDeliveryId(), call, ipRefused, context('unknown', false));
		expect(row.headers).toEqual({ 'Content-Type': 'text/plain', Authorization: REDACTED, cookie: REDACTED });
		expect(row.item).toBeNull();
	});

	it('stores the body and redacted query even if an item is passed (none can be emitted before the credential)', () => {
		const item = { body: { order: 7 }, query: { partner_token: QUERY_SECRET } };
		const row = deliveryRecord(newDeliveryId(), partnerCall(), { ...ipRefused, item }, context('unknown'));
		expect(JSON.stringify(row)).not.toContain(QUERY_SECRET);
		expect(row.item).toEqual({ body: { order: 7 }, query: { partner_token: REDACTED, page: REDACTED } });
	});
});

describe('a record made after the credential was read', () => {
	it('hides what the credential names and keeps every other value', () => {
		const header = deliveryRecord(newDeliveryId(), partnerCall(), { outcome: 'rejected', status: 401, reason: 'invalid_token' }, context(redactionsFor('header', { headerName: 'X-Partner-Key', token: HEADER_SECRET })));
		expect(JSON.stringify(header)).not.toContain(HEADER_SECRET);
		expect(header.headers).toMatchObject({ 'x-partner-key': REDACTED, 'x-request-id': 'req-9', 'user-agent': 'Partner/1.0' });
		expect(header.item).toMatchObject({ query: { page: '2' } });

		const query = deliveryRecord(newDeliveryId(), partnerCall(), { outcome: 'rejected', status: 401, reason: 'invalid_token' }, context(redactionsFor('query', { parameterName: 'partner_token', token: QUERY_SECRET })));
		expect(JSON.stringify(query)).not.toContain(QUERY_SECRET);
		expect(query.item).toEqual({ body: { order: 7 }, query: { partner_token: REDACTED, page: '2' } });
	});
});

describe("an accepted call's record", () => {
	it("keeps the headers and query of the item the gate emitted: the same names hidden, no secret", () => {
		const credentials = { headerName: 'X-Partner-Key', token: HEADER_SECRET };
		const call = { ...partnerCall(), webhookName: 'default', params: {}, query: { page: '2', access_token: QUERY_SECRET } };
		const admitted = admitCall(call, gateConfig({ scheme: 'header', credentials }));
		if (admitted.kind !== 'run') throw new Error(`the gate refused the call: ${JSON.stringify(admitted)}`);
		const answered = { outcome: 'accepted' as const, status: 200, reason: null, item: admitted.item };
		const record = deliveryRecord(newDeliveryId(), call, answered, context(redactionsFor('header', credentials)));
		expect(record.headers).toEqual(admitted.item.headers);
		expect(record.headers).toMatchObject({ 'x-partner-key': REDACTED, 'x-request-id': 'req-9' });
		expect(record.item).toMatchObject({ query: { page: '2', access_token: REDACTED } });
		expect(JSON.stringify(record)).not.toContain(HEADER_SECRET);
		expect(JSON.stringify(record)).not.toContain(QUERY_SECRET);
		// Without an item (a refusal), the record redacts the call itself, to the same result.
		const refused = deliveryRecord(newDeliveryId(), call, { outcome: 'rejected', status: 401, reason: 'invalid_token' }, context(redactionsFor('header', credentials)));
		expect(refused.headers).toEqual(record.headers);
	});
});

describe('delivery ids', () => {
	it('are version 7 UUIDs that sort by arrival, so each new row lands at the end of the indexes on them', () => {
		const arrivals = [1_765_000_000_000, 1_765_000_000_001, 1_765_000_000_250, 1_765_000_060_000];
		const ids = arrivals.map((now) => newDeliveryId(now));
		for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect([...ids].reverse().sort()).toEqual(ids);
		// The first 48 bits are the arrival in milliseconds.
		expect(parseInt(ids[2].replace(/-/g, '').slice(0, 12), 16)).toBe(arrivals[2]);
		// Within one millisecond the random part keeps them apart.
		expect(new Set(Array.from({ length: 1000 }, () => newDeliveryId(arrivals[0]))).size).toBe(1000);
	});
});
