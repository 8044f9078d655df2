#!/usr/bin/env node
// Entry point: runs an extension's test suite in real VS Code (code-server + headless Chromium).
//
//   node e2e/run-tests.mjs --extension DIR --tests FILE [--workspace DIR]
//
// or with KT_E2E_EXTENSION / KT_E2E_TESTS / KT_E2E_WORKSPACE. FILE is the compiled tests
// module (CommonJS, exports run()), require()d inside the extension host. Other KT_E2E_*
// settings are described in code-server-shim.mjs.
//
// It goes through @vscode/test-electron's runTests() on purpose: only vscodeExecutablePath
// differs from a desktop run, so the same suite can run under downloaded VS Code elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumExecutable } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    extension: { type: 'string', default: process.env.KT_E2E_EXTENSION },
    tests: { type: 'string', default: process.env.KT_E2E_TESTS },
    workspace: { type: 'string', default: process.env.KT_E2E_WORKSPACE },
  },
});

function need(name, value, check) {
  if (!value) fail(`missing --${name}`);
  const abs = path.resolve(value);
  if (!check(abs)) fail(`--${name} ${abs}: not found`);
  return abs;
}
function fail(msg) {
  console.error(`run-tests: ${msg}\nusage: node e2e/run-tests.mjs --extension DIR --tests FILE [--workspace DIR]`);
  process.exit(2);
}

const extensionDevelopmentPath = need('extension', values.extension, (p) => fs.existsSync(path.join(p, 'package.json')));
const extensionTestsPath = need('tests', values.tests, (p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile());
const workspace = values.workspace && need('workspace', values.workspace, (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
// What the run needs, checked before anything starts (exit 2, as for bad arguments).
try {
  chromiumExecutable();
} catch (err) {
  console.error(`run-tests: ${err.message}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(here, 'node_modules/code-server/out/node/entry.js'))) {
  console.error('run-tests: code-server is not installed in e2e/: run `npm run setup`');
  process.exit(2);
}
const { runTests } = await import('@vscode/test-electron');

try {
  await runTests({
    vscodeExecutablePath: path.join(here, 'code-server-shim.mjs'),
    extensionDevelopmentPath,
    extensionTestsPath,
    launchArgs: workspace ? [workspace] : [],
  });
  process.exit(0);
} catch (err) {
  // TestRunFailedError carries the shim's exit code (tests failed, 124 timeout, ...).
  if (typeof err.code !== 'number') console.error(`run-tests: ${err.message}`);
  process.exit(typeof err.code === 'number' && err.code !== 0 ? err.code : 1);
}
