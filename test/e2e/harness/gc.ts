import { randomBytes } from 'crypto';
import { connect } from 'net';

/**
 * A full garbage collection in another Node process, through its inspector (started with
 * `NODE_OPTIONS=--inspect=127.0.0.1:0`, which prints `Debugger listening on ws://…` to its log):
 * one Chrome DevTools Protocol call, `HeapProfiler.collectGarbage`, over a minimal WebSocket
 * client (the jest process's Node 20 has no WebSocket without a flag). So a memory figure is the
 * process's live data, not V8's lazily grown heap.
 */

/** The first inspector URL in a log, or undefined. */
export function inspectorUrl(log: string): string | undefined {
	return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/.exec(log)?.[1];
}

/** A masked WebSocket text frame (client frames must be masked, RFC 6455 §5.3). */
function textFrame(text: string): Buffer {
	const payload = Buffer.from(text, 'utf8');
	const mask = randomBytes(4);
	const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
	const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
	return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

export async function collectGarbage(url: string, timeoutMs = 60_000): Promise<void> {
	const { hostname, port, pathname } = new URL(url);
	await new Promise<void>((resolve, reject) => {
		const socket = connect(Number(port), hostname);
		let received = Buffer.alloc(0);
		let upgraded = false;
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`no answer from the inspector at ${url} in ${timeoutMs} ms`));
		}, timeoutMs);
		const done = (error?: Error) => {
			clearTimeout(timer);
			socket.destroy();
			if (error) reject(error);
			else resolve();
		};
		socket.on('error', done);
		socket.on('connect', () => {
			socket.write(
				[
					`GET ${pathname} HTTP/1.1`,
					`Host: ${hostname}:${port}`,
					'Upgrade: websocket',
					'Connection: Upgrade',
					`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
					'Sec-WebSocket-Version: 13',
					'',
					'',
				].join('\r\n'),
			);
		});
		socket.on('data', (chunk: Buffer) => {
			received = Buffer.concat([received, chunk]);
			if (!upgraded) {
				const end = received.indexOf('\r\n\r\n');
				if (end < 0) return;
				if (!/^HTTP\/1\.1 101/.test(received.toString('latin1', 0, end))) return done(new Error(`inspector refused the upgrade: ${received.toString('latin1', 0, end)}`));
				upgraded = true;
				received = received.subarray(end + 4);
				socket.write(textFrame(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
			}
			// The answer to id 1 (server frames are unmasked; the text is enough to find it).
			if (received.toString('utf8').includes('"id":1')) done();
		});
	});
}
