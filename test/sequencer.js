/**
 * The order jest hands test files to its workers (jest.config.js `testSequencer`). Two files run at
 * a time, also on 2 cores, and the e2e files that load n8n's CPU hardest must not meet: beside the
 * queue suite, reliability.test.ts took 17 minutes instead of 9, and its 20,000-delivery inbox
 * burst on n8n 1.123 389 s of its 600 s timeout (97 s alone). So reliability starts first, beside
 * files that mostly wait on n8n (starts, restarts, a browser); the queue suite and acknowledged
 * (kills, leases, bursts) come after those, about 14 minutes of them. Then the other e2e files (an
 * e2e file not listed here among them), then the rest. Within each group, and for a single project
 * or file, jest's own order stays (failed first, then the slowest last time).
 */
const { basename, sep } = require('path');

const Sequencer = require('@jest/test-sequencer').default;

const E2E_FIRST = ['reliability', 'editor', 'resume', 'webhookTrigger', 'presets', 'duplicates', 'queue', 'acknowledged'];

function rank(test) {
	if (!test.path.includes(`${sep}test${sep}e2e${sep}`)) return E2E_FIRST.length + 1;
	const listed = E2E_FIRST.indexOf(basename(test.path, '.test.ts'));
	return listed === -1 ? E2E_FIRST.length : listed;
}

class WebhookGatewaySequencer extends Sequencer {
	async sort(tests) {
		const byJest = await super.sort(tests);
		return byJest
			.map((test, index) => ({ test, index, rank: rank(test) }))
			.sort((a, b) => a.rank - b.rank || a.index - b.index)
			.map(({ test }) => test);
	}
}

module.exports = WebhookGatewaySequencer;
