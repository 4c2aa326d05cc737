import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { Answer } from '../../nodes/WebhookTrigger/handleCall';
import { writeAnswer } from '../../nodes/WebhookTrigger/writeAnswer';

/** What a caller receives for `answer`, over a real HTTP connection. */
async function received(answer: Answer, method = 'POST') {
	const server = createServer((_req, res) => {
		res.setHeader('X-Powered-By', 'Express'); // set by n8n's stack before the node answers: kept
		writeAnswer(res, answer);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const response = await fetch(`http://127.0.0.1:${port}/`, { method });
		return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
	} finally {
		await new Promise((resolve) => server.close(resolve));
	}
}

describe('writeAnswer: answers written with Node’s response calls, as express’s res.send() wrote them', () => {
	it('writes a JSON reply with its charset, its length and its own headers, and no ETag', async () => {
		const body = JSON.stringify({ error: 'rate_limited', message: 'Too many calls — slow down' });
		const { status, headers, body: text } = await received({ status: 429, headers: { 'Retry-After': '7' }, body, contentType: 'application/json' });
		expect(status).toBe(429);
		expect(text).toBe(body);
		expect(headers['content-type']).toBe('application/json; charset=utf-8');
		expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
		expect(headers['retry-after']).toBe('7');
		expect(headers['x-powered-by']).toBe('Express');
		expect(headers.etag).toBeUndefined();
	});

	it('keeps a charset the type names, and a Content-Type among the headers when the answer names none', async () => {
		expect((await received({ status: 200, headers: {}, body: 'x', contentType: 'text/plain; charset=iso-8859-1' })).headers['content-type']).toBe('text/plain; charset=iso-8859-1');
		const configured = await received({ status: 202, headers: { 'content-type': 'application/xml' }, body: '<ok/>' });
		expect(configured.headers['content-type']).toBe('application/xml; charset=utf-8');
		expect(configured.body).toBe('<ok/>');
		expect((await received({ status: 200, headers: {}, body: 'plain' })).headers['content-type']).toBe('text/html; charset=utf-8');
	});

	it('answers 204 with no body and no content headers', async () => {
		const { status, headers, body } = await received({ status: 204, headers: { 'X-Delivery-Id': 'd-1' }, body: 'ignored', contentType: 'application/json' });
		expect(status).toBe(204);
		expect(body).toBe('');
		expect(headers['content-type']).toBeUndefined();
		expect(headers['x-delivery-id']).toBe('d-1');
	});

	it('sends the headers but no body to a HEAD request', async () => {
		const { status, headers, body } = await received({ status: 200, headers: {}, body: 'challenge-123', contentType: 'text/plain' }, 'HEAD');
		expect(status).toBe(200);
		expect(body).toBe('');
		expect(headers['content-length']).toBe('13');
	});
});
