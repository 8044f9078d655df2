import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { oracleBinaries } from '../helpers/oracle';

/**
 * The CLI on a workspace of variants (test/fixtures/variants): a Kustomize base with a prod and a
 * staging overlay, a Helm chart with a prod values file (rendered by the real helm), and a plain
 * Gateway they share. Findings come back to the lines people wrote, with the variants they hold in.
 */

const CLI = path.resolve(__dirname, '../../server/out/cli.js');
const FIXTURE = path.resolve(__dirname, '../fixtures/variants');

function run(args: readonly string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: FIXTURE, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const helm = () => oracleBinaries().helm;

interface JsonFinding {
  file: string;
  range: { start: { line: number } };
  code: string;
  message: string;
  related: { file: string; range: { start: { line: number } }; message: string }[];
  variants?: string[];
}

test('check --format json: each finding at its source line, with the variants it holds in', () => {
  const r = run(['check', '--format', 'json', '--helm', helm()]);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as JsonFinding[];
  assert.deepEqual(list.map((f) => [f.file, f.range.start.line + 1, f.code, f.variants]), [
    // values-prod.yaml sets targetPort `https`, which no container declares: on the template line.
    ['charts/web/templates/service.yaml', 11, 'target-port-unresolved', ['charts/web:values-prod.yaml']],
    // namePrefix renames the Service, and kustomize does not rewrite the route's backendRef.
    ['shop/base/route.yaml', 17, 'kustomize-reference-not-renamed', ['shop/overlays/prod']],
    // The prod patch renames the container port: the base Service's named targetPort breaks there only.
    ['shop/base/service.yaml', 11, 'target-port-unresolved', ['shop/overlays/prod']],
  ]);
  const chart = list[0]!;
  assert.ok(chart.related.some((x) => x.file === 'charts/web/values-prod.yaml' && x.range.start.line === 2), `the values line is related: ${JSON.stringify(chart.related)}`);
  // Related: the Deployment that does not declare the port, where it is defined (not the namePrefix line
  // that renamed it), and the namePrefix line as well.
  const svc = list[2]!;
  assert.ok(svc.related.some((x) => x.file === 'shop/base/deployment.yaml' && x.range.start.line === 3), `the Deployment is related: ${JSON.stringify(svc.related)}`);
});

test('check --format text and sarif carry the variants too; the staging overlay and the default values stay quiet', () => {
  const text = run(['check', '--helm', helm()]).stdout;
  assert.match(text, /^shop\/base\/service\.yaml:11:19: warning target-port-unresolved: .*\[shop\/overlays\/prod\]$/m);
  assert.doesNotMatch(text, /shop\/overlays\/staging|charts\/web\]/);
  const sarif = JSON.parse(run(['check', '--format', 'sarif', '--helm', helm()]).stdout) as { runs: { results: { properties: { variants?: string[] } }[] }[] };
  assert.deepEqual(sarif.runs[0]!.results.map((x) => x.properties.variants), [['charts/web:values-prod.yaml'], ['shop/overlays/prod'], ['shop/overlays/prod']]);
});

test('--no-helm: the chart is not rendered and its templates say how to enable it', () => {
  const r = run(['check', '--format', 'json', '--no-helm']);
  const skipped = (JSON.parse(r.stdout) as JsonFinding[]).filter((f) => f.code === 'template-skipped');
  assert.deepEqual(skipped.map((f) => f.file), ['charts/web/templates/deployment.yaml', 'charts/web/templates/service.yaml']);
  assert.match(skipped[0]!.message, /Helm chart charts\/web, not rendered: Helm rendering is turned off/);
});

test('a helm that does not exist: templates skipped, saying so; the Kustomize variants are still analysed', () => {
  const r = run(['check', '--format', 'json', '--helm', '/nonexistent/helm']);
  const list = JSON.parse(r.stdout) as JsonFinding[];
  assert.match(list.find((f) => f.code === 'template-skipped')!.message, /does not exist/);
  assert.ok(list.some((f) => f.code === 'kustomize-reference-not-renamed'));
});

test('graph, trace and can-reach take --variant; an unknown variant is bad usage listing the variants', () => {
  const g = JSON.parse(run(['graph', '--variant', 'shop/overlays/staging', '--helm', helm()]).stdout) as { variant: string; nodes: { id: string; file?: string }[] };
  assert.equal(g.variant, 'shop/overlays/staging');
  assert.deepEqual(g.nodes.filter((n) => n.id.startsWith('Service/')).map((n) => [n.id, n.file]), [['Service/shop-staging/cart', 'shop/base/service.yaml']]);
  // The plain view has only the Gateway: the route is part of the overlays.
  const plain = run(['trace', 'http://shop.example.com/cart', '--helm', helm()]);
  assert.equal(plain.code, 1);
  const staging = run(['trace', 'http://shop.example.com/cart', '--variant', 'shop/overlays/staging', '--format', 'json', '--helm', helm()]);
  assert.equal(staging.code, 0, staging.stdout);
  assert.match(staging.stdout, /"uri": "shop\/base\/route\.yaml"/);
  const prod = run(['trace', 'http://shop.example.com/cart', '--variant', 'shop/overlays/prod', '--helm', helm()]);
  assert.equal(prod.code, 1, 'in prod the route names a Service the build renamed');
  const reach = run(['can-reach', 'Deployment/shop-staging/cart', 'Service/shop-staging/cart', '--variant', 'shop/overlays/staging', '--helm', helm()]);
  assert.equal(reach.code, 0, reach.stdout + reach.stderr);
  const bad = run(['graph', '--variant', 'nope', '--helm', helm()]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no variant 'nope'; the variants are: charts\/web, charts\/web:values-prod\.yaml, shop\/overlays\/prod, shop\/overlays\/staging/);
});
