// Bundles every entry point with esbuild. Type checking is `tsc -b` (npm run typecheck).
import * as esbuild from 'esbuild';
import { readFileSync, existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { KT_VERSION: JSON.stringify(pkg.version) },
};

const builds = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js'},
];
if (existsSync('server/src/lsp/main.ts')) builds.push({ entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js' });
if (existsSync('server/src/node/parseWorker.ts')) builds.push({ entryPoints: ['server/src/node/parseWorker.ts'], outfile: 'server/out/parseWorker.js' });
if (existsSync('test/e2e/suite/index.ts')) builds.push({ entryPoints: ['test/e2e/suite/index.ts'], outfile: 'test/e2e/out/suite/index.js', external: ['vscode'] });
if (existsSync('test/e2e/screenshots/index.ts')) builds.push({ entryPoints: ['test/e2e/screenshots/index.ts'], outfile: 'test/e2e/out/screenshots/index.js', external: ['vscode'] });
if (existsSync('client/src/extension.ts')) builds.push({ entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] });
// The topology webview: a browser bundle (elkjs included; no eval, no workers, as its CSP allows
// neither), its CSS, and @vscode/codicons' CSS + font beside them (the CSS loads the font relatively).
if (existsSync('webview/src/main.ts')) {
  const browser = { platform: 'browser', target: 'chrome120' };
  builds.push({ ...browser, entryPoints: ['webview/src/main.ts'], outfile: 'webview/out/topology.js', format: 'iife', loader: { '.ttf': 'dataurl' } });
  builds.push({ ...browser, entryPoints: ['webview/src/topology.css'], outfile: 'webview/out/topology.css' });
  mkdirSync('webview/out', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `webview/out/${f}`);
  // package.json's `files` ships webview/out/**: no stale source maps from a development build.
  if (production) for (const f of ['topology.js.map', 'topology.css.map']) rmSync(`webview/out/${f}`, { force: true });
}

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
