/**
 * A browser that is missing, or that dies as it starts, makes every browser-based suite fail within
 * seconds with a message naming the browser and how to install it; nothing hangs. (The webview
 * harness once left its HTTP server listening when the launch failed: the test process then never
 * exited.) Runs the real webview test file, the e2e runner and its code-server shim in child
 * processes with KT_CHROMIUM pointing at nothing, or at a "browser" that crashes at once.
 */
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/disk';

/** Each run must be over by then; the test process is killed (whole group) otherwise. */
const LIMIT_MS = 20_000;
const INSTALL_HINT = /npm run setup/;

interface Run { code: number | null; signal: NodeJS.Signals | null; ms: number; output: string; timedOut: boolean }

function run(args: string[], chromium: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, KT_CHROMIUM: chromium };
  delete env.NODE_TEST_CONTEXT; // else the inner `node --test` talks the runner protocol instead of printing
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }, LIMIT_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* nothing left, as it should be */ }
      resolve({ code, signal, ms: Date.now() - started, output, timedOut });
    });
  });
}

function failedFast(r: Run, what: string): void {
  assert.ok(!r.timedOut, `${what}: still running after ${LIMIT_MS / 1000} s (hang), killed. Output:\n${r.output.slice(-3000)}`);
  assert.notEqual(r.code, 0, `${what}: exit 0 without a browser\n${r.output.slice(-3000)}`);
}

let dir: string;
let crashing: string;
before(() => {
  dir = tempDir('browser');
  // Exits at once, killed by SIGSEGV, as a browser that crashes on start does.
  crashing = path.join(dir, 'crashing-chromium');
  fs.writeFileSync(crashing, '#!/bin/sh\necho "Received signal 11 SEGV_MAPERR" >&2\nkill -SEGV $$\n', { mode: 0o755 });
});
after(() => removeDir(dir));

const WEBVIEW_TESTS = ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/webview/topology.test.ts'];

test('webview tests, KT_CHROMIUM=/nonexistent: fail within seconds, naming the path and how to install it', async () => {
  const r = await run(WEBVIEW_TESTS, '/nonexistent');
  failedFast(r, 'test/webview/topology.test.ts');
  assert.match(r.output, /Chromium not found: \/nonexistent \(KT_CHROMIUM\) is not an executable file/);
  assert.match(r.output, INSTALL_HINT);
  assert.match(r.output, /ℹ pass 0/, 'no test may pass without a browser');
});

test('webview tests, a browser that crashes at start: fail within seconds, server closed', async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'webview/out/topology.js')), 'run `npm run build` first');
  const r = await run(WEBVIEW_TESTS, crashing);
  failedFast(r, 'test/webview/topology.test.ts with a crashing browser');
  assert.match(r.output, new RegExp(`Chromium \\(${crashing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) did not start`));
});

test('e2e runner, KT_CHROMIUM=/nonexistent: exit 2 before starting anything', async () => {
  const r = await run(['e2e/run-tests.mjs', '--extension', ROOT, '--tests', path.join(ROOT, 'package.json')], '/nonexistent');
  failedFast(r, 'e2e/run-tests.mjs');
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /run-tests: Chromium not found: \/nonexistent \(KT_CHROMIUM\)/);
  assert.match(r.output, INSTALL_HINT);
});

test('code-server shim, KT_CHROMIUM=/nonexistent: exit 2 before code-server starts', async () => {
  const r = await run(['e2e/code-server-shim.mjs', `--extensionDevelopmentPath=${ROOT}`, `--extensionTestsPath=${path.join(ROOT, 'package.json')}`], '/nonexistent');
  failedFast(r, 'e2e/code-server-shim.mjs');
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /\[e2e\] Chromium not found: \/nonexistent/);
  assert.doesNotMatch(r.output, /code-server ready/);
});
