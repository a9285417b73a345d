#!/usr/bin/env bash
# Fuzzes the embedded store from its own OpenAPI document with schemathesis, every check enabled, ingest included:
#   npm run fuzz                       (a bounded run: FUZZ_MAX_TIME seconds, 120 by default)
#   FUZZ_MAX_TIME=900 npm run fuzz     (a longer one)
# Starts apps/store from source on a free loopback port with a fresh data folder, the demo sessions and an ingest
# token of its own; sends that token as the bearer of every request (the reads ignore it in AUTH_MODE=header, where
# schemathesis generates x-user-id from the document); stops the store by its PID whatever happens. Exits non-zero
# when schemathesis reports a failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
schemathesis="$(bash "$here/../lib/python-venv.sh" fuzz "$here/requirements.txt" | tail -n 1)/schemathesis"

work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-store.XXXXXX")"
port="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
token="fuzz-$(node -e "console.log(require('node:crypto').randomBytes(24).toString('base64url'))")"
store_pid=''
cleanup() {
  if [[ -n "$store_pid" ]] && kill -0 "$store_pid" 2>/dev/null; then
    kill "$store_pid"
    wait "$store_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
DATA_DIR="$work/data" HTTP_HOST=127.0.0.1 HTTP_PORT="$port" INGEST_TOKEN="$token" LOG_LEVEL=warn \
  node -r ./test/support/register-typescript.js apps/store/src/main.ts --demo >"$work/store.log" 2>&1 &
store_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  if curl -fsS "$base/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$store_pid" 2>/dev/null; then
    cat "$work/store.log" >&2
    echo "[fuzz] the store did not start" >&2
    exit 1
  fi
  sleep 0.2
done
echo "[fuzz] store on $base (pid $store_pid); schemathesis for ${FUZZ_MAX_TIME:-120} s" >&2

status=0
# Run from the scratch folder, so schemathesis's own files stay out of the repository.
(cd "$work" && "$schemathesis" --no-color --config-file "$here/schemathesis.toml" run "$base/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --max-time "${FUZZ_MAX_TIME:-120}" \
  --workers 2 \
  --seed "${FUZZ_SEED:-1}" \
  --generation-database none) || status=$?
if [[ $status -ne 0 ]]; then
  echo "[fuzz] the store's log:" >&2
  tail -n 50 "$work/store.log" >&2
fi
exit "$status"
