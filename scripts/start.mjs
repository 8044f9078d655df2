#!/usr/bin/env node
// `npm start`: build, package the extension, and open VS Code with it on the bundled examples/.
//
//   1+2. node scripts/package.mjs → .kt-tmp/kube-traffic.vsix (production bundles, offline vsce;
//        `files` in package.json ships only bundles, docs/rules.md, the grammar, icon, LICENSE, CHANGELOG)
//   3. desktop VS Code when `code` is on the PATH: `code --install-extension <vsix> --force`, then
//      `code examples/`, and exit;
//      otherwise code-server (e2e/, VS Code 1.100.3, installed by `npm run setup`),
//      isolated under .kt-tmp/code-server/, on 127.0.0.1:$PORT (default: first free port from
//      8080), no auth, no gallery, no telemetry; prints the URL and runs until Ctrl+C.
//
// Flags: --web        use code-server even when `code` is on the PATH
//        --no-build   reuse the existing bundles and .vsix (quick restart)
// Env:   PORT         code-server port (fails when taken)
//        KT_VERBOSE=1 stream code-server's output (always written to .kt-tmp/code-server/code-server.log)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.kt-tmp');
const vsix = path.join(tmp, 'kube-traffic.vsix');
const examples = path.join(root, 'examples');
const args = process.argv.slice(2);
const forceWeb = args.includes('--web');
const noBuild = args.includes('--no-build');
const verbose = process.env.KT_VERBOSE === '1';
const log = (msg) => console.log(`[start] ${msg}`);

function fail(msg) {
  console.error(`[start] ${msg}`);
  process.exit(1);
}

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) fail(`${cmd} failed to start: ${r.error.message}`);
  if (r.status !== 0) {
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
  }
  if (r.status !== 0) fail(`${path.basename(cmd)} ${cmdArgs.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** The executable `name` on the PATH, or undefined. */
function onPath(name) {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

// --- 1 + 2: build and package ---------------------------------------------------------------
if (!fs.existsSync(examples)) fail(`missing ${examples}`);
fs.mkdirSync(tmp, { recursive: true });
if (!noBuild || !fs.existsSync(vsix)) {
  log('building (production bundles) and packaging the extension');
  run(process.execPath, ['scripts/package.mjs', '--out', vsix]);
}
if (!fs.existsSync(path.join(root, 'server/out/server.js'))) {
  log('warning: server/out/server.js was not built (no server/src/lsp/main.ts yet): the extension will activate but report that its language server is missing');
}

// --- 3a: desktop VS Code --------------------------------------------------------------------
const code = forceWeb ? undefined : onPath('code');
if (code) {
  log(`installing ${path.relative(root, vsix)} into VS Code (${code})`);
  // code is a .cmd script on Windows, which only runs through a shell: quote the paths there.
  const shell = process.platform === 'win32';
  const q = (a) => (shell ? `"${a}"` : a);
  run(shell ? q(code) : code, ['--install-extension', q(vsix), '--force'], { shell });
  log(`opening ${examples}`);
  run(shell ? q(code) : code, [q(examples)], { shell });
  process.exit(0);
}

// --- 3b: code-server ------------------------------------------------------------------------
const e2e = path.join(root, 'e2e');
const entry = path.join(e2e, 'node_modules/code-server/out/node/entry.js');
if (!fs.existsSync(entry)) log('`code` is not on the PATH: setting up code-server in e2e/ (once; a few minutes)');
run(process.execPath, [path.join(root, 'scripts/setup.mjs')]); // silent when nothing is missing
if (!fs.existsSync(entry)) fail(`scripts/setup.mjs did not install code-server (${entry})`);

const base = path.join(tmp, 'code-server');
const dir = (name) => {
  const d = path.join(base, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const userData = dir('user-data');
const extensions = path.join(base, 'extensions');
fs.rmSync(extensions, { recursive: true, force: true }); // always the freshly packaged build
fs.mkdirSync(extensions, { recursive: true });
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
const settingsFile = path.join(userData, 'User/settings.json');
if (!fs.existsSync(settingsFile)) {
  // Quiet and off the (possibly closed) network; kept between runs so the user can change them.
  fs.writeFileSync(settingsFile, JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.openRepositoryInParentFolders': 'never',
  }, null, 2) + '\n');
}
const env = {
  ...process.env,
  XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data'),
  XDG_CACHE_HOME: dir('xdg-cache'), XDG_STATE_HOME: dir('xdg-state'),
  // No extension gallery (open-vsx.org by default): nothing to fetch, no failing lookups.
  EXTENSIONS_GALLERY: '{}',
};
delete env.PORT; // code-server reads $PORT itself; we pass --bind-addr explicitly
const common = ['--user-data-dir', userData, '--extensions-dir', extensions];

log('installing the extension into code-server');
run(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, stdio: verbose ? 'inherit' : 'pipe' });

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function choosePort() {
  if (process.env.PORT) {
    const port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT=${process.env.PORT} is not a port number`);
    if (!(await portFree(port))) fail(`PORT=${port} is already in use on 127.0.0.1`);
    return port;
  }
  for (let port = 8080; port < 8180; port++) if (await portFree(port)) return port;
  fail('no free port in 8080-8179 on 127.0.0.1; set PORT');
}

const port = await choosePort();
const configFile = path.join(base, 'config.yaml');
// An explicit config file, or code-server writes one (with a password) into ~/.config.
fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
const serverLog = path.join(base, 'code-server.log');
const out = fs.createWriteStream(serverLog);
const server = spawn(process.execPath, [
  entry,
  '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
  '--disable-getting-started-override',
  '--config', configFile, ...common,
  examples,
], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }); // own process group
for (const stream of [server.stdout, server.stderr]) {
  stream.pipe(out, { end: false });
  if (verbose) stream.on('data', (d) => process.stderr.write(`[code-server] ${d}`));
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  // code-server forks the extension host (and our language server), a pty host and a file
  // watcher: end the whole group, politely first.
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
  const timer = setTimeout(() => {
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
    process.exit(code);
  }, 3000);
  server.once('exit', () => {
    clearTimeout(timer);
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* none left */ }
    process.exit(code);
  });
  if (server.exitCode !== null || server.signalCode) server.emit('exit');
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { console.log(''); log('stopping code-server'); stop(0); });
server.on('exit', (c, s) => {
  if (stopping) return;
  console.error(`[start] code-server exited (${c ?? s}); its output is in ${path.relative(root, serverLog)}`);
  process.exit(c || 1);
});

const deadline = Date.now() + 60_000;
for (;;) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
  } catch { /* not listening yet */ }
  if (Date.now() > deadline) {
    console.error(`[start] code-server did not answer /healthz within 60 s; see ${path.relative(root, serverLog)}`);
    stop(1);
    await new Promise(() => {}); // stop() exits
  }
  await new Promise((r) => setTimeout(r, 250));
}

const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples).replace(/%2F/g, '/')}`;
console.log(`
  Kube Traffic is running in VS Code (code-server ${readCodeServerVersion()}) on the examples/ workspace:

      ${url}

  Open that URL in a browser. Log: ${path.relative(root, serverLog)}. Press Ctrl+C to stop.
`);

function readCodeServerVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(e2e, 'node_modules/code-server/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}
