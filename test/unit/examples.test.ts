import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { credentialTypeFor, isAuthScheme } from '../../nodes/WebhookTrigger/auth';
import { configuredOutputs } from '../../nodes/WebhookTrigger/gate/routing';

/**
 * The importable workflows in examples/, checked against the package without an n8n: what n8n's
 * "Import from file" would accept but then silently get wrong (a misspelt parameter is dropped, a
 * connection from an output the node does not have never runs). test/e2e/examples.test.ts imports,
 * activates and calls them in a real n8n.
 */

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const prefix = `${pkg.name}.`;

interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	settings: Record<string, unknown>;
}

/** Our node types by name, from the files package.json lists (the sources they are built from). */
const descriptions = new Map<string, INodeTypeDescription>(
	(pkg.n8n.nodes as string[]).map((distPath) => {
		const file = join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		const className = file.split('/').pop()!.split('.')[0];
		const { description } = new (require(file)[className] as new () => INodeType)();
		return [description.name, description];
	}),
);

const files = readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.json')).sort();
const examples = files.map((file) => [file, JSON.parse(readFileSync(join(root, 'examples', file), 'utf8')) as Example] as const);

function outputCount(node: ExampleNode, description: INodeTypeDescription): number {
	if (description.name === 'webhookTrigger') return configuredOutputs(node.parameters).length;
	return Array.isArray(description.outputs) ? description.outputs.length : 0;
}

describe('examples/', () => {
	it('holds the workflows of the seeds\' stories', () => {
		expect(files.length).toBeGreaterThanOrEqual(6);
	});

	it.each(examples)('%s is a workflow file n8n imports: name, nodes, connections, settings', (_file, example) => {
		expect(typeof example.name).toBe('string');
		expect(Array.isArray(example.nodes)).toBe(true);
		expect(typeof example.connections).toBe('object');
		expect(example.settings).toMatchObject({ executionOrder: 'v1' });
		const ids = example.nodes.map((node) => node.id);
		const names = example.nodes.map((node) => node.name);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(names).size).toBe(names.length);
		for (const node of example.nodes) {
			expect(node.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
		}
	});

	it.each(examples)('%s: our nodes exist in the package at a version it has (the trigger at its default), with known parameters', (_file, example) => {
		for (const node of example.nodes.filter((n) => n.type.startsWith(prefix))) {
			const description = descriptions.get(node.type.slice(prefix.length));
			expect({ node: node.name, known: description !== undefined }).toEqual({ node: node.name, known: true });
			const versions = ([] as number[]).concat(description!.version);
			expect(versions).toContain(node.typeVersion);
			if (description!.defaultVersion !== undefined) expect({ node: node.name, typeVersion: node.typeVersion }).toEqual({ node: node.name, typeVersion: description!.defaultVersion });
			const parameters = new Set(description!.properties.map((property: INodeProperties) => property.name));
			for (const name of Object.keys(node.parameters)) {
				expect({ node: node.name, parameter: name, known: parameters.has(name) }).toEqual({ node: node.name, parameter: name, known: true });
			}
		}
	});

	it.each(examples)('%s: credentials by name for the types the nodes use, one per authentication that needs it', (_file, example) => {
		for (const node of example.nodes.filter((n) => n.type.startsWith(prefix))) {
			const allowed = new Set((descriptions.get(node.type.slice(prefix.length))!.credentials ?? []).map((c) => c.name));
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				expect(allowed.has(type)).toBe(true);
				expect(reference.name.trim()).not.toBe('');
			}
			const scheme = node.parameters.authentication;
			if (typeof scheme === 'string') {
				expect(isAuthScheme(scheme)).toBe(true);
				const needed = credentialTypeFor(scheme as Parameters<typeof credentialTypeFor>[0]);
				expect(Object.keys(node.credentials ?? {})).toEqual(needed ? [needed] : []);
			}
		}
	});

	it.each(examples)('%s: connections join existing nodes, from outputs the node has', (_file, example) => {
		const byName = new Map(example.nodes.map((node) => [node.name, node]));
		for (const [from, { main }] of Object.entries(example.connections)) {
			const source = byName.get(from);
			expect({ from, exists: source !== undefined }).toEqual({ from, exists: true });
			for (const targets of main) for (const target of targets) expect({ target: target.node, exists: byName.has(target.node) }).toEqual({ target: target.node, exists: true });
			if (source!.type.startsWith(prefix)) {
				const description = descriptions.get(source!.type.slice(prefix.length))!;
				expect({ from, outputs: main.length }).toEqual({ from, outputs: outputCount(source!, description) });
			}
		}
	});

	it('webhook paths and webhook ids are unique across the examples (they can all be active in one n8n)', () => {
		const triggers = examples.flatMap(([, example]) => example.nodes.filter((node) => node.webhookId !== undefined));
		const paths = triggers.map((node) => node.parameters.path);
		const webhookIds = triggers.map((node) => node.webhookId);
		expect(new Set(paths).size).toBe(paths.length);
		expect(new Set(webhookIds).size).toBe(webhookIds.length);
	});
});
