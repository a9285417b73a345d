#!/usr/bin/env bash
# Stops the development servers by PID: TERM, then KILL after INFRA_STOP_TIMEOUT_S (30 s by default).
# Usage: down.sh [kafka] [mongo-java-server] [ferretdb]   stops the named servers, all by default
#        down.sh --release <pid>   ends the test run's lease; the last one out stops what test runs started
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/leases.sh"

take_infra_lock
if [[ ${1:-} == --release ]]; then
  lease_release "${2:?"--release needs the process id of the test run"}"
  if (($(live_lease_count) > 0)); then
    say "other test runs still use the servers; leaving them running"
    exit 0
  fi
  for server in "${INFRA_SERVERS[@]}"; do
    if started_for_lease "$server"; then
      stop_server "$server"
    fi
  done
  exit 0
fi

select_servers "$@"
for server in "${SELECTED_SERVERS[@]}"; do
  stop_server "$server"
done
