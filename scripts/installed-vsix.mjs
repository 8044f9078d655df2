#!/usr/bin/env node
// What a user who installed the .vsix sees, offline: installs it into code-server (VS Code 1.100.3,
// e2e/) and drives the workbench in headless Chromium. Prints a JSON report on stdout:
//   page:     the extension's details page: header icon, every README image (loaded or not),
//             headings and links;
//   ruleLink: with --workspace: the Problems panel's first diagnostic code link is clicked and the
//             document it opens is described (a Markdown preview, and where the rule's heading is).
//
// Usage: node scripts/installed-vsix.mjs --vsix FILE [--workspace DIR] [--code CODE] [--shots DIR]
//   --workspace DIR  a folder whose manifests have at least one finding (copied to a temp folder)
//   --code CODE      click the code link of this rule (default: the first one listed)
//   --shots DIR      saves extension-page.png and rule-link.png there (docs/images/ for the README)
// Exit code: 0 when every step ran (the caller judges the report), 1 otherwise (reason on stderr).
// Needs e2e/ set up (`sh e2e/setup.sh`) and Chromium at /usr/bin/chromium (or KT_E2E_CHROMIUM).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(root, 'e2e/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.KT_E2E_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? path.resolve(args[i + 1]) : undefined;
};
const vsix = opt('--vsix');
const sourceWorkspace = opt('--workspace');
const shots = opt('--shots');
const codeIndex = args.indexOf('--code');
const wantedCode = codeIndex >= 0 ? args[codeIndex + 1] : undefined;
const log = (msg) => process.stderr.write(`[installed-vsix] ${msg}\n`);
function fail(msg) {
  log(msg);
  process.exit(1);
}
if (!vsix || !fs.existsSync(vsix)) fail('usage: installed-vsix.mjs --vsix FILE [--workspace DIR] [--code CODE] [--shots DIR]');
if (!fs.existsSync(ENTRY)) fail(`code-server is missing (${ENTRY}): run \`sh e2e/setup.sh\``);
if (!fs.existsSync(CHROMIUM)) fail(`Chromium is missing (${CHROMIUM}): install Debian's chromium or set KT_E2E_CHROMIUM`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-vsix-'));
const dir = (name) => {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const userData = dir('user-data');
const extensions = dir('extensions');
const workspace = dir('workspace');
if (sourceWorkspace) fs.cpSync(sourceWorkspace, workspace, { recursive: true });
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
  'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true, 'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
}));
const env = {
  ...process.env,
  XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data'), XDG_CACHE_HOME: dir('xdg-cache'), XDG_STATE_HOME: dir('xdg-state'),
  EXTENSIONS_GALLERY: '{}', // no gallery: nothing to fetch; the page shows the installed files only
};
delete env.PORT;
const common = ['--user-data-dir', userData, '--extensions-dir', extensions];

