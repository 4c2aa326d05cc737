/** Suites: unit (pure logic), integration (real databases; store-node24 adds SQLite), e2e (a real n8n). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }];
const common = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest } };

module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		// The store suites on SQLite: a jest under Node 24 (node:sqlite), started by one test.
		{ ...common, displayName: 'store-node24', testMatch: ['<rootDir>/test/node24/**/*.test.ts'] },
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// n8n installs once per run, before the first file; jest runs it only when e2e tests are selected.
			globalSetup: '<rootDir>/test/e2e/harness/global-setup.ts',
		},
	],
};
