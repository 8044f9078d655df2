/**
 * Loads the built webview bundle (webview/out/) as a plain page in headless Chromium, the way the
 * extension's panel does: same CSP (header and meta tag), same files, a nonce on the scripts, and a
 * stubbed `acquireVsCodeApi` installed before the bundle. Theme variables mimic VS Code's.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FromWebview, TrafficGraph } from '../../server/src/protocol/webview';

/** The repository root: the nearest folder above this file with package.json and webview/. */
export const ROOT = ((): string => {
  for (let dir = path.dirname(__filename); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'webview'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
})();
const OUT = path.join(ROOT, 'webview/out');

/** playwright-core: the root's (a devDependency), else the one `npm run setup` installs in e2e/. */
function loadPlaywright(): typeof import('playwright-core') {
  const req = createRequire(path.join(ROOT, 'package.json'));
  for (const from of [ROOT, path.join(ROOT, 'e2e')]) {
    try {
      return req(req.resolve('playwright-core', { paths: [from] })) as typeof import('playwright-core');
    } catch { /* try the next */ }
  }
  throw new Error('playwright-core not found: run `npm ci` (it is a devDependency)');
}

/**
 * The browser: $KT_CHROMIUM, else Debian's /usr/bin/chromium. Throws, naming the path and how to
 * install it, when it is not an executable file, so a suite fails at once instead of waiting.
 */
export function chromiumExecutable(): string {
  const exe = process.env.KT_CHROMIUM || '/usr/bin/chromium';
  try {
    if (!statSync(exe).isFile()) throw new Error('not a file');
    accessSync(exe, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found: ${exe}${process.env.KT_CHROMIUM ? ' (KT_CHROMIUM)' : ''} is not an executable file. `
      + 'Install it with `npm run setup` (Debian\'s chromium package, as `npm test` does), or set KT_CHROMIUM to a Chromium or Chrome executable.');
  }
  return exe;
}

/** How long a browser may take to start before the launch fails (Playwright's default is 3 minutes). */
const LAUNCH_TIMEOUT_MS = 30_000;

export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-focusBorder': '#0078d4', '--vscode-errorForeground': '#f85149', '--vscode-editorWidget-background': '#202020',
      '--vscode-editorWidget-border': '#454545', '--vscode-widget-border': '#313131', '--vscode-input-background': '#313131',
      '--vscode-input-border': '#3c3c3c', '--vscode-input-foreground': '#cccccc', '--vscode-input-placeholderForeground': '#989898',
      '--vscode-dropdown-background': '#313131', '--vscode-dropdown-border': '#3c3c3c', '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-sideBar-background': '#181818', '--vscode-panel-border': '#2b2b2b', '--vscode-editorLineNumber-foreground': '#6e7681',
      '--vscode-editorHoverWidget-background': '#202020', '--vscode-editorHoverWidget-border': '#454545', '--vscode-toolbar-hoverBackground': '#5a5d5e50',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700', '--vscode-charts-red': '#f14c4c', '--vscode-widget-shadow': '#0000005c',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-focusBorder': '#005fb8', '--vscode-errorForeground': '#f85149', '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-editorWidget-border': '#c8c8c8', '--vscode-widget-border': '#e5e5e5', '--vscode-input-background': '#ffffff',
      '--vscode-input-border': '#cecece', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-placeholderForeground': '#767676',
      '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#cecece', '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-sideBar-background': '#f8f8f8', '--vscode-panel-border': '#e5e5e5', '--vscode-editorLineNumber-foreground': '#6e7681',
      '--vscode-editorHoverWidget-background': '#f8f8f8', '--vscode-editorHoverWidget-border': '#c8c8c8', '--vscode-toolbar-hoverBackground': '#b8b8b850',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34', '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-red': '#e51400', '--vscode-widget-shadow': '#00000029',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffff',
      '--vscode-focusBorder': '#f38518', '--vscode-errorForeground': '#f48771', '--vscode-editorWidget-background': '#0c141f',
      '--vscode-editorWidget-border': '#6fc3df', '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-input-background': '#000000', '--vscode-input-border': '#6fc3df', '--vscode-input-foreground': '#ffffff',
      '--vscode-dropdown-background': '#000000', '--vscode-dropdown-border': '#6fc3df', '--vscode-panel-border': '#6fc3df',
      '--vscode-editorLineNumber-foreground': '#ffffff', '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700',
    },
  },
} as const;
export type Theme = keyof typeof THEMES;

/** The page the extension serves, with `origin` standing in for webview.cspSource. */
export function pageHtml(origin: string, nonce: string, theme: Theme): string {
  const csp = cspFor(origin, nonce);
  const t = THEMES[theme];
  const vars = Object.entries(t.vars).map(([k, v]) => `${k}: ${v};`).join(' ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/webview/out/codicon.css">
<link rel="stylesheet" href="${origin}/webview/out/topology.css">
<style nonce="${nonce}">html { ${vars} }</style>
<title>Kube Traffic topology</title>
</head>
<body class="${t.bodyClass}">
<div id="app"></div>
<script nonce="${nonce}">
window.__posted = [];
window.__violations = [];
window.__state = window.__initialState;
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => window.__state,
  setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
});
</script>
<script nonce="${nonce}" src="${origin}/webview/out/topology.js"></script>
</body>
</html>`;
}

export function cspFor(origin: string, nonce: string): string {
  return `default-src 'none'; img-src ${origin} data: blob:; style-src ${origin} 'nonce-${nonce}'; font-src ${origin}; script-src 'nonce-${nonce}';`;
}

export interface Harness {
  readonly browser: Browser;
  readonly origin: string;
  open(opts?: { theme?: Theme; width?: number; height?: number; state?: unknown }): Promise<TopologyPage>;
  close(): Promise<void>;
}

export interface TopologyPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly consoleErrors: string[];
  /** Posts a graph and waits for the `rendered` message it causes. */
  postGraph(graph: TrafficGraph, activeIds?: string[]): Promise<{ nodes: number; edges: number; brokenEdges: number }>;
  post(message: unknown): Promise<void>;
  posted(): Promise<FromWebview[]>;
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const executablePath = chromiumExecutable();
  if (!existsSync(path.join(OUT, 'topology.js'))) throw new Error('webview/out/topology.js missing: run `npm run build` first');
  const { chromium } = loadPlaywright();
  const nonces = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const theme = (url.searchParams.get('theme') ?? 'dark') as Theme;
      const origin = `http://${req.headers.host}`;
      nonces.set(nonce, theme);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': cspFor(origin, nonce), 'Cache-Control': 'no-store' });
      res.end(pageHtml(origin, nonce, THEMES[theme] ? theme : 'dark'));
      return;
    }
    if (url.pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    const m = /^\/webview\/out\/([\w.-]+)$/.exec(url.pathname);
    const file = m ? path.join(OUT, m[1]!) : undefined;
    if (!file || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.ttf') ? 'font/ttf' : file.endsWith('.map') ? 'application/json' : 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  const userData = mkdtempSync(path.join(tmpdir(), 'kt-webview-chromium-'));
  const closeServer = (): Promise<void> => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  let browser: Browser;
  let started = false;
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    // Playwright's launch() gives the browser a fresh temporary profile (--user-data-dir) of its
    // own; Chromium's crash database and caches go to a temp folder too.
    browser = await chromium.launch({
      executablePath,
      headless: true,
      timeout: LAUNCH_TIMEOUT_MS,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      env: { ...process.env, XDG_CONFIG_HOME: userData, XDG_CACHE_HOME: userData },
    }).catch((e: Error) => {
      throw new Error(`Chromium (${executablePath}) did not start: ${e.message.split('\n')[0]}`, { cause: e });
    });
    started = true;
  } finally {
    // A failed start must not leave the server listening: the test process would never exit.
    if (!started) {
      await closeServer();
      rmSync(userData, { recursive: true, force: true });
    }
  }
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    browser, origin,
    async open(opts = {}) {
      const context = await browser.newContext({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      if (opts.state !== undefined) await page.addInitScript((s) => { (window as unknown as { __initialState: unknown }).__initialState = s; }, opts.state);
      await page.goto(`${origin}/?theme=${opts.theme ?? 'dark'}`);
      await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
      const posted = async (): Promise<FromWebview[]> => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
      const post = async (message: unknown): Promise<void> => { await page.evaluate((m) => window.postMessage(m, '*'), message); };
      return {
        page, context, consoleErrors, posted, post,
        async postGraph(graph, activeIds = []) {
          const before = (await posted()).filter((m) => m.type === 'rendered').length;
          await post({ type: 'graph', graph, activeIds });
          await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > n, before, { timeout: 120_000 });
          const all = await posted();
          return ofType(all, 'rendered').at(-1)!;
        },
        violations: async () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
        close: async () => { await context.close(); },
      };
    },
    async close() {
      try {
        await browser.close();
      } finally {
        await closeServer();
        rmSync(userData, { recursive: true, force: true });
      }
    },
  };
}

/** The messages of one type, typed. */
export function ofType<T extends FromWebview['type']>(messages: readonly FromWebview[], type: T): Extract<FromWebview, { type: T }>[] {
  return messages.filter((m): m is Extract<FromWebview, { type: T }> => m.type === type);
}

/** The examples/ workspace as `kube-traffic graph` prints it (needs `npm run build`). */
export function examplesGraph(paths: readonly string[] = SHOP_EXAMPLE): TrafficGraph {
  const cli = path.join(ROOT, 'server/out/cli.js');
  if (!existsSync(cli)) throw new Error('server/out/cli.js missing: run `npm run build` first');
  return JSON.parse(execFileSync(process.execPath, [cli, 'graph', ...paths, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })) as TrafficGraph;
}

/** The shop example (examples/ without the separate NetworkPolicy example, examples/policies). */
export const SHOP_EXAMPLE: readonly string[] = readdirSync(path.join(ROOT, 'examples')).filter((f) => f !== 'policies' && /^[a-z]/.test(f) && !f.endsWith('.md')).map((f) => `examples/${f}`);

/** Where screenshots go: docs/images when KT_UPDATE_SCREENSHOTS=1, else a temp folder. */
export function screenshotPath(name: string): string {
  const dir = process.env.KT_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : path.join(tmpdir(), 'kt-webview-screenshots');
  execFileSync('mkdir', ['-p', dir]);
  return path.join(dir, name);
}
