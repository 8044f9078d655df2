// Runs the end-to-end suite in real VS Code (code-server + headless Chromium, see e2e/README.md)
// on a throwaway copy of test/e2e/workspace, so quick fixes applied by the tests never touch the repo.
// Usage: node scripts/test-e2e.mjs [--screenshots DIR]
import { cpSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shotsIndex = process.argv.indexOf('--screenshots');
const shots = shotsIndex > 0 ? path.resolve(process.argv[shotsIndex + 1] ?? 'docs/images') : undefined;

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const started = Date.now();
run(process.execPath, ['scripts/setup.mjs']); // a no-op when `npm test` already ran it
const setupSeconds = ((Date.now() - started) / 1000).toFixed(1);
const ws = mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-ws-'));
cpSync(path.join(root, 'test/e2e/workspace'), ws, { recursive: true });
if (shots) mkdirSync(shots, { recursive: true });
const suiteStarted = Date.now();
const r = spawnSync(process.execPath, ['e2e/run-tests.mjs', '--extension', root, '--tests', path.join(root, 'test/e2e/out/suite/index.js'), '--workspace', ws], {
  cwd: root, stdio: 'inherit', env: { ...process.env, ...(shots ? { KT_E2E_SCREENSHOT_DIR: shots } : {}) },
});
rmSync(ws, { recursive: true, force: true });
console.log(`e2e: setup ${setupSeconds} s, suite ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
