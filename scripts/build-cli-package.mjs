#!/usr/bin/env node
// Assembles the npm package kube-traffic-cli in packages/cli/ and packs it:
//   dist/cli.js        `kube-traffic` (check, graph, trace, can-reach)
//   dist/server.js     `kube-traffic-language-server --stdio`
//   dist/parseWorker.js  the server's parse workers (used on more than 2 cores)
//   docs/rules.md      the rule reference; diagnostics link to its sections, SARIF embeds them
//   LICENSE            the project's
// The bundles are esbuild bundles of server/src with every dependency inside (only Node built-ins
// are required at run time), so the package has no dependencies and no VS Code parts.
//
// Usage: node scripts/build-cli-package.mjs [--pack-destination DIR]
//   prints the path of the packed .tgz (npm pack) as its last line of stdout.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'packages/cli');
const rootPkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const cliPkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const destIndex = args.indexOf('--pack-destination');
const dest = path.resolve(destIndex >= 0 && args[destIndex + 1] ? args[destIndex + 1] : path.join(root, '.kt-tmp'));

if (cliPkg.version !== rootPkg.version) {
  console.error(`[cli-package] packages/cli/package.json has version ${cliPkg.version}, the extension ${rootPkg.version}: keep them equal`);
  process.exit(1);
}

const dist = path.join(pkgDir, 'dist');
rmSync(dist, { recursive: true, force: true });
const common = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, sourcemap: false, logLevel: 'warning',
  define: { KT_VERSION: JSON.stringify(cliPkg.version) },
};
await Promise.all([
  // cli.ts starts with its own #!; the server's entry does not, and npm links bins as they are.
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli/main.ts')], outfile: path.join(dist, 'cli.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/lsp/main.ts')], outfile: path.join(dist, 'server.js'), banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/node/parseWorker.ts')], outfile: path.join(dist, 'parseWorker.js') }),
]);
mkdirSync(path.join(pkgDir, 'docs'), { recursive: true });
copyFileSync(path.join(root, 'docs/rules.md'), path.join(pkgDir, 'docs/rules.md'));
copyFileSync(path.join(root, 'LICENSE'), path.join(pkgDir, 'LICENSE'));

mkdirSync(dest, { recursive: true });
// npm pack needs no network for a package without dependencies.
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['pack', '--pack-destination', dest, '--json', '--ignore-scripts'], { cwd: pkgDir, encoding: 'utf8', shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.error(`[cli-package] npm pack failed (${r.status ?? r.signal}):\n${r.stderr}`);
  process.exit(1);
}
const [packed] = JSON.parse(r.stdout);
console.log(`[cli-package] ${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed`);
console.log(path.join(dest, packed.filename));
