#!/usr/bin/env bash
# Prints each development server, its PID, where it listens and whether it answers a protocol request.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

select_servers "$@"
printf '%-18s %-8s %-28s %s\n' server pid endpoint answers
for server in "${SELECTED_SERVERS[@]}"; do
  if pid=$(running_pid "$server"); then
    endpoint=$(recorded_endpoint "$server")
    if report=$(server_call "$server" probe "$endpoint" 2>&1); then
      answers="yes: $report"
    else
      answers="no: $report"
    fi
  else
    pid=-
    endpoint=$(server_call "$server" endpoint)
    answers="no: not running"
  fi
  printf '%-18s %-8s %-28s %s\n' "$server" "$pid" "$endpoint" "$answers"
done
