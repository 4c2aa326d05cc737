// Run with the n8n version's own node binary (its sqlite3 build matches that Node):
//   node activate-workflows.js <n8nDir> <database.sqlite | postgres://…> <id>...
// Makes imported workflows live before n8n starts: the same single UPDATE that n8n's own
// `update:workflow --id --active=true` (1.x) and `publish:workflow --id` (2.x) run, without booting
// n8n's CLI once per workflow (seconds of CPU each, about 80 times per e2e run).
const path = require('path');
const [n8nDir, database, ...ids] = process.argv.slice(2);
const fromN8n = (m) => require(path.join(n8nDir, 'node_modules', m));

const fail = (error) => {
	console.error(error.message);
	process.exit(1);
};
const check = (changed) => {
	if (changed !== ids.length) fail(new Error(`activated ${changed} of ${ids.length} workflows (${ids.join(', ')})`));
};

if (ids.length === 0) process.exit(0);
if (/^postgres(ql)?:\/\//.test(database)) {
	const { Client } = fromN8n('pg');
	const client = new Client({ connectionString: database });
	client
		.connect()
		.then(() =>
			client.query('update workflow_entity set active = true, "activeVersionId" = "versionId" where id = any($1)', [ids]),
		)
		.then((result) => {
			check(result.rowCount);
			return client.end();
		})
		.catch(fail);
} else {
	const sqlite3 = fromN8n('sqlite3');
	const db = new sqlite3.Database(database);
	const marks = ids.map(() => '?').join(', ');
	db.run(`update workflow_entity set active = 1, activeVersionId = versionId where id in (${marks})`, ids, function (error) {
		if (error) fail(error);
		check(this.changes);
		db.close();
	});
}
