/**
 * The node's decrypted credential, reused for a few seconds.
 *
 * On n8n 2.x with its default expression engine, every credential read from a webhook builds a
 * fresh V8 isolate to resolve credential expressions (credentials-helper `getDecrypted`): ~50 ms of
 * CPU on this project's 2-core reference machine, as much as the rest of a rejected call. n8n also
 * takes an isolate for every community webhook node before calling it (its own Webhook node is
 * exempt), so without this cache a forged call cost the trigger two isolates where n8n's Webhook
 * node pays one. Reusing the credential for {@link CREDENTIAL_TTL_MS} pays the read once per
 * node per interval instead of once per call.
 *
 * The price: a credential changed or revoked in n8n takes effect for production calls within
 * {@link CREDENTIAL_TTL_MS} (docs/security.md). Calls on the test URL always read afresh.
 * Entries live only in this process's memory, where n8n keeps decrypted credentials anyway, and
 * are keyed by workflow, node, credential type and credential id, so two nodes never share one.
 */
export const CREDENTIAL_TTL_MS = 5_000;
const MAX_ENTRIES = 256;

interface Entry {
	value: Promise<unknown>;
	expiresAt: number;
}

const entries = new Map<string, Entry>();

export interface CredentialRead {
	workflowId: string;
	nodeName: string;
	credentialType: string;
	/** The id the node references; undefined reads afresh (nothing to key a cached value by). */
	credentialId: string | undefined;
	/** False for test-URL calls: the editor must see an edited credential at once. */
	cacheable: boolean;
	now: number;
	read: () => Promise<unknown>;
}

export async function cachedCredential(request: CredentialRead): Promise<unknown> {
	if (!request.cacheable || request.credentialId === undefined) return await request.read();
	const key = [request.workflowId, request.nodeName, request.credentialType, request.credentialId].join('\n');
	const hit = entries.get(key);
	if (hit && hit.expiresAt > request.now) return await hit.value;
	// Concurrent calls share one read; a failed read is not kept.
	const value = request.read();
	entries.delete(key);
	if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
	entries.set(key, { value, expiresAt: request.now + CREDENTIAL_TTL_MS });
	value.catch(() => {
		if (entries.get(key)?.value === value) entries.delete(key);
	});
	return await value;
}

/** For tests. */
export function clearCredentialCache(): void {
	entries.clear();
}
