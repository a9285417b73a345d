#!/usr/bin/env bash
# Installs (once, into $INFRA_HOME) and starts the development servers on 127.0.0.1; a running server is
# left alone. Usage: up.sh [--lease <pid>] [kafka] [mongo-java-server] [ferretdb]
# With --lease, the servers this call starts belong to the test run <pid>: see lib/leases.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/leases.sh"

lease=""
if [[ ${1:-} == --lease ]]; then
  lease=${2:?"--lease needs the process id of the test run"}
  shift 2
fi
select_servers "$@"

bring_up() {
  local server=$1 pid started=$SECONDS
  if pid=$(running_pid "$server"); then
    say "$server: already running (pid $pid) at $(recorded_endpoint "$server")"
    return
  fi
  server_call "$server" install
  server_call "$server" start
  pid=$(<"$INFRA_RUN_DIR/$server.pid")
  if ! wait_until_ready "$server" "$pid" "$(server_call "$server" start_timeout_s)" "${server//-/_}_ready"; then
    stop_server "$server"
    die "$server did not start"
  fi
  server_call "$server" endpoint >"$INFRA_RUN_DIR/$server.endpoint"
  if [[ -n $lease ]]; then
    mark_started_for_lease "$server"
  fi
  say "$server: ready at $(server_call "$server" endpoint)" \
    "(pid $pid, $((SECONDS - started)) s, log: $INFRA_LOG_DIR/$server.log)"
}

require_node_modules
for server in "${SELECTED_SERVERS[@]}"; do
  server_call "$server" require_tools
done
take_infra_lock
if [[ -n $lease ]]; then
  lease_take "$lease"
fi
for server in "${SELECTED_SERVERS[@]}"; do
  bring_up "$server"
done
say "up in $SECONDS s (INFRA_HOME=$INFRA_HOME)"
