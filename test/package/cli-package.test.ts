/**
 * The npm package kube-traffic-cli as users get it: scripts/build-cli-package.mjs packs it, the
 * tarball is installed offline into a temp folder, and both bins run from there.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deployment, service } from '../helpers/fixtures';
import { startServer, until } from '../helpers/lsp';

const root = path.resolve(__dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-npm-test-'));
const app = path.join(tmp, 'app'); // where the package is installed
const manifests = path.join(tmp, 'manifests');
const installed = path.join(app, 'node_modules/kube-traffic-cli');
const bin = (name: string) => path.join(app, 'node_modules/.bin', name);
let tarball: string;

const SERVICE = (name: string, app: string) => service(name, { app }, { type: 'NodePort', targetPort: 8080, nodePort: 30080 });
const DEPLOYMENT = deployment('web', { app: 'web' }, { image: 'nginx', ports: [['', 8080]] });

before(() => {
  const r = spawnSync(process.execPath, ['scripts/build-cli-package.mjs', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `build-cli-package.mjs failed:\n${r.stdout}\n${r.stderr}`);
  tarball = r.stdout.trim().split('\n').at(-1)!;
  mkdirSync(app, { recursive: true });
  writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
  // Offline: the tarball has no dependencies, so npm needs nothing from a registry.
  const i = spawnSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  assert.equal(i.status, 0, `npm install ${tarball} --offline failed:\n${i.stdout}\n${i.stderr}`);
  mkdirSync(manifests, { recursive: true });
  writeFileSync(path.join(manifests, 'a.yaml'), SERVICE('a', 'web'));
  writeFileSync(path.join(manifests, 'b.yaml'), SERVICE('b', 'web'));
  writeFileSync(path.join(manifests, 'web.yaml'), DEPLOYMENT);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the tarball holds the two bundles, the parse worker, docs/rules.md, README and LICENSE only', () => {
  const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split('\n').sort(), [
    'package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/dist/parseWorker.js', 'package/dist/server.js',
    'package/docs/rules.md', 'package/package.json',
  ]);
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'kube-traffic-cli');
  assert.equal(pkg.private, undefined);
  assert.equal(pkg.version, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  assert.deepEqual(Object.keys(pkg.bin).sort(), ['kube-traffic', 'kube-traffic-language-server']);
  assert.equal(pkg.dependencies, undefined, 'the bundles need nothing but Node');
  const builtins = new Set(builtinModules);
  for (const f of ['dist/cli.js', 'dist/server.js', 'dist/parseWorker.js']) {
    const code = readFileSync(path.join(installed, f), 'utf8');
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((m) => !m.startsWith('node:'));
    assert.deepEqual(required.filter((m) => !builtins.has(m)), [], `${f} requires only Node built-ins`);
    assert.doesNotMatch(code, /require\("vscode"\)|sourceMappingURL/, f);
  }
  assert.match(readFileSync(path.join(installed, 'README.md'), 'utf8'), /kube-traffic-language-server --stdio/);
});

test('installed bin kube-traffic: check finds the nodePort conflict and exits 1; --version; SARIF help from the shipped rules.md', () => {
  const r = spawnSync(bin('kube-traffic'), ['check', '.'], { cwd: manifests, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^a\.yaml:12:17: error node-port-conflict: Service `a`: nodePort 30080 is also claimed by Service `b` \(b\.yaml\)/m);
  assert.match(r.stdout, /^2 problems \(2 errors, 0 warnings, 0 information, 0 hints\) in 3 files\.$/m);
  const v = spawnSync(bin('kube-traffic'), ['--version'], { encoding: 'utf8' });
  assert.equal(v.stdout.trim(), JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  const sarif = JSON.parse(spawnSync(bin('kube-traffic'), ['check', '--format', 'sarif', '--fail-on', 'none'], { cwd: manifests, encoding: 'utf8' }).stdout);
  const rule = (sarif.runs[0].tool.driver.rules as { id: string; help?: { markdown: string } }[]).find((x) => x.id === 'node-port-conflict');
  assert.match(rule?.help?.markdown ?? '', /What it means/);
  const graph = spawnSync(bin('kube-traffic'), ['graph', '.'], { cwd: manifests, encoding: 'utf8' });
  assert.equal(graph.status, 0, graph.stderr);
  assert.ok((JSON.parse(graph.stdout) as { nodes: { id: string }[] }).nodes.some((n) => n.id === 'Deployment/web'), graph.stdout.slice(0, 300));
  const trace = spawnSync(bin('kube-traffic'), ['trace', 'http://a:80/', '.'], { cwd: manifests, encoding: 'utf8' });
  assert.equal(trace.status, 0, trace.stdout + trace.stderr);
  assert.match(trace.stdout, /Result: reached\./);
  const reach = spawnSync(bin('kube-traffic'), ['can-reach', 'Deployment/web', 'Service/a', '--port', '80', '.'], { cwd: manifests, encoding: 'utf8' });
  assert.equal(reach.status, 0, reach.stdout + reach.stderr);
  assert.match(reach.stdout, /^allowed: /);
});

test('installed bin kube-traffic-language-server --stdio answers initialize and links diagnostics to its own docs/rules.md', { timeout: 60_000 }, async () => {
  const s = await startServer(manifests, undefined, {
    server: bin('kube-traffic-language-server'),
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { codeDescriptionSupport: true } } },
  });
  try {
    const init = s.initializeResult;
    assert.equal(init.serverInfo?.name, 'kube-traffic', JSON.stringify(init.serverInfo));
    assert.ok(init.capabilities.hoverProvider && init.capabilities.definitionProvider, JSON.stringify(init.capabilities));
    s.open(pathToFileURL(path.join(manifests, 'a.yaml')).href, SERVICE('a', 'web'));
    const published = await until('diagnostics within 30 s', () => s.publishes.find((p) => p.diagnostics.length > 0), 30_000);
    const d = published.diagnostics.find((x) => x.code === 'node-port-conflict');
    assert.ok(d, JSON.stringify(published.diagnostics.map((x) => x.code)));
    const href = new URL(d.codeDescription!.href);
    assert.equal(fileURLToPath(href), path.join(installed, 'docs/rules.md'));
    assert.equal(href.hash, '#node-port-conflict');
    assert.ok(existsSync(fileURLToPath(href)));
  } finally {
    await s.stop();
  }
});
