#!/usr/bin/env bash
# Usage: python-venv.sh <name> <requirements.txt>
# Installs the pinned PyPI packages of <requirements.txt> into the ignored virtual environment .cache/<name>/venv,
# once per requirements file: later calls return at once. Prints the venv's bin folder last.
set -euo pipefail
name=$1
requirements="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.cache/$name/venv"
stamp="$venv/.requirements"
if [[ ! -f "$stamp" ]] || ! cmp -s "$stamp" "$requirements"; then
  printf '[%s] installing %s into %s\n' "$name" "$(paste -sd' ' "$requirements")" "$venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$stamp"
  printf '[%s] installed\n' "$name" >&2
fi
printf '%s\n' "$venv/bin"
