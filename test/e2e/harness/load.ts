import { readFileSync } from 'fs';
import { Agent, request } from 'http';
import { connect } from 'net';

/** Loopback load and raw HTTP for the reliability tests: no dependency beyond Node. */

export interface Answer {
	status: number;
	body: string;
}

/** One POST on a keep-alive agent; resolves with the status and body, rejects on a socket error. */
export async function post(agent: Agent, url: string, body: string, headers: Record<string, string>): Promise<Answer> {
	return await new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * Sends `count` calls from `clients` concurrent keep-alive connections, each client taking the
 * next index when its previous call is answered. Returns the answers by index.
 */
export async function sendConcurrently(
	count: number,
	clients: number,
	send: (index: number, agent: Agent) => Promise<Answer>,
): Promise<Answer[]> {
	const agent = new Agent({ keepAlive: true, maxSockets: clients });
	const answers: Answer[] = new Array(count);
	let next = 0;
	const client = async () => {
		while (next < count) {
			const index = next++;
			answers[index] = await send(index, agent);
		}
	};
	try {
		await Promise.all(Array.from({ length: clients }, client));
	} finally {
		agent.destroy();
	}
	return answers;
}

/** Resident set size of a process in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]) / 1024;
}

export interface RawAnswer {
	/** The status line's code, or undefined when the server closed without answering. */
	status?: number;
	/** Everything the server sent. */
	text: string;
	/** The server closed the connection (it did not wait for our timeout). */
	closed: boolean;
}

/**
 * Writes `bytes` on a fresh TCP connection exactly as given (no HTTP client in between), then
 * half-closes it when `end` is set, and reads until the server closes or `timeoutMs` passes.
 */
export async function rawExchange(port: number, bytes: Buffer, options: { end?: boolean; timeoutMs?: number } = {}): Promise<RawAnswer> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		let done = false;
		const finish = (closed: boolean) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			const text = Buffer.concat(chunks).toString('latin1');
			const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
			resolve({ status: status ? Number(status[1]) : undefined, text, closed });
		};
		const timer = setTimeout(() => finish(false), options.timeoutMs ?? 15_000);
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('close', () => finish(true));
		socket.on('error', () => finish(true));
		socket.on('connect', () => {
			socket.write(bytes);
			if (options.end) socket.end();
		});
	});
}
