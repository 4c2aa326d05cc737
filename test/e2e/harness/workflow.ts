import { createHash } from 'crypto';

import { packageName } from './package';

/** Builds n8n workflow JSON for import:workflow; ids are derived from names so files stay stable. */

export interface NodeSpec {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	typeVersion?: number;
	/** n8n's per-node error setting, e.g. `continueRegularOutput` (Continue On Fail). */
	onError?: string;
}

const uuidFrom = (seed: string) => {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Our node types as n8n names them once installed as a community package. */
export const nodeType = (name: 'webhookTrigger' | 'customerBind' | 'chatBind' | 'webhookDeliveries' | 'waitForWebhook') => `${packageName}.${name}`;

export const noOp = (name: string): NodeSpec => ({ name, type: 'n8n-nodes-base.noOp' });

/**
 * A workflow: `trigger` first, then nodes; `connections[from]` lists, per output index, the node
 * names that output feeds (index 0 of each target).
 */
export function workflow(
	id: string,
	trigger: NodeSpec,
	nodes: NodeSpec[],
	connections: Record<string, Array<string[]>>,
): { id: string } & Record<string, unknown> {
	const all = [trigger, ...nodes];
	return {
		id,
		name: id,
		active: false,
		nodes: all.map((node, index) => ({
			id: uuidFrom(`${id}/${node.name}`),
			name: node.name,
			type: node.type,
			// Our trigger as the editor adds it today (1.1); everything else at version 1.
			typeVersion: node.typeVersion ?? (node.type === nodeType('webhookTrigger') ? 1.1 : 1),
			position: [index * 260, 0],
			parameters: node.parameters ?? {},
			...(node.credentials ? { credentials: node.credentials } : {}),
			...(node.onError ? { onError: node.onError } : {}),
			...(node === trigger ? { webhookId: uuidFrom(`${id}/webhook`) } : {}),
		})),
		connections: Object.fromEntries(
			Object.entries(connections).map(([from, outputs]) => [
				from,
				{ main: outputs.map((targets) => targets.map((node) => ({ node, type: 'main', index: 0 }))) },
			]),
		),
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		pinData: {},
	};
}
