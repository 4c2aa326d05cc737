/**
 * n8n queue mode (EXECUTIONS_MODE=queue) runs executions in several processes; the embedded store
 * serves one. The one test of it, for the embedded engine and for the nodes that pick a store.
 */
export function inQueueMode(): boolean {
	return (process.env.EXECUTIONS_MODE ?? '').trim().toLowerCase() === 'queue';
}
