#!/usr/bin/env node
// Stand-in for the VS Code executable that @vscode/test-electron's runTests() launches.
// Desktop VS Code cannot be downloaded here, so this translates the arguments runTests passes
// (`--extensionDevelopmentPath=`, `--extensionTestsPath=`, a folder) into a run of the same
// VS Code build served by code-server, driven by headless Chromium:
//
//   1. start code-server on 127.0.0.1:<free port>, isolated in a temp folder (user data,
//      extensions, config, XDG dirs), and wait for /healthz;
//   2. open the workbench with the `payload` URL parameter, which is how the web workbench
//      learns extensionDevelopmentPath/extensionTestsPath (they are not code-server flags);
//      the tests module is then require()d in the Node extension host, as under desktop VS Code;
//   3. when the module's run() settles, the workbench calls window.codeAutomationExit(code),
//      which we expose from Playwright; print the results file, clean up, exit with that code.
//
// Environment:
//   KT_CHROMIUM            the browser (default /usr/bin/chromium); checked before code-server starts.
//   KT_E2E_RESULTS         results file the test module writes (default: <temp>/results.txt).
//                          It reaches the extension host because code-server inherits our env.
//   KT_E2E_TIMEOUT         overall timeout in seconds (default 180); exit code 124 on timeout.
//   KT_E2E_SCREENSHOT_DIR  enables the screenshot protocol below.
//   KT_E2E_VERBOSE=1       stream code-server output and the page console.
//   KT_E2E_KEEP_TMP=1      keep the temp folder (logs, profile) for inspection.
//
// Screenshot protocol: the extension host cannot reach the page, so it asks via files.
// The test module writes `<KT_E2E_SCREENSHOT_DIR>/<name>.request` (content ignored; name made of
// letters, digits, `.`, `_`, `-`). Every 200 ms this shim looks for request files, saves
// `<name>.png` with page.screenshot(), then deletes the request. So the test waits until the
// request file is gone, and the PNG is complete by then.
//
// Arguments this shim does not understand (runTests adds desktop-only flags such as
// --no-sandbox, --user-data-dir, --extensions-dir) are ignored: every run gets fresh dirs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumExecutable, LAUNCH_TIMEOUT_MS } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CODE_SERVER = path.join(here, 'node_modules/code-server/out/node/entry.js');
const TIMEOUT_S = Number(process.env.KT_E2E_TIMEOUT) || 180;
const VERBOSE = process.env.KT_E2E_VERBOSE === '1';
const SHOTS = process.env.KT_E2E_SCREENSHOT_DIR ? path.resolve(process.env.KT_E2E_SCREENSHOT_DIR) : '';
const log = (msg) => console.log(`[e2e] ${msg}`);

// --- arguments ------------------------------------------------------------------------------
const devPaths = [];
let testsPath;
let folder;
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--extensionDevelopmentPath=')) devPaths.push(path.resolve(arg.split('=').slice(1).join('=')));
  else if (arg.startsWith('--extensionTestsPath=')) testsPath = path.resolve(arg.split('=').slice(1).join('='));
  else if (!arg.startsWith('-')) folder = path.resolve(arg);
}
// The workbench turns the payload into a Map, so only one development extension survives.
if (devPaths.length !== 1 || !testsPath) {
  console.error('usage: code-server-shim.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=FILE (one extension)');
  process.exit(2);
}

let CHROMIUM;
try {
  CHROMIUM = chromiumExecutable();
} catch (err) {
  console.error(`[e2e] ${err.message}`);
  process.exit(2);
}

// --- isolated temp layout -------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-'));
const dir = (name) => {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const userData = dir('user-data');
// Settings that keep the workbench quiet and off the (closed) network.
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never', // its prompt covers part of screenshots
}, null, 2));
const resultsFile = path.resolve(process.env.KT_E2E_RESULTS || path.join(tmp, 'results.txt'));
fs.rmSync(resultsFile, { force: true }); // never print a previous run's results
const serverLog = path.join(tmp, 'code-server.log');
// code-server writes config/logs under XDG dirs and Chromium keeps its crash database in
// $XDG_CONFIG_HOME/chromium whatever --user-data-dir says: point both at the temp folder.
const isolatedEnv = {
  ...process.env,
  XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data'),
  XDG_CACHE_HOME: dir('xdg-cache'), XDG_STATE_HOME: dir('xdg-state'),
};

let server; // code-server child (own process group)
let context; // Playwright browser context
let shotTimer;

async function freePort() {
  // Ask the OS for a free port, then release it for code-server. Another process could grab
  // it in between; unlikely on a test machine, and code-server then fails fast at startup.
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitForHealthz(port, deadline) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode) throw new Error(`code-server exited early (${server.exitCode ?? server.signalCode})`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('code-server did not answer /healthz within 30 s');
}

function startServer(port) {
  const configFile = path.join(tmp, 'config.yaml');
  // An explicit config file, or code-server writes one (with a password) into ~/.config.
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    CODE_SERVER,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', dir('extensions'), '--config', configFile,
  ];
  const env = {
    ...isolatedEnv,
    KT_E2E_RESULTS: resultsFile,
    // No extension gallery (open-vsx.org by default): nothing to fetch, and no failing lookups.
    EXTENSIONS_GALLERY: '{}',
  };
  if (SHOTS) env.KT_E2E_SCREENSHOT_DIR = SHOTS;
  // detached => own process group, so cleanup can kill the extension host, pty host and file
  // watcher that code-server forks, not just its entry process.
  server = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = fs.createWriteStream(serverLog);
  for (const stream of [server.stdout, server.stderr]) {
    stream.pipe(out, { end: false });
    if (VERBOSE) stream.on('data', (d) => process.stderr.write(`[code-server] ${d}`));
  }
}

