/**
 * Preloaded (NODE_OPTIONS=--require this file) into compiled services by test/compiled-build.process.test.ts:
 * makes this machine's node_modules look like the image's, which `npm ci --omit=dev` installed. A module
 * that resolves into a package the lockfile marks `dev` fails to load, as it would in the image (same
 * error code, so optional requires behave alike). The services' compiled code is CommonJS, which resolves
 * every `require` here; nothing in it uses `import()`.
 */
'use strict';

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const { packages } = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

/** `node_modules/a/node_modules/@b/c/lib/x.js` -> `node_modules/a/node_modules/@b/c`: the lockfile's key. */
function packageKey(file) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(relative);
  return match ? match[1] : undefined;
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const file = resolveFilename.call(this, request, parent, ...rest);
  const key = packageKey(file);
  if (key && packages[key] && packages[key].dev) {
    const error = new Error(`Cannot find module '${request}': ${key} is a devDependency, which the production image does not install`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return file;
};
