// Run with the n8n version's own node binary (its sqlite3 build matches that Node):
//   node read-executions.js <n8nDir> <database.sqlite | postgres://…> <sinceId> [statuses]
// Prints finished executions as JSON: per node, the items of each output. With `statuses`, only
// id, workflowId and status of each (a poll that neither reads nor parses execution data: with
// thousands of executions, reading the data on every poll took a core from n8n). A postgres:// URL
// reads n8n's PostgreSQL database (queue mode) with n8n's own `pg`.
const path = require('path');
const [n8nDir, database, since, mode] = process.argv.slice(2);
const fromN8n = (m) => require(path.join(n8nDir, 'node_modules', m));
const { parse } = fromN8n('flatted');

const statusesOnly = mode === 'statuses';
const columns = statusesOnly
	? `e.id, e."workflowId", e.status from execution_entity e`
	: `e.id, e."workflowId", e.status, e.mode, e.finished, d.data
	from execution_entity e left join execution_data d on d."executionId" = e.id`;
const toStatus = (row) => ({ id: String(row.id), workflowId: row.workflowId, status: row.status });
const toOutput = (rows) => JSON.stringify(rows.map(statusesOnly ? toStatus : toExecution));

function toExecution(row) {
	const data = row.data ? parse(row.data) : {};
	const resultData = data.resultData || {};
	const nodes = {};
	for (const [name, runs] of Object.entries(resultData.runData || {})) {
		const run = runs[0] || {};
		const main = (run.data && run.data.main) || [];
		nodes[name] = {
			outputs: main.map((items) => (items || []).map((item) => item.json)),
			error: run.error ? run.error.message : undefined,
		};
	}
	return {
		id: String(row.id),
		workflowId: row.workflowId,
		status: row.status,
		mode: row.mode,
		finished: Boolean(row.finished),
		error: resultData.error ? resultData.error.message : undefined,
		lastNodeExecuted: resultData.lastNodeExecuted,
		nodes,
		raw: row.data || '',
	};
}

const fail = (error) => {
	console.error(error.message);
	process.exit(1);
};

if (/^postgres(ql)?:\/\//.test(database)) {
	const { Client } = fromN8n('pg');
	const client = new Client({ connectionString: database });
	client
		.connect()
		.then(() => client.query(`select ${columns} where e.id > $1 order by e.id`, [Number(since) || 0]))
		.then((result) => {
			process.stdout.write(toOutput(result.rows));
			return client.end();
		})
		.catch(fail);
} else {
	const sqlite3 = fromN8n('sqlite3');
	const db = new sqlite3.Database(database, sqlite3.OPEN_READONLY);
	db.all(`select ${columns} where e.id > ? order by e.id`, [Number(since) || 0], (error, rows) => {
		if (error) fail(error);
		process.stdout.write(toOutput(rows));
		db.close();
	});
}
