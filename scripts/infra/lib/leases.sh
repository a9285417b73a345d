# shellcheck shell=bash
# Test runs share the servers. Each run holds a lease (named by its process id) while it lives; servers
# that a test run started are stopped when the last lease ends, and servers started by hand never are.

INFRA_LEASE_DIR="$INFRA_RUN_DIR/leases"

lease_take() {
  mkdir -p "$INFRA_LEASE_DIR"
  : >"$INFRA_LEASE_DIR/$1"
}

lease_release() { rm -f "$INFRA_LEASE_DIR/$1"; }

# Forgets the leases of test runs that ended without releasing them (killed, interrupted).
live_lease_count() {
  local file count=0
  for file in "$INFRA_LEASE_DIR"/*; do
    [[ -e $file ]] || continue
    if process_alive "$(basename "$file")"; then
      count=$((count + 1))
    else
      rm -f "$file"
    fi
  done
  printf '%s\n' "$count"
}

mark_started_for_lease() { : >"$INFRA_RUN_DIR/$1.leased"; }

started_for_lease() { [[ -f $INFRA_RUN_DIR/$1.leased ]]; }
