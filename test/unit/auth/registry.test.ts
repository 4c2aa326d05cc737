import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import {
	AUTH_SCHEMES,
	authenticationOptions,
	credentialRequirements,
	presetDefaults,
	verifiers,
} from '../../../nodes/WebhookTrigger/auth';
import type { AuthScheme } from '../../../nodes/WebhookTrigger/auth';
import { WebhookTrigger } from '../../../nodes/WebhookTrigger/WebhookTrigger.node';
import { webhookTriggerProperties } from '../../../nodes/WebhookTrigger/description';

/** The schemes that are provider presets (they name the provider's event and delivery id). */
const PRESET_SCHEMES = AUTH_SCHEMES.filter((scheme) => verifiers[scheme].preset !== undefined);

/** One entry per credential type, shown for every scheme that uses it. */
function credentialDescriptions(
	testedBy: string,
): Array<{ name: string; required: true; displayOptions: { show: { authentication: AuthScheme[] } }; testedBy: string }> {
	const byType = new Map<string, AuthScheme[]>();
	for (const scheme of AUTH_SCHEMES) {
		const type = verifiers[scheme].credentialType;
		if (type !== undefined) byType.set(type, [...(byType.get(type) ?? []), scheme]);
	}
	return [...byType].map(([name, authentication]) => ({
		name,
		required: true,
		displayOptions: { show: { authentication } },
		testedBy,
	}));
}

const ROOT = join(__dirname, '../../..');
/** The provider cookbook: docs/providers.md, and docs/authentication.md (Slack's and Meta's entries are schemes of their own there). */
const COOKBOOK = ['docs/authentication.md', 'docs/providers.md'].map((page) => readFileSync(join(ROOT, page), 'utf8')).join('\n');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };

/** Credential classes declared in package.json, by their `name`. */
function declaredCredentials(): Map<string, { properties: Array<{ name: string }> }> {
	const found = new Map<string, { properties: Array<{ name: string }> }>();
	for (const path of PACKAGE.n8n.credentials) {
		const base = path.replace(/^dist\//, '').replace(/\.js$/, '');
		const module = require(join(ROOT, base)) as Record<string, new () => { name: string; properties: Array<{ name: string }> }>;
		for (const Class of Object.values(module)) {
			const instance = new Class();
			found.set(instance.name, instance);
		}
	}
	return found;
}

describe('verifier registry as the one source of truth', () => {
	it('has at least 45 provider presets, Slack and Meta included', () => {
		expect(PRESET_SCHEMES.length).toBeGreaterThanOrEqual(45);
		expect(PRESET_SCHEMES).toEqual(expect.arrayContaining(['slack', 'meta', 'stripe', 'github', 'standardWebhooks', 'twilio', 'zoom']));
	});

	it('gives the node one Authentication option per registered scheme, alphabetical', () => {
		const property = webhookTriggerProperties.find((p) => p.name === 'authentication');
		const options = (property?.options ?? []) as Array<{ name: string; value: string }>;
		expect(options.map((o) => o.value).sort()).toEqual([...AUTH_SCHEMES].sort());
		const names = options.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(authenticationOptions()).toEqual(options);
	});

	it("derives the node's credential list: each type once, shown for every scheme that uses it", () => {
		const listed = new WebhookTrigger().description.credentials ?? [];
		for (const scheme of AUTH_SCHEMES) {
			const type = verifiers[scheme].credentialType;
			const entries = listed.filter((c) => (c.displayOptions?.show?.authentication as string[] | undefined)?.includes(scheme));
			expect(entries.map((c) => c.name)).toEqual(type === undefined ? [] : [type]);
		}
		// The node's literal list (kept for n8n's lint) is exactly the registry's, in the same shape.
		const auth = listed.filter((c) => c.name !== 'webhookGatewayPostgresApi');
		expect(auth).toEqual(credentialDescriptions('webhookCredentialCheck'));
	});

	it('names only credential types package.json declares, whose classes have every field the check reads', () => {
		const declared = declaredCredentials();
		for (const scheme of AUTH_SCHEMES) {
			const type = verifiers[scheme].credentialType;
			if (type === undefined) continue;
			const credential = declared.get(type);
			expect(credential).toBeDefined();
			const requirements = credentialRequirements(type) ?? {};
			const fields = [...(requirements.secrets ?? []), ...(requirements.required ?? []), ...(requirements.httpNames ?? [])];
			expect(fields.length).toBeGreaterThan(0);
			for (const { field } of fields) expect(credential?.properties.map((p) => p.name)).toContain(field);
		}
	});

	it('gives every preset its event path and delivery id as data (absent only where the provider sends none)', () => {
		for (const scheme of PRESET_SCHEMES) {
			const defaults = presetDefaults(scheme);
			for (const path of [defaults.eventPath, defaults.deliveryIdPath]) {
				if (path !== undefined) expect(path).toMatch(/^(body|headers|query)\.[^\s]+$/);
			}
			expect(defaults.eventPath ?? defaults.deliveryIdPath).toBeDefined();
		}
		expect(presetDefaults('nope')).toEqual({});
	});

	it('hides every preset signature header on every node (or, for a secret in the body, removes it from the output)', () => {
		for (const scheme of PRESET_SCHEMES) {
			const verifier = verifiers[scheme] as { secretFields: { headers: string[]; query: string[] }; bodyWithoutSecrets?: unknown };
			const fields = verifier.secretFields.headers.length + verifier.secretFields.query.length;
			expect(fields > 0 || typeof verifier.bodyWithoutSecrets === 'function').toBe(true);
		}
	});

	describe.each(PRESET_SCHEMES.map((scheme) => [scheme]))('preset %s', (scheme) => {
		it('has a unit test file with its vectors', () => {
			const candidates = [join(ROOT, `test/unit/auth/presets/${scheme}.test.ts`), join(ROOT, `test/unit/auth/${scheme}.test.ts`)];
			const file = candidates.find((path) => existsSync(path));
			expect(file).toBeDefined();
			const text = readFileSync(file as string, 'utf8');
			// Vectors: the file exercises the verifier with a signature or token, not just its metadata.
			expect(text).toMatch(/\.verify\(|runPresetSuite\(/);
		});

		it('has a cookbook entry in docs/ (providers.md or authentication.md)', () => {
			const heading = verifiers[scheme].displayName.split(/[ (]/)[0];
			expect(COOKBOOK).toMatch(new RegExp(`^#{2,4} ${heading}\\b`, 'm'));
		});
	});
});
