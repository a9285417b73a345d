#!/usr/bin/env node
/* global require, __dirname, process */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node before anything is compiled */
// The `session-store` command (package.json "bin", `npm run cli`): runs the compiled CLI in dist/, never rebuilding it
// per call. A checkout without dist/ is built once first, saying so; after changing the sources, `npm run build`.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..', '..');
const compiled = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

if (!existsSync(compiled)) {
  process.stderr.write(`session-store: ${compiled} is missing: building once with \`npm run build\`\n`);
  // The build's own output goes to stderr too: stdout carries only the command's result.
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !existsSync(compiled)) {
    process.stderr.write('session-store: the build failed; fix it, then run `npm run build`\n');
    process.exit(2);
  }
}
require(compiled);
