#!/bin/sh
# Run by the Dockerfile while building the image: the compiled apps start from the image's own files and answer
# /health, the audit CLI loads, and nothing is left behind. A failure fails the build with the app's output.
set -eu
dir=$(mktemp -d)
port=3999
DATA_DIR="$dir/data" HTTP_HOST=127.0.0.1 HTTP_PORT=$port node dist/apps/store/src/main.js >"$dir/out.log" 2>&1 &
pid=$!
healthy=no
for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:$port/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    healthy=yes
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ "$healthy" != yes ]; then
  cat "$dir/out.log"
  echo "image smoke check: the embedded store did not answer /health" >&2
  exit 1
fi
session-store --help >/dev/null
rm -rf "$dir"
echo "image smoke check: the store answered /health on $(node --version); the CLI loads"
