# shellcheck shell=bash
# Helpers shared by up.sh, down.sh and status.sh: paths, messages, process and port checks.

INFRA_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
INFRA_HOME="${INFRA_HOME:-$INFRA_REPO_ROOT/.cache/infra}"
mkdir -p "$INFRA_HOME"
# Absolute, because a server is recognised as ours by this path on its command line.
INFRA_HOME="$(cd "$INFRA_HOME" && pwd)"
INFRA_LOG_DIR="$INFRA_HOME/logs"
INFRA_RUN_DIR="$INFRA_HOME/run"
INFRA_HOST=127.0.0.1
INFRA_SERVERS=(kafka mongo-java-server ferretdb)
INFRA_STOP_TIMEOUT_S="${INFRA_STOP_TIMEOUT_S:-30}"
mkdir -p "$INFRA_LOG_DIR" "$INFRA_RUN_DIR"

for server in "${INFRA_SERVERS[@]}"; do
  # shellcheck source=/dev/null
  source "$INFRA_REPO_ROOT/scripts/infra/servers/$server.sh"
done
unset server

say() { printf '[infra] %s\n' "$*"; }

die() {
  printf '[infra] error: %s\n' "$*" >&2
  exit 1
}

# Calls the function <server>_<action> that servers/<server>.sh defines.
server_call() {
  local server=$1 action=$2
  shift 2
  "${server//-/_}_$action" "$@"
}

# Sets SELECTED_SERVERS from the command line: every server when none is named; unknown names are errors.
select_servers() {
  local name known
  if (($# == 0)); then
    SELECTED_SERVERS=("${INFRA_SERVERS[@]}")
    return
  fi
  for name in "$@"; do
    for known in "${INFRA_SERVERS[@]}"; do
      [[ $name == "$known" ]] && continue 2
    done
    die "unknown server '$name' (known: ${INFRA_SERVERS[*]})"
  done
  SELECTED_SERVERS=("$@")
}

require_tool() {
  local tool=$1 why=$2
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed or not on PATH; it is needed $why"
}

require_node_modules() {
  [[ -d $INFRA_REPO_ROOT/node_modules/kafkajs && -d $INFRA_REPO_ROOT/node_modules/mongodb ]] ||
    die "node_modules is missing kafkajs or mongodb (used to check that servers answer): run 'npm ci' first"
}

# Runs a long command with its output in a log file, printing a line every 15 s so that a first download
# or build visibly progresses. Prints the end of the log when it fails.
run_with_progress() {
  local label=$1 log=$2
  shift 2
  local started=$SECONDS next_report=$((SECONDS + 15)) pid status=0
  say "$label (log: $log)"
  "$@" >"$log" 2>&1 9>&- </dev/null &
  pid=$!
  while process_alive "$pid"; do
    sleep 1
    if ((SECONDS >= next_report)); then
      say "  still $label: $((SECONDS - started)) s"
      next_report=$((SECONDS + 15))
    fi
  done
  wait "$pid" || status=$?
  if ((status != 0)); then
    tail -n 40 "$log" >&2
    die "$label failed after $((SECONDS - started)) s (exit $status); full log: $log"
  fi
  say "  $label: done in $((SECONDS - started)) s"
}

# True while the process exists and has not exited; an exited child stays a zombie until its parent waits.
process_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]
}

# Prints the PID of the server if it is running from this INFRA_HOME; forgets what a server that died left.
running_pid() {
  local file="$INFRA_RUN_DIR/$1.pid" pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$INFRA_HOME"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$file" "$INFRA_RUN_DIR/$1.endpoint" "$INFRA_RUN_DIR/$1.leased"
  return 1
}

port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$INFRA_HOST/$1" 2>/dev/null
}

require_free_port() {
  local port=$1 what=$2 env_name=$3
  if port_open "$port"; then
    ss -ltnp "sport = :$port" 2>/dev/null | tail -n +2 >&2 || true
    die "port $port ($what) is already taken by another process; stop it or choose another port with $env_name"
  fi
}

# Starts a server in its own session, detached from the caller's terminal and pipes, and records its PID.
# The log of the previous start is kept beside the new one.
start_detached() {
  local server=$1 log="$INFRA_LOG_DIR/$1.log"
  shift
  if [[ -f $log ]]; then
    mv "$log" "$log.previous"
  fi
  setsid "$@" >"$log" 2>&1 9>&- </dev/null &
  printf '%s\n' "$!" >"$INFRA_RUN_DIR/$server.pid"
}

# Polls `probe` until it succeeds. Fails, after printing the end of the server's log, when the server
# process exits or the time is up.
wait_until_ready() {
  local server=$1 pid=$2 timeout_s=$3 probe=$4
  local started=$SECONDS log="$INFRA_LOG_DIR/$1.log"
  until "$probe" >/dev/null 2>&1; do
    if ! process_alive "$pid"; then
      tail -n 40 "$log" >&2
      say "$server exited during start-up; full log: $log" >&2
      return 1
    fi
    if ((SECONDS - started >= timeout_s)); then
      tail -n 40 "$log" >&2
      say "$server did not answer within $timeout_s s; full log: $log" >&2
      return 1
    fi
    sleep 0.5
  done
}

# Where the running server listens, as recorded when it started; the configured address otherwise.
recorded_endpoint() {
  cat "$INFRA_RUN_DIR/$1.endpoint" 2>/dev/null || server_call "$1" endpoint
}

stop_server() {
  local server=$1 pid waited=0
  if ! pid=$(running_pid "$server"); then
    say "$server: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  while process_alive "$pid" && ((waited < INFRA_STOP_TIMEOUT_S * 2)); do
    sleep 0.5
    waited=$((waited + 1))
  done
  if process_alive "$pid"; then
    say "$server: still running after ${INFRA_STOP_TIMEOUT_S} s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    while process_alive "$pid"; do sleep 0.2; done
  fi
  rm -f "$INFRA_RUN_DIR/$server.pid" "$INFRA_RUN_DIR/$server.endpoint" "$INFRA_RUN_DIR/$server.leased"
  say "$server: stopped (pid $pid)"
}

# Serialises the infra scripts: a test run's teardown must not stop a server that another run is adopting.
take_infra_lock() {
  exec 9>"$INFRA_RUN_DIR/lock"
  if ! flock -n 9; then
    say "waiting for another infra script to finish"
    flock 9
  fi
}

probe_with_node() {
  node "$INFRA_REPO_ROOT/scripts/infra/lib/probe.js" "$@"
}

# The fingerprint of what an installation was built from; a change (a version bump) triggers a reinstall.
fingerprint() {
  cat "$@" | sha256sum | cut -d' ' -f1
}
