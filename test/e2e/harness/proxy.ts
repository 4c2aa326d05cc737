import { createServer, request } from 'http';
import type { Server } from 'http';

/**
 * An HTTP proxy on 127.0.0.1 that forwards everything to n8n, except the requests a test tells it
 * to fail. Put in front of n8n's calls to itself (n8n started with WEBHOOK_URL / N8N_WEBHOOK_URL
 * = `url`: the resume URLs n8n hands out point here), it makes one hand-over to a waiting
 * execution fail as a broken network or gateway would, without touching the package's code.
 */
export class FaultProxy {
	/** Paths (with query) of the requests answered with a fault instead of forwarded. */
	readonly failed: string[] = [];

	/** Where n8n's calls to itself go (its WEBHOOK_URL); set by start(). */
	url = '';

	private readonly faults: Array<{ match: string; status: number }> = [];

	private readonly server: Server;

	private constructor(targetPort: number) {
		this.server = createServer((req, res) => {
			const path = req.url ?? '/';
			const fault = this.faults.findIndex((one) => path.includes(one.match));
			if (fault >= 0) {
				const [{ status }] = this.faults.splice(fault, 1);
				this.failed.push(path);
				req.resume();
				res.writeHead(status, { 'content-type': 'text/plain' }).end('fault injected by the test proxy');
				return;
			}
			const upstream = request(
				{ host: '127.0.0.1', port: targetPort, method: req.method, path, headers: req.headers, agent: false },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			upstream.on('error', () => {
				if (!res.headersSent) res.writeHead(502);
				res.end();
			});
			req.pipe(upstream);
		});
	}

	/** A proxy on a free loopback port, forwarding to n8n on `targetPort`. */
	static async start(targetPort: number): Promise<FaultProxy> {
		const proxy = new FaultProxy(targetPort);
		await new Promise<void>((resolve, reject) => {
			proxy.server.once('error', reject);
			proxy.server.listen(0, '127.0.0.1', resolve);
		});
		const address = proxy.server.address();
		proxy.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
		return proxy;
	}

	/** The next request whose path contains `match` is answered `status`, not forwarded; later ones pass. */
	failNext(match: string, status = 502): void {
		this.faults.push({ match, status });
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}
