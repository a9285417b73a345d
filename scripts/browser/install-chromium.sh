#!/usr/bin/env bash
# Installs Debian's chromium package for the console's browser tests, which drive it with playwright-core.
# Idempotent: does nothing when the binary is already there. Playwright's own browser download is not used because
# the machines the tests run on reach Debian's package archive but no browser download site.
#
#   bash scripts/browser/install-chromium.sh      (CHROMIUM_PATH names another binary to check for)
set -euo pipefail

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [[ -x "$CHROMIUM_PATH" ]]; then
  echo "chromium: $("$CHROMIUM_PATH" --version 2>/dev/null || echo "$CHROMIUM_PATH") already installed" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "chromium: $CHROMIUM_PATH is missing and there is no apt-get here; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi

sudo_if_needed=()
if [[ "$(id -u)" != 0 ]]; then sudo_if_needed=(sudo); fi

started=$(date +%s)
echo "chromium: $CHROMIUM_PATH is missing; installing Debian's chromium package (about 100 MB, a minute or two)" >&2
echo "chromium: apt-get update" >&2
"${sudo_if_needed[@]}" apt-get update -q 2>&1 | sed 's/^/  apt: /' >&2
echo "chromium: apt-get install chromium" >&2
# Progress, one line per package fetched and unpacked, so a slow mirror shows as slow rather than hung.
DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -q --no-install-recommends \
  chromium fonts-liberation 2>&1 | grep -E '^(Get:|Unpacking|Setting up chromium|E:)' | sed 's/^/  apt: /' >&2 || true

if [[ ! -x "$CHROMIUM_PATH" ]]; then
  echo "chromium: the install did not produce $CHROMIUM_PATH" >&2
  exit 1
fi
echo "chromium: $("$CHROMIUM_PATH" --version) installed in $(($(date +%s) - started)) s" >&2
