/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a require hook must load before any TypeScript runs */
// Lets a child process run the TypeScript sources directly (`node -r ./test/support/register-typescript.js
// apps/store/src/main.ts`), compiled on load by the same SWC settings Jest uses, with the `@app/<lib>` alias
// resolved. Tests that spawn the app use it instead of a full `npm run build`, which takes far longer.
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..');
const swcOptions = {
  ...JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8')),
  swcrc: false,
  sourceMaps: 'inline',
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const alias = /^@app\/([^/]+)(\/.*)?$/.exec(request);
  const target = alias ? join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;
  return resolveFilename.call(this, target, ...rest);
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};
