import { Agent, request } from 'http';

/**
 * A closed-loop load generator in plain Node: `connections` keep-alive sockets, each sending its
 * next request as soon as the previous answer has been read, for `durationMs`. Requests come from
 * `next(i)` (the i-th request of this run), so a benchmark can sign bodies or number delivery ids
 * per request. Pure JS on purpose: the load runs on the same 2 cores as n8n, and a per-request
 * cost of a few µs here is noise next to n8n's milliseconds.
 */
export interface LoadRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	body?: Buffer;
}

export interface LoadResult {
	durationMs: number;
	/** Answers per status code. */
	statuses: Record<number, number>;
	/** Answers whose status `expect` accepted. */
	expected: number;
	/** Latency of every answer, ms, ascending. */
	latenciesMs: number[];
	errors: number;
}

export async function runLoad(options: {
	baseUrl: string;
	connections: number;
	durationMs: number;
	next: (index: number) => LoadRequest;
	expect: (status: number) => boolean;
}): Promise<LoadResult> {
	const { hostname, port } = new URL(options.baseUrl);
	const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
	const statuses: Record<number, number> = {};
	const latencies: number[] = [];
	let expected = 0;
	let errors = 0;
	let issued = 0;
	const started = process.hrtime.bigint();
	const deadline = Date.now() + options.durationMs;

	const one = async (spec: LoadRequest) =>
		await new Promise<number>((resolve, reject) => {
			const headers = spec.body ? { ...spec.headers, 'content-length': String(spec.body.length) } : spec.headers;
			const req = request({ agent, hostname, port, method: spec.method, path: spec.path, headers }, (res) => {
				res.on('data', () => undefined);
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end(spec.body);
		});

	const worker = async () => {
		while (Date.now() < deadline) {
			const spec = options.next(issued++);
			const t0 = process.hrtime.bigint();
			try {
				const status = await one(spec);
				latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
				statuses[status] = (statuses[status] ?? 0) + 1;
				if (options.expect(status)) expected++;
			} catch {
				errors++;
			}
		}
	};
	await Promise.all(Array.from({ length: options.connections }, worker));
	const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
	agent.destroy();
	return { durationMs, statuses, expected, latenciesMs: latencies.sort((a, b) => a - b), errors };
}
