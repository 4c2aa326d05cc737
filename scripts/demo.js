#!/usr/bin/env node
// `npm start`: runs scripts/demo.ts (which reuses the TypeScript e2e harness) without a build
// step of its own: TypeScript, already a dev dependency, transpiles each file as it is required.
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
		fileName: filename,
	});
	module._compile(outputText, filename);
};

require('./demo.ts')
	.main()
	.catch((error) => {
		console.error(error);
		process.exit(1);
	});
