import type { N8nInstance } from './n8n';

/**
 * What a user does in the editor, through the editor's own REST API (owner session): create a
 * credential, save an imported workflow file ("Import from file", then Save), activate it
 * (1.x "Active" / 2.x "Publish"). On a running n8n, so webhooks register live.
 */

async function rest<T>(n8n: N8nInstance, method: string, path: string, body: unknown): Promise<T> {
	const response = await n8n.request(method, `/rest${path}`, {
		headers: { ...(await n8n.ownerSession()), 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (response.status !== 200) throw new Error(`${method} /rest${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
	return response.json<{ data: T }>().data;
}

/** Creates a credential as the editor's credential form saves it; returns its id. */
export async function createCredential(n8n: N8nInstance, credential: { name: string; type: string; data: Record<string, unknown> }): Promise<string> {
	const created = await rest<{ id: string }>(n8n, 'POST', '/credentials', credential);
	return created.id;
}

export interface WorkflowFile {
	name: string;
	nodes: Array<{ name: string; type: string; credentials?: Record<string, { id: string | null; name: string }> } & Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

/** Saves a workflow as the editor does after "Import from file"; returns its id and version. */
export async function saveWorkflow(n8n: N8nInstance, workflow: WorkflowFile): Promise<{ id: string; versionId: string }> {
	const saved = await rest<{ id: string; versionId: string }>(n8n, 'POST', '/workflows', { ...workflow, active: false });
	return { id: saved.id, versionId: saved.versionId };
}

/** Activates (2.x: publishes) a saved workflow; n8n registers its webhooks before answering. */
export async function activateWorkflow(n8n: N8nInstance, saved: { id: string; versionId: string }): Promise<void> {
	const activated = await rest<{ active: boolean }>(n8n, 'POST', `/workflows/${saved.id}/activate`, { versionId: saved.versionId });
	if (activated.active !== true) throw new Error(`workflow ${saved.id} is not active after activation: ${JSON.stringify(activated).slice(0, 300)}`);
}

/** Saves a changed credential as the editor's credential form does (e.g. a secret typed wrong, fixed). */
export async function updateCredential(n8n: N8nInstance, id: string, credential: { name: string; type: string; data: Record<string, unknown> }): Promise<void> {
	await rest<{ id: string }>(n8n, 'PATCH', `/credentials/${id}`, credential);
}
