// Lint: the n8n community-node rule sets (eslint-plugin-n8n-nodes-base for nodes, credentials and
// package.json; @n8n/eslint-plugin-community-nodes without n8n Cloud restrictions, because this
// package is for self-hosted n8n). Every rule switched off is listed, with its reason, in CONTRIBUTING.md
// under "Development > Lint rules switched off".
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'gulpfile.js', 'eslint.config.mjs', 'jest.config.js'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.community.rules,
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Its own docs say it applies only to nodes in n8n's main repository (docs.n8n.io slugs);
			// a community package links full URLs to its docs pages (docs/*.md on GitHub).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Superseded by @n8n/community-nodes/node-connection-type-literal, which requires
			// NodeConnectionTypes.Main where these two older rules demand the string 'main'.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...community,
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: {
			...community.rules,
			// Self-hosted package with a database store: pg, PGlite (WASM), ajv, luxon and
			// libphonenumber-js are pure JS and install without scripts, as n8n installs community packages.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// A generic inbound webhook registers nothing at a remote service, so there is nothing for
			// checkExists/create/delete to do (n8n's own Webhook node has no webhookMethods either).
			'@n8n/community-nodes/webhook-lifecycle-complete': 'off',
		},
	},
	{
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
);
