// Run with the n8n version's own node binary (its sqlite3 build matches that Node):
//   node read-executions.js <n8nDir> <database.sqlite> <sinceId>
// Prints finished executions as JSON: per node, the items of each output.
const path = require('path');
const [n8nDir, dbFile, since] = process.argv.slice(2);
const fromN8n = (m) => require(path.join(n8nDir, 'node_modules', m));
const sqlite3 = fromN8n('sqlite3');
const { parse } = fromN8n('flatted');

const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY);
const sql = `select e.id, e.workflowId, e.status, e.mode, e.finished, d.data
	from execution_entity e left join execution_data d on d.executionId = e.id
	where e.id > ? order by e.id`;
db.all(sql, [Number(since) || 0], (error, rows) => {
	if (error) {
		console.error(error.message);
		process.exit(1);
	}
	const executions = rows.map((row) => {
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
	});
	process.stdout.write(JSON.stringify(executions));
	db.close();
});
