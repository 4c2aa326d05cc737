#!/usr/bin/env bash
# Type-checks the package against n8n-workflow 1.x (what n8n 1.123 ships); the dev dependency is
# 2.x. The 1.x types are installed once into the e2e cache folder, outside the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-webhook-gateway}
VERSION=${N8N_WORKFLOW_V1:-1.120.31}
DIR=$CACHE/types-n8n-workflow-$VERSION
if [ ! -f "$DIR/.ok" ]; then
	rm -rf "$DIR" && mkdir -p "$DIR"
	(cd "$DIR" && echo '{"name":"types","private":true}' > package.json &&
		npm install "n8n-workflow@$VERSION" --ignore-scripts --omit=peer --no-audit --no-fund --loglevel=error)
	touch "$DIR/.ok"
fi
cat > "$DIR/tsconfig.json" <<JSON
{
	"extends": "$PWD/tsconfig.build.json",
	"compilerOptions": {
		"noEmit": true,
		"typeRoots": ["$PWD/node_modules/@types"],
		"baseUrl": "$PWD",
		"paths": { "n8n-workflow": ["$DIR/node_modules/n8n-workflow"] }
	}
}
JSON
npx tsc -p "$DIR/tsconfig.json"
echo "type-check against n8n-workflow $VERSION: ok"
