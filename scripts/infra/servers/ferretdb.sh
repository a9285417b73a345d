# shellcheck shell=bash
# FerretDB v1 on its SQLite handler, built from the Go module proxy.

FERRETDB_VERSION=v1.24.2
FERRETDB_HOME_DIR="$INFRA_HOME/ferretdb"

ferretdb_port() { printf '%s\n' "${INFRA_FERRETDB_PORT:-37018}"; }
ferretdb_endpoint() { printf 'mongodb://%s:%s\n' "$INFRA_HOST" "$(ferretdb_port)"; }

ferretdb_require_tools() {
  require_tool go "to build FerretDB from the Go module proxy"
}

# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at start:
# the module lacks the generated build/version/version.txt. So the module source is downloaded from the
# Go module proxy, given that file, and built in place.
ferretdb_install() {
  local stamp="$FERRETDB_HOME_DIR/installed" staging module_dir
  [[ -f $stamp && $(<"$stamp") == "$FERRETDB_VERSION" ]] && return 0
  staging="$FERRETDB_HOME_DIR.staging"
  rm -rf "$staging" "$FERRETDB_HOME_DIR"
  mkdir -p "$staging/bin"
  # GOTOOLCHAIN=local: build with the installed Go rather than downloading the toolchain FerretDB names.
  export GOTOOLCHAIN=local
  run_with_progress "downloading the FerretDB $FERRETDB_VERSION module" "$INFRA_LOG_DIR/ferretdb-download.log" \
    go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION"
  module_dir=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' "$INFRA_LOG_DIR/ferretdb-download.log")
  [[ -d $module_dir ]] ||
    die "go mod download did not report the module directory; see $INFRA_LOG_DIR/ferretdb-download.log"
  cp -R "$module_dir" "$staging/src"
  chmod -R u+w "$staging/src"
  printf '%s\n' "$FERRETDB_VERSION" >"$staging/src/build/version/version.txt"
  say "FerretDB compiles a few hundred Go packages: minutes with an empty Go build cache, seconds otherwise"
  run_with_progress "building FerretDB $FERRETDB_VERSION" "$INFRA_LOG_DIR/ferretdb-build.log" \
    bash -c 'cd "$1" && go build -o "$2" ./cmd/ferretdb' build "$staging/src" "$staging/bin/ferretdb"
  rm -rf "$staging/src"
  printf '%s\n' "$FERRETDB_VERSION" >"$staging/installed"
  mv "$staging" "$FERRETDB_HOME_DIR"
}

# Every start begins with no databases. Telemetry and the debug HTTP listener are off: nothing reaches
# the network and nothing listens beyond the wire-protocol port.
ferretdb_start() {
  require_free_port "$(ferretdb_port)" "FerretDB" INFRA_FERRETDB_PORT
  rm -rf "$FERRETDB_HOME_DIR/data"
  mkdir -p "$FERRETDB_HOME_DIR/data" "$FERRETDB_HOME_DIR/state"
  start_detached ferretdb "$FERRETDB_HOME_DIR/bin/ferretdb" \
    --handler=sqlite --sqlite-url="file:$FERRETDB_HOME_DIR/data/" \
    --listen-addr="$INFRA_HOST:$(ferretdb_port)" --state-dir="$FERRETDB_HOME_DIR/state" \
    --telemetry=disable --debug-addr=-
}

ferretdb_start_timeout_s() { printf '60\n'; }

ferretdb_ready() { port_open "$(ferretdb_port)" && ferretdb_probe "$(ferretdb_endpoint)"; }

ferretdb_probe() { probe_with_node mongo "$1"; }
