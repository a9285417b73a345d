#!/usr/bin/env bash
# The unit project again on Node.js 22 (installed by install.sh), after `npm test` ran it on the machine's Node.js.
# Arguments go to Jest (a path pattern, say). Bounded: a hung run fails instead of holding CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

NODE=$(bash scripts/node22/install.sh)
printf '[node22] unit project on Node.js %s\n' "$("$NODE" --version)"
# `node` alone on PATH first (the wheel's own npm script is broken), so a test that starts `node`, or `npm` through
# its `#!/usr/bin/env node`, gets Node.js 22 too; the preload serves its native addons.
mkdir -p .cache/node22/path
ln -sf "$NODE" .cache/node22/path/node
PATH="$PWD/.cache/node22/path:$PATH" NODE_OPTIONS="--require $PWD/scripts/node22/native-addons.js" \
  timeout --kill-after=30s 1500s "$NODE" node_modules/jest/bin/jest.js "$@" --selectProjects unit
