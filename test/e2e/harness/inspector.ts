import { randomBytes } from 'crypto';
import { connect } from 'net';
import type { Socket } from 'net';

/**
 * A Chrome DevTools Protocol session with another Node process's inspector (started with
 * `NODE_OPTIONS=--inspect=127.0.0.1:0`, which prints `Debugger listening on ws://…` to its log),
 * over a minimal WebSocket client: the jest and bench processes may run on Node 20, which has no
 * WebSocket without a flag. Calls go one at a time, as the harness and the bench need them.
 */

/** The first inspector URL in a log, or undefined. */
export function inspectorUrl(log: string): string | undefined {
	return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/.exec(log)?.[1];
}

/** A masked WebSocket text frame (client frames must be masked, RFC 6455 §5.3). */
function textFrame(text: string): Buffer {
	const payload = Buffer.from(text, 'utf8');
	const mask = randomBytes(4);
	let length: Buffer;
	if (payload.length < 126) length = Buffer.from([0x80 | payload.length]);
	else if (payload.length < 65_536) length = Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
	else {
		length = Buffer.alloc(9);
		length[0] = 0x80 | 127;
		length.writeBigUInt64BE(BigInt(payload.length), 1);
	}
	const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
	return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

/** One complete (unmasked, server) frame at the start of `data`: its opcode, payload and size, or undefined. */
function frameAt(data: Buffer): { fin: boolean; opcode: number; payload: Buffer; size: number } | undefined {
	if (data.length < 2) return undefined;
	let length = data[1] & 0x7f;
	let offset = 2;
	if (length === 126) {
		if (data.length < 4) return undefined;
		length = data.readUInt16BE(2);
		offset = 4;
	} else if (length === 127) {
		if (data.length < 10) return undefined;
		length = Number(data.readBigUInt64BE(2));
		offset = 10;
	}
	if (data.length < offset + length) return undefined;
	return { fin: (data[0] & 0x80) !== 0, opcode: data[0] & 0x0f, payload: data.subarray(offset, offset + length), size: offset + length };
}

export class InspectorSession {
	private received = Buffer.alloc(0);

	private message: Buffer[] = [];

	private nextId = 1;

	private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

	private constructor(private readonly socket: Socket) {
		socket.on('data', (chunk: Buffer) => this.read(chunk));
		socket.on('close', () => this.failAll(new Error('the inspector closed the connection')));
		socket.on('error', (error) => this.failAll(error));
	}

	static async open(url: string, timeoutMs = 60_000): Promise<InspectorSession> {
		const { hostname, port, pathname } = new URL(url);
		return await new Promise<InspectorSession>((resolve, reject) => {
			const socket = connect(Number(port), hostname);
			let head = Buffer.alloc(0);
			const timer = setTimeout(() => {
				socket.destroy();
				reject(new Error(`no answer from the inspector at ${url} in ${timeoutMs} ms`));
			}, timeoutMs);
			const fail = (error: Error) => {
				clearTimeout(timer);
				socket.destroy();
				reject(error);
			};
			socket.once('error', fail);
			socket.on('connect', () => {
				socket.write(
					[`GET ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', ''].join('\r\n'),
				);
			});
			const onHead = (chunk: Buffer) => {
				head = Buffer.concat([head, chunk]);
				const end = head.indexOf('\r\n\r\n');
				if (end < 0) return;
				socket.off('data', onHead);
				socket.off('error', fail);
				clearTimeout(timer);
				if (!/^HTTP\/1\.1 101/.test(head.toString('latin1', 0, end))) return fail(new Error(`inspector refused the upgrade: ${head.toString('latin1', 0, end)}`));
				const session = new InspectorSession(socket);
				if (head.length > end + 4) session.read(head.subarray(end + 4));
				resolve(session);
			};
			socket.on('data', onHead);
		});
	}

	/** One protocol method; resolves with its result. */
	async call<T = unknown>(method: string, params: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
		const id = this.nextId++;
		return await new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(id);
				reject(new Error(`${method}: no answer from the inspector in ${timeoutMs} ms`));
			}, timeoutMs);
			this.pending.set(id, {
				resolve: (result) => {
					clearTimeout(timer);
					resolve(result as T);
				},
				reject: (error) => {
					clearTimeout(timer);
					reject(error);
				},
			});
			this.socket.write(textFrame(JSON.stringify({ id, method, params })));
		});
	}

	close(): void {
		this.socket.destroy();
	}

	private read(chunk: Buffer): void {
		this.received = Buffer.concat([this.received, chunk]);
		for (let frame = frameAt(this.received); frame; frame = frameAt(this.received)) {
			this.received = this.received.subarray(frame.size);
			if (frame.opcode === 0x8) {
				this.socket.destroy();
				return;
			}
			if (frame.opcode !== 0x1 && frame.opcode !== 0x0) continue; // pings and the like
			this.message.push(frame.payload);
			if (!frame.fin) continue;
			const text = Buffer.concat(this.message).toString('utf8');
			this.message = [];
			const parsed = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
			if (parsed.id === undefined) continue; // an event
			const waiter = this.pending.get(parsed.id);
			this.pending.delete(parsed.id);
			if (parsed.error) waiter?.reject(new Error(parsed.error.message));
			else waiter?.resolve(parsed.result);
		}
	}

	private failAll(error: Error): void {
		for (const waiter of this.pending.values()) waiter.reject(error);
		this.pending.clear();
	}
}
