/** Suites: unit (pure logic), integration (real databases; store-node24 adds SQLite), e2e (a real n8n). */
const { availableParallelism } = require('os');

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }];
const common = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest } };

module.exports = {
	// Jest's default (cores - 1) is one worker on a 2-core machine, and the e2e files then run one
	// after another though most of their time is spent waiting on n8n (starts, restarts, leases, a
	// killed worker's stalled jobs). Every suite is safe in parallel (a PostgreSQL schema, n8n user
	// folder, port and Redis prefix per process), so at least two files run at once.
	maxWorkers: Math.max(2, availableParallelism() - 1),
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
