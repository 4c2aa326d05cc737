#!/usr/bin/env node
// Runs a TypeScript script (its exported main()) without a build step: TypeScript, already a dev
// dependency, transpiles each .ts file as it is required. Used by `npm start` and the benchmarks.
//   node scripts/run-ts.js <file.ts> [args...]
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
		fileName: filename,
	});
	module._compile(outputText, filename);
};

require(path.resolve(process.argv[2]))
	.main(process.argv.slice(3))
	.catch((error) => {
		// An n8n install failure was already explained by install-n8n.sh: one line, no stack.
		console.error(error && error.name === 'N8nInstallError' ? `\n${error.message}` : error);
		process.exit(1);
	});
