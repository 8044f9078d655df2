import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertBuilt, runCliSync } from '../helpers/cli';
import { tempDir, write as writeIn } from '../helpers/disk';
import { deployment, ingress, service } from '../helpers/fixtures';

let dir: string;

const run = (args: string[], cwd = dir) => runCliSync(args, cwd);
const write = (rel: string, content: string | Buffer) => writeIn(dir, rel, content);

const SERVICE = (name: string, nodePort: number) => service(name, { app: 'web' }, { type: 'NodePort', targetPort: 8080, nodePort });
const DEPLOYMENT = deployment('web', { app: 'web' }, { replicas: 2, image: 'nginx', ports: [['', 8080]] });

before(() => {
  assertBuilt();
  dir = tempDir('cli');
  write('apps/web.yaml', DEPLOYMENT);
  write('apps/b-svc.yaml', SERVICE('b-svc', 30080));
  write('apps/a-svc.yml', SERVICE('a-svc', 30080));
  write('z/ingress.yaml', ingress('web', 'nosuch', { className: null, host: 'shop.example.com', path: '/' }));
  write('node_modules/dep/bad.yaml', 'kind: Service\napiVersion: v1\nmetadata: {name: "BAD"}\n');
  write('.git/x.yaml', 'kind: Service\napiVersion: v1\nmetadata: {name: "BAD"}\n');
  write('notes.txt', 'not yaml');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('check text: one line per finding, 1-based, sorted by path then position, then a summary', () => {
  const r = run(['check']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const summary = lines.pop()!;
  assert.match(summary, /^3 problems \(2 errors, 1 warning, 0 information, 0 hints\) in 4 files\.$/);
  assert.deepEqual(lines.map((l) => l.split(': ')[0] + ' ' + l.split(' ')[2]), [
    'apps/a-svc.yml:12:17 node-port-conflict:',
    'apps/b-svc.yaml:12:17 node-port-conflict:',
    'z/ingress.yaml:14:23 ingress-service-missing:',
  ]);
  assert.match(lines[0]!, /^apps\/a-svc\.yml:12:17: error node-port-conflict: .*30080.*b-svc/);
  assert.doesNotMatch(r.stdout, /BAD|node_modules|\.git/);
});

test('check json: sorted array with 0-based LSP ranges and relative related paths', () => {
  const r = run(['check', '--format', 'json']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as { file: string; range: { start: { line: number; character: number } }; severity: string; code: string; related: { file: string }[] }[];
  assert.deepEqual(out.map((f) => f.file), ['apps/a-svc.yml', 'apps/b-svc.yaml', 'z/ingress.yaml']);
  assert.deepEqual(out[0]!.range.start, { line: 11, character: 16 });
  assert.equal(out[0]!.severity, 'error');
  assert.deepEqual(out[0]!.related.map((x) => x.file), ['apps/b-svc.yaml']);
  assert.deepEqual(Object.keys(out[0]!).sort(), ['code', 'file', 'message', 'range', 'related', 'severity']);
});

test('check sarif: SARIF 2.1.0 with one rule per code', () => {
  const r = run(['check', '--format=sarif']);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  const rules = sarif.runs[0].tool.driver.rules as { id: string }[];
  assert.ok(rules.length >= 37);
  assert.equal(new Set(rules.map((x) => x.id)).size, rules.length);
  const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
  assert.equal(results.length, 3);
  assert.equal(results[0]!.ruleId, 'node-port-conflict');
  assert.equal(results[0]!.level, 'error');
  assert.equal(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'apps/a-svc.yml');
  assert.equal(results[0]!.locations[0]!.physicalLocation.region.startLine, 12);
  assert.equal(results[2]!.level, 'warning');
});

test('check sarif: reported rules carry their docs/rules.md section as help; no invented web address', () => {
  const sarif = JSON.parse(run(['check', '--format=sarif']).stdout);
  const rules = sarif.runs[0].tool.driver.rules as { id: string; help?: { text: string; markdown: string }; helpUri?: string }[];
  assert.equal(sarif.runs[0].tool.driver.informationUri, undefined);
  assert.deepEqual(rules.filter((r) => r.helpUri !== undefined), []);
  const reported = new Set((sarif.runs[0].results as { ruleId: string }[]).map((r) => r.ruleId));
  assert.deepEqual([...reported].sort(), ['ingress-service-missing', 'node-port-conflict']);
  for (const r of rules) {
    if (!reported.has(r.id)) { assert.equal(r.help, undefined, r.id); continue; }
    assert.match(r.help!.markdown, /\*\*What it means\.\*\*/, r.id);
    assert.equal(r.help!.text, r.help!.markdown);
  }
  assert.match(rules.find((r) => r.id === 'node-port-conflict')!.help!.markdown, /nodePorts? .*cluster-wide/is);
});

test('check exit codes follow --fail-on', () => {
  assert.equal(run(['check', 'z']).code, 0, 'a warning does not fail by default');
  assert.equal(run(['check', 'z', '--fail-on', 'warning']).code, 1);
  assert.equal(run(['check', '--fail-on', 'none']).code, 0);
  assert.equal(run(['check', 'apps/web.yaml']).code, 0);
});

test('bad usage and unreadable input exit 2 with a one-line message', () => {
  for (const args of [['frobnicate'], ['check', '--format', 'xml'], ['check', '--fail-on', 'sometimes'], ['check', 'does-not-exist']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr.split('\n')[0]!, /^kube-traffic: /);
    assert.equal(r.stdout, '');
  }
});

test('binary and non-UTF-8 files are reported and skipped, never fatal', () => {
  const sub = tempDir('cli-bin');
  try {
    writeFileSync(path.join(sub, 'binary.yaml'), Buffer.from([0x61, 0x00, 0x62, 0x00, 0xff]));
    writeFileSync(path.join(sub, 'latin1.yaml'), Buffer.from('name: caf\xe9\n', 'latin1'));
    writeFileSync(path.join(sub, 'ok.yaml'), DEPLOYMENT);
    const r = run(['check', '.'], sub);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /skipped binary\.yaml: binary file/);
    assert.match(r.stderr, /skipped latin1\.yaml: not valid UTF-8/);
    assert.match(r.stdout, /No problems .* in 1 file, 2 skipped\./);
  } finally {
    rmSync(sub, { recursive: true, force: true });
  }
});

test('severity overrides and nodePort range options', () => {
  const r = run(['check', 'apps', '--format', 'json', '--severity', 'node-port-conflict=warning', '--node-port-range', '30000-30050']);
  const out = JSON.parse(r.stdout) as { code: string; severity: string }[];
  assert.deepEqual(out.map((f) => `${f.code}:${f.severity}`), [
    'node-port-conflict:warning', 'node-port-range:error', 'node-port-conflict:warning', 'node-port-range:error',
  ]);
  assert.equal(r.code, 1);
  const off = JSON.parse(run(['check', 'apps', '--format', 'json', '--severity', 'node-port-conflict=off']).stdout);
  assert.deepEqual(off, []);
});

test('graph json follows the contract: ids, edge kinds, exposure, broken references', () => {
  const r = run(['graph']);
  assert.equal(r.code, 0, r.stderr);
  const g = JSON.parse(r.stdout) as { nodes: { id: string; kind: string; file?: string; details: Record<string, unknown> }[]; edges: { from: string; to: string; kind: string; label: string; broken: boolean }[] };
  const ids = g.nodes.map((n) => n.id);
  assert.ok(ids.includes('Service/a-svc') && ids.includes('Deployment/web') && ids.includes('Ingress/web'));
  assert.ok(ids.includes('Missing/Service/nosuch'));
  const svc = g.nodes.find((n) => n.id === 'Service/a-svc')!;
  assert.equal(svc.file, 'apps/a-svc.yml');
  assert.deepEqual(svc.details.exposure, ['ClusterIP', 'NodePort 30080']);
  const selects = g.edges.find((e) => e.from === 'Service/a-svc' && e.kind === 'selects')!;
  assert.equal(selects.to, 'Deployment/web');
  assert.equal(selects.label, '80 → 8080 (web:8080)');
  assert.equal(selects.broken, false);
  const broken = g.edges.find((e) => e.from === 'Ingress/web')!;
  assert.deepEqual([broken.to, broken.kind, broken.broken], ['Missing/Service/nosuch', 'routes', true]);
  assert.equal(broken.label, 'shop.example.com/ → 80');
});

test('graph mermaid and dot render every node and mark broken edges', () => {
  const m = run(['graph', '--format', 'mermaid']).stdout;
  assert.match(m, /^flowchart LR\n/);
  assert.match(m, /-\.->\|"shop\.example\.com\/ → 80"\|/);
  assert.match(m, /linkStyle \d+ stroke:#d33/);
  const d = run(['graph', '--format', 'dot']).stdout;
  assert.match(d, /^digraph kube_traffic \{/);
  assert.match(d, /"Ingress\/web" -> "Missing\/Service\/nosuch" \[label="shop\.example\.com\/ → 80", style=dashed, color=red/);
  assert.match(d, /"Service\/a-svc" -> "Deployment\/web"/);
});