function watchScreenshotRequests(page) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.request')) fs.rmSync(path.join(SHOTS, f)); // stale
  // setTimeout chain rather than setInterval: a slow screenshot must not overlap the next poll.
  const tick = async () => {
    for (const f of fs.readdirSync(SHOTS)) {
      const m = /^([\w.-]+)\.request$/.exec(f);
      if (!m) continue;
      const png = path.join(SHOTS, `${m[1]}.png`);
      try {
        await page.screenshot({ path: png });
        log(`screenshot ${png}`);
      } catch (e) {
        log(`screenshot ${m[1]} failed: ${e.message}`);
      }
      fs.rmSync(path.join(SHOTS, f), { force: true });
    }
    shotTimer = setTimeout(tick, 200);
  };
  shotTimer = setTimeout(tick, 200);
}

async function cleanup() {
  clearTimeout(shotTimer);
  await context?.close().catch(() => {});
  if (server && server.exitCode === null && !server.signalCode) {
    const exited = new Promise((r) => server.once('exit', r));
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    const killed = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, 5000, false))]);
    if (!killed) try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  // Children of the group may outlive the leader briefly; make sure none are left.
  if (server) try { process.kill(-server.pid, 'SIGKILL'); } catch { /* none left */ }
  if (process.env.KT_E2E_KEEP_TMP === '1') log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}

function printResults() {
  if (fs.existsSync(resultsFile)) {
    console.log(`----- results (${resultsFile}) -----`);
    process.stdout.write(fs.readFileSync(resultsFile, 'utf8'));
    console.log('-----');
  } else {
    log(`no results file was written (${resultsFile})`);
  }
}

function printServerLogTail() {
  if (!fs.existsSync(serverLog)) return;
  const lines = fs.readFileSync(serverLog, 'utf8').trimEnd().split('\n').slice(-40);
  console.log(`----- last lines of code-server output -----\n${lines.join('\n')}\n-----`);
}

async function main() {
  const started = Date.now();
  const deadline = started + TIMEOUT_S * 1000;
  const port = await freePort();
  startServer(port);
  await waitForHealthz(port, Math.min(deadline, Date.now() + 30_000));
  log(`code-server ready on 127.0.0.1:${port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  context = await chromium.launchPersistentContext(dir('chromium-profile'), {
    executablePath: CHROMIUM,
    env: isolatedEnv,
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
    viewport: { width: 1400, height: 900 },
    // Playwright's own signal handlers would exit the process before our cleanup kills
    // code-server; finish() closes the browser instead.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  if (VERBOSE) page.on('console', (m) => process.stderr.write(`[page ${m.type()}] ${m.text()}\n`));

  // Called by the workbench once the tests module's run() has settled (0 = resolved). Must be
  // registered before navigation: exposeFunction only applies to documents loaded afterwards.
  let onExit;
  const exitCode = new Promise((resolve) => { onExit = resolve; });
  await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
  if (SHOTS) watchScreenshotRequests(page);

  // The remote authority is the host serving the workbench; paths must be URI-encoded.
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${pathToFileURL(p).pathname}`;
  const payload = [['extensionDevelopmentPath', remote(devPaths[0])], ['extensionTestsPath', remote(testsPath)]];
  const url = new URL(`http://127.0.0.1:${port}/`);
  if (folder) url.searchParams.set('folder', folder);
  url.searchParams.set('payload', JSON.stringify(payload));
  await page.goto(url.href);

  const timedOut = new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()), 'timeout'));
  // A browser that crashes or goes away ends the run now, not at the timeout.
  const browserGone = new Promise((resolve) => {
    page.on('crash', () => resolve('the page crashed'));
    context.on('close', () => resolve('the browser closed'));
  });
  const code = await Promise.race([exitCode, timedOut, browserGone]);
  if (typeof code === 'string' && code !== 'timeout') {
    log(`${code} before the tests finished`);
    return 1;
  }
  if (code === 'timeout') {
    log(`timed out after ${TIMEOUT_S} s waiting for the tests to finish (set KT_E2E_TIMEOUT to change)`);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'timeout.png') }).catch(() => {});
    return 124;
  }
  log(`tests finished with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // run() resolving without writing any results (a suite that ignores KT_E2E_RESULTS, or whose
  // tests never got registered) must not look green.
  if (code === 0 && !fs.existsSync(resultsFile)) {
    log('run() resolved but wrote no results file: counting the run as failed');
    return 1;
  }
  return code;
}

let exiting = false;
async function finish(code) {
  if (exiting) return;
  exiting = true;
  printResults();
  if (code !== 0) printServerLogTail();
  await cleanup();
  process.exit(code);
}
// runTests forwards Ctrl+C as SIGINT: still tear down code-server and the browser.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { log(`${sig}, cleaning up`); finish(130); });

main().then(finish, (err) => {
  if (!exiting) console.error(`[e2e] ${err.stack || err}`); // after a signal, errors are just teardown
  finish(1);
});
