// Preloaded (NODE_OPTIONS=--require) by scripts/node22/test-unit.sh. node_modules holds native addons built for the
// machine's Node.js; a Node.js with another ABI loads the copy built for it under .cache/node22/addons instead, so
// one node_modules serves both and the machine's own build is never touched.
const { existsSync } = require('node:fs');
const Module = require('node:module');
const { basename, join, resolve } = require('node:path');

const ADDONS = resolve(
  __dirname,
  '..',
  '..',
  '.cache',
  'node22',
  'addons',
  `node-v${process.versions.modules}`,
);
const loadAddon = Module._extensions['.node'];

Module._extensions['.node'] = function loadForThisAbi(module, filename) {
  const rebuilt = join(ADDONS, basename(filename));
  return loadAddon.call(
    this,
    module,
    filename.includes('node_modules') && existsSync(rebuilt) ? rebuilt : filename,
  );
};
