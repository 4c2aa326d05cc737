import { realpath } from 'fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'path';
import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

/** The two n8n settings the Embedded Data Folder meets (N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES, N8N_RESTRICT_FILE_ACCESS_TO). */
export interface FileAccessRules {
	/** n8n's own folder, `<N8N_USER_FOLDER>/.n8n`. */
	n8nFolder: string;
	blockN8nFiles?: boolean;
	restrictTo?: string[];
}

function isContainedWithin(parent: string, child: string): boolean {
	const path = relative(resolve(parent), resolve(child));
	return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/**
 * n8n's `resolvePath` / `isFilePathBlocked` helpers (n8n-core 1.123 and 2.41,
 * file-system-helper-functions.js) reduced to those settings; `checked` records every path the
 * node asked about. Like n8n's, resolvePath fails when even the parent folder does not exist.
 */
export function n8nFileHelpers(rules: FileAccessRules) {
	const checked: string[] = [];
	return {
		checked,
		resolvePath: async (path: string) =>
			await realpath(path).catch(async () => join(await realpath(dirname(path)), basename(path))),
		isFilePathBlocked: (path: string) => {
			checked.push(path);
			if (rules.blockN8nFiles !== false && isContainedWithin(rules.n8nFolder, path)) return true;
			const allowed = rules.restrictTo ?? [];
			return allowed.length > 0 && !allowed.some((folder) => isContainedWithin(folder, path));
		},
	};
}

export interface FakeExecuteOptions {
	parameters: Record<string, unknown>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Replaces context.helpers (e.g. n8nFileHelpers(...), or {} for an n8n without the helpers). */
	helpers?: object;
	credentials?: Record<string, unknown>;
}

export const fakeNode: INode = {
	id: 'bind-node',
	name: 'Bind',
	type: 'n8n-nodes-webhook-gateway.customerBind',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The part of IExecuteFunctions Customer Bind and Chat Bind use. */
export function fakeExecuteContext(options: FakeExecuteOptions): IExecuteFunctions {
	const context = {
		getInputData: () => options.items ?? [{ json: {} }],
		getNode: () => fakeNode,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async () => options.credentials ?? {},
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => {
			const value = name
				.split('.')
				.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], options.parameters);
			return value === undefined ? fallback : value;
		},
		helpers: options.helpers ?? {},
	};
	return context as unknown as IExecuteFunctions;
}
