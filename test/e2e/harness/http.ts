import { request } from 'http';

/**
 * fetch() on a new connection each time. Node's fetch reuses idle keep-alive connections, and on
 * a loaded machine a test that pauses a few seconds between two calls (reading n8n's database)
 * races n8n's server closing that idle connection: the next call fails with ECONNRESET before n8n
 * read it. Tests talk to n8n rarely enough that a fresh connection per call costs nothing.
 */
export async function fetchFresh(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Response> {
	return await new Promise((resolve, reject) => {
		const headers: Record<string, string> = { ...init.headers };
		// As fetch does: a known length, not chunked transfer encoding.
		if (init.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
			headers['content-length'] = String(Buffer.byteLength(init.body));
		}
		const call = request(url, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => {
				const answered = new Headers();
				for (const [name, value] of Object.entries(res.headers)) {
					for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) answered.append(name, one);
				}
				const status = res.statusCode ?? 0;
				const empty = status === 204 || status === 304 || init.method === 'HEAD';
				resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: answered }));
			});
		});
		call.on('error', reject);
		call.end(init.body);
	});
}
