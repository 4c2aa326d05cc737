import { InspectorSession } from './inspector';

export { inspectorUrl } from './inspector';

/**
 * A full garbage collection in another Node process, through its inspector (see inspector.ts):
 * one Chrome DevTools Protocol call, `HeapProfiler.collectGarbage`. So a memory figure is the
 * process's live data, not V8's lazily grown heap.
 */
export async function collectGarbage(url: string, timeoutMs = 60_000): Promise<void> {
	const session = await InspectorSession.open(url, timeoutMs);
	try {
		await session.call('HeapProfiler.collectGarbage', {}, timeoutMs);
	} finally {
		session.close();
	}
}