let server;
let browser;

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startCodeServer() {
  const port = await freePort();
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  server = spawn(process.execPath, [ENTRY, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--config', configFile, ...common],
  { env, detached: true, stdio: 'ignore' }); // own process group: the cleanup ends its extension host too
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`code-server exited (${server.exitCode})`);
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return port; } catch { /* starting */ }
    if (Date.now() > deadline) throw new Error('code-server did not answer /healthz within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first webview frame (an iframe in an iframe) whose document satisfies `probe`. */
async function webviewFrame(page, probe, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      if (await frame.evaluate(probe).catch(() => false)) return frame;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not render within ${timeoutMs / 1000} s`);
}

async function extensionPage(page) {
  await page.keyboard.press('Control+Shift+X');
  const item = page.locator('.extensions-viewlet .monaco-list-row').filter({ hasText: 'Kube Traffic' }).first();
  await item.waitFor({ timeout: 30_000 });
  await item.click();
  const editor = page.locator('.extension-editor');
  await editor.waitFor({ timeout: 30_000 });
  const icon = editor.locator('.header .icon').first();
  await icon.evaluate((img) => img.complete || new Promise((r) => { img.onload = img.onerror = r; }));
  const header = {
    name: (await editor.locator('.header .name').first().textContent())?.trim(),
    icon: await icon.evaluate((img) => ({ src: img.getAttribute('src'), naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight })),
  };
  const frame = await webviewFrame(page, () => !!document.querySelector('h1') && document.body.innerText.length > 200, 'the README');
  await frame.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 20_000 });
  const readme = await frame.evaluate(() => ({
    headings: [...document.querySelectorAll('h1, h2, h3')].map((h) => ({ level: h.tagName, id: h.id, text: h.textContent.trim() })),
    images: [...document.images].map((i) => ({
      alt: i.alt, scheme: (i.getAttribute('src') ?? '').split(':')[0], naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
    })),
    links: [...document.querySelectorAll('a')].map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })),
  }));
  if (shots) await page.screenshot({ path: path.join(shots, 'extension-page.png') });
  await page.keyboard.press('Control+W');
  return { header, readme };
}

async function ruleLink(page) {
  await page.keyboard.press('Control+Shift+M'); // Problems
  const link = page.locator('.markers-panel .monaco-list-row a.monaco-link').filter({ hasText: wantedCode ?? '' }).first();
  await link.waitFor({ timeout: 60_000 }); // activation, indexing, first diagnostics
  const code = (await link.textContent())?.trim();
  const href = await link.getAttribute('href');
  await link.click();
  const activeTab = page.locator('.tabs-container .tab.active').first();
  await activeTab.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000);
  const tab = (await activeTab.getAttribute('aria-label')) ?? '';
  const result = { code, href, tab };
  const preview = await webviewFrame(page, () => document.body?.classList.contains('vscode-body') && !!document.querySelector('h2[id]'), 'a Markdown preview', 5_000).catch(() => undefined);
  if (preview) {
    // The preview scrolls to the fragment once its content is laid out: give it up to 10 s.
    await preview.waitForFunction((id) => Math.abs(document.getElementById(id)?.getBoundingClientRect().top ?? 1e9) < 40, code, { timeout: 10_000 }).catch(() => {});
    result.preview = await preview.evaluate((id) => {
      const h = document.getElementById(id);
      return {
        firstHeading: document.querySelector('h1')?.textContent?.trim(),
        heading: h ? { tag: h.tagName, text: h.textContent.trim(), top: Math.round(h.getBoundingClientRect().top) } : undefined,
        viewportHeight: window.innerHeight,
      };
    }, code);
  } else {
    // A text editor (or nothing): its first visible line and the cursor line.
    result.textEditor = await page.locator('.editor-instance .monaco-editor').first().evaluate((ed) => ({
      firstVisibleLine: Math.min(...[...ed.querySelectorAll('.line-numbers')].map((n) => Number(n.textContent)).filter((n) => n > 0)),
      cursorLine: Number(ed.querySelector('.line-numbers.active-line-number')?.textContent ?? NaN),
    })).catch(() => undefined);
  }
  if (shots) await page.screenshot({ path: path.join(shots, 'rule-link.png') });
  return result;
}

async function main() {
  const install = spawnSync(process.execPath, [ENTRY, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 60_000 });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed (${install.status ?? install.signal}):\n${install.stdout}${install.stderr}`);
  const installed = fs.readdirSync(extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  const port = await startCodeServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const blocked = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) blocked.push(m.text().slice(0, 300)); });
  if (shots) fs.mkdirSync(shots, { recursive: true });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.part.activitybar').waitFor({ timeout: 30_000 });
  const report = { installed, page: await extensionPage(page) };
  if (sourceWorkspace) report.ruleLink = await ruleLink(page);
  report.blockedByContentPolicy = blocked;
  return report;
}

async function cleanup() {
  await browser?.close().catch(() => {});
  if (server) try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}

const timer = setTimeout(() => {
  log(`timed out after ${TIMEOUT_MS / 1000} s`);
  void cleanup().then(() => process.exit(1));
}, TIMEOUT_MS);
let exitCode = 0;
try {
  process.stdout.write(JSON.stringify(await main(), null, 2) + '\n');
} catch (error) {
  log(String(error?.stack ?? error));
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await cleanup();
}
process.exit(exitCode);
