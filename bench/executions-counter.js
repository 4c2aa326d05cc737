// A long-lived reader of n8n's execution table, run with the n8n line's own node binary (its
// sqlite3 build matches that Node). One process for the whole benchmark: spawning one per poll
// would put a Node start on the CPU n8n is being measured on.
//   node executions-counter.js <n8nDir> <database.sqlite>
// stdin, one query a line: "max" → {"maxId": n}; "<workflowId> <sinceId>" →
// {"finished": n, "unfinished": n, "lastStoppedAt": ms|null} for that workflow's executions after sinceId;
// "inbox <workflowId> <sinceIso>" → the same for the deliveries the package's inbox (its SQLite
// file beside n8n's database) received since then: done ones are finished, failed ones counted apart.
const path = require('path');
const readline = require('readline');

const [n8nDir, dbFile] = process.argv.slice(2);
const sqlite3 = require(path.join(n8nDir, 'node_modules', 'sqlite3'));
const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY);
db.configure('busyTimeout', 5000);

const toMs = (value) => {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return value;
	const text = String(value);
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
};

// Opened at its first query: the package creates the file at its first call.
let inboxDb;
const inbox = () =>
	(inboxDb ??= new sqlite3.Database(path.join(path.dirname(dbFile), 'webhook-gateway.sqlite'), sqlite3.OPEN_READONLY));

const answer = (object) => process.stdout.write(`${JSON.stringify(object)}\n`);
const queue = [];
let busy = false;
const drain = () => {
	if (busy || !queue.length) return;
	busy = true;
	const line = queue.shift().trim();
	const done = (object) => {
		answer(object);
		busy = false;
		drain();
	};
	if (line === 'max') {
		db.get('select max(id) as maxId from execution_entity', (error, row) =>
			done(error ? { error: error.message } : { maxId: Number(row.maxId) || 0 }),
		);
		return;
	}
	if (line.startsWith('inbox ')) {
		const [, workflowId, since] = line.split(' ');
		inbox().get(
			`select sum(state = 'done') as finished, sum(state = 'failed') as failed,
				sum(state in ('queued', 'running', 'retrying')) as unfinished, max(finished_at) as lastStoppedAt
			from inbox where workflow_id = ? and received_at >= ?`,
			[workflowId, since],
			(error, row) =>
				done(
					error
						? { error: error.message }
						: { finished: Number(row.finished) || 0, failed: Number(row.failed) || 0, unfinished: Number(row.unfinished) || 0, lastStoppedAt: toMs(row.lastStoppedAt) },
				),
		);
		return;
	}
	const [workflowId, since] = line.split(' ');
	db.get(
		`select sum(status not in ('new', 'running', 'waiting')) as finished,
			sum(status in ('new', 'running', 'waiting')) as unfinished,
			max(stoppedAt) as lastStoppedAt
		from execution_entity where workflowId = ? and id > ?`,
		[workflowId, Number(since) || 0],
		(error, row) =>
			done(
				error
					? { error: error.message }
					: { finished: Number(row.finished) || 0, unfinished: Number(row.unfinished) || 0, lastStoppedAt: toMs(row.lastStoppedAt) },
			),
	);
};
readline.createInterface({ input: process.stdin }).on('line', (line) => {
	queue.push(line);
	drain();
});
