#!/usr/bin/env bash
# Installs schemathesis (PyPI, pinned in requirements.txt) into an ignored virtual environment, once per
# requirements file: later calls return at once. Prints the venv's `schemathesis` path last.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.cache/fuzz/venv"
stamp="$venv/.requirements"
if [[ ! -f "$stamp" ]] || ! cmp -s "$stamp" "$here/requirements.txt"; then
  printf '[fuzz] installing schemathesis into %s\n' "$venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$stamp"
  printf '[fuzz] installed\n' >&2
fi
printf '%s\n' "$venv/bin/schemathesis"
