import { existsSync, readFileSync } from 'fs';
import { basename, join } from 'path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

// n8n's loader requires each listed file to export a class named like the file; a mismatch only
// shows up at n8n start as "Class could not be found". Check it on the sources the dist paths map to.
const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sourceOf(distPath: string): string {
	return join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function loadClass<T>(distPath: string): T {
	const file = sourceOf(distPath);
	const className = basename(file).split('.')[0];
	const Exported = require(file)[className] as new () => T;
	expect(typeof Exported).toBe('function');
	return new Exported();
}

describe('package.json n8n block', () => {
	it('follows the community package conventions', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.dependencies?.['n8n-workflow']).toBeUndefined();
		expect(pkg.dependencies?.['n8n-core']).toBeUndefined();
	});

	it('lists the five node types with codex files and distinct light and dark icons', () => {
		const names = (pkg.n8n.nodes as string[]).map((p) => loadClass<INodeType>(p).description.name);
		expect(names.sort()).toEqual(['chatBind', 'customerBind', 'waitForWebhook', 'webhookDeliveries', 'webhookTrigger']);

		for (const distPath of pkg.n8n.nodes as string[]) {
			const file = sourceOf(distPath);
			const { description } = loadClass<INodeType>(distPath);
			const codex = JSON.parse(readFileSync(file.replace(/\.ts$/, '.json'), 'utf8'));
			expect(codex.node).toBe(`${pkg.name}.${description.name}`);
			expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);

			const icon = description.icon as { light: string; dark: string };
			const light = join(file, '..', icon.light.replace('file:', ''));
			const dark = join(file, '..', icon.dark.replace('file:', ''));
			expect(existsSync(light) && existsSync(dark)).toBe(true);
			expect(readFileSync(light, 'utf8')).not.toEqual(readFileSync(dark, 'utf8'));
		}
	});

	it('offers AI agents the nodes that answer at once, never Wait for Webhook (which parks the execution)', () => {
		const asTool = Object.fromEntries(
			(pkg.n8n.nodes as string[]).map((p) => {
				const { description } = loadClass<INodeType>(p);
				return [description.name, description.usableAsTool === true];
			}),
		);
		expect(asTool).toEqual({ webhookTrigger: false, waitForWebhook: false, customerBind: true, chatBind: true, webhookDeliveries: true });
	});

	it('lists every credential, each named like its class and used by a node', () => {
		const usedByNodes = new Set(
			(pkg.n8n.nodes as string[]).flatMap((p) =>
				(loadClass<INodeType>(p).description.credentials ?? []).map((c) => c.name),
			),
		);
		for (const distPath of pkg.n8n.credentials as string[]) {
			const credential = loadClass<ICredentialType>(distPath);
			const className = basename(sourceOf(distPath)).split('.')[0];
			expect(credential.name).toBe(className[0].toLowerCase() + className.slice(1));
			expect(usedByNodes.has(credential.name)).toBe(true);
		}
	});
});
