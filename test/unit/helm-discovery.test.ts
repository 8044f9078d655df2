import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverCharts, notRenderedMessage } from '../../server/src/core/helm/index';
import { declaredDependencies, missingDependencies, withoutDependencies } from '../../server/src/core/helm/dependencies';

/** Chart discovery from a file list (no I/O), variant names, members, dependencies. */

const R = 'file:///ws';
const u = (p: string) => `${R}/${p}`;

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(pathToFileURL(p).href);
    }
  };
  walk(dir);
  return out;
}

const SHARED = path.resolve(__dirname, '../../../shared');

test('the real charts: one variant per values file, named relative to the root', () => {
  const root = path.join(SHARED, 'charts');
  const d = discoverCharts(listing(root), { root: pathToFileURL(root).href });
  assert.deepEqual(d.charts.map((c) => c.path), ['ingress-nginx', 'podinfo', 'sock-shop']);
  assert.deepEqual(d.variants.map((v) => v.name), ['ingress-nginx', 'podinfo', 'podinfo:values-prod.yaml', 'sock-shop']);
  const podinfo = d.charts[1]!;
  assert.equal(podinfo.variants[1]!.valuesFile, pathToFileURL(path.join(root, 'podinfo/values-prod.yaml')).href);
  // Members: everything under the chart folder (templates, helpers, values files, Chart.yaml).
  for (const f of ['Chart.yaml', 'values.yaml', 'values-prod.yaml', 'templates/_helpers.tpl', 'templates/service.yaml', 'templates/tests/grpc.yaml']) {
    assert.ok(podinfo.members.has(pathToFileURL(path.join(root, 'podinfo', f)).href), f);
  }
  assert.ok(!podinfo.members.has(pathToFileURL(path.join(root, 'README.md')).href));
  assert.equal(d.chartOf(pathToFileURL(path.join(root, 'sock-shop/templates/carts-svc.yaml')).href)?.path, 'sock-shop');
  assert.equal(d.skipReason(pathToFileURL(path.join(root, 'sock-shop/templates/carts-svc.yaml')).href), undefined);
});

test('the corpus holds only YAML files: its templates/ folders are not charts, and say why', () => {
  const root = path.join(SHARED, 'corpus');
  const files = listing(root);
  const d = discoverCharts(files, { root: pathToFileURL(root).href });
  assert.deepEqual(d.charts, []);
  const templated = files.filter((f) => f.includes('/templates/') && readFileSync(new URL(f), 'utf8').includes('{{'));
  assert.ok(templated.length >= 10, `templated corpus files: ${templated.length}`);
  for (const f of templated) {
    assert.match(d.skipReason(f)!, /^\S+\/templates\/ has no Chart\.yaml beside it: not a whole Helm chart, so it cannot be rendered\.$/);
  }
  assert.match(d.skipReason(files.find((f) => !f.includes('/templates/'))!)!, /Not part of a Helm chart/);
});

test('local subcharts render with their parent; an umbrella chart (charts/ without templates/) is a chart', () => {
  const d = discoverCharts([
    u('app/Chart.yaml'), u('app/values.yaml'), u('app/templates/svc.yaml'),
    u('app/charts/db/Chart.yaml'), u('app/charts/db/templates/svc.yaml'), u('app/charts/db/values-prod.yaml'),
    u('app/charts/db/charts/inner/Chart.yaml'), u('app/charts/db/charts/inner/templates/x.yaml'),
    u('umbrella/Chart.yaml'), u('umbrella/charts/a/Chart.yaml'), u('umbrella/charts/a/templates/x.yaml'),
    u('lonely/Chart.yaml'),
  ], { root: R });
  assert.deepEqual(d.charts.map((c) => [c.path, c.variants.map((v) => v.name)]), [['app', ['app']], ['umbrella', ['umbrella']]]);
  assert.deepEqual(d.charts[0]!.subcharts, [u('app/charts/db'), u('app/charts/db/charts/inner')]);
  assert.ok(d.charts[0]!.members.has(u('app/charts/db/charts/inner/templates/x.yaml')));
  assert.equal(d.chartOf(u('app/charts/db/templates/svc.yaml'))?.path, 'app');
});

test('values variants: values-*.yaml and values.*.yaml beside Chart.yaml, and the valuesFiles setting', () => {
  const files = [
    u('c/Chart.yaml'), u('c/values.yaml'), u('c/values-prod.yaml'), u('c/values.staging.yml'), u('c/templates/a.yaml'),
    u('c/ci/ci-values.yaml'), u('c/other-values.yaml'), u('deploy/values-eu.yaml'), u('d/Chart.yaml'), u('d/templates/a.yaml'),
  ];
  const d = discoverCharts(files, {
    root: R,
    valuesFiles: ['c/ci/ci-values.yaml', 'c:../deploy/values-eu.yaml', 'deploy/values-eu.yaml', 'missing.yaml', 'x:values.yaml', 'c/values.yaml'],
  });
  assert.deepEqual(d.charts[0]!.variants.map((v) => v.name), ['c', 'c:values-prod.yaml', 'c:values.staging.yml', 'c:ci/ci-values.yaml', 'c:../deploy/values-eu.yaml']);
  assert.ok(d.charts[0]!.members.has(u('deploy/values-eu.yaml')), 'an extra values file outside the chart is a member');
  assert.deepEqual(d.unassignedValues.map((x) => x.entry), ['deploy/values-eu.yaml', 'missing.yaml', 'x:values.yaml']);
  assert.match(d.unassignedValues[0]!.reason, /2 charts: write it as `<chart folder>:<values file>`/);
  assert.match(d.unassignedValues[1]!.reason, /missing\.yaml is not in the workspace/);
  assert.match(d.unassignedValues[2]!.reason, /x is not a chart folder/);
});

test('a workspace that is the chart: the variant is `.`', () => {
  const d = discoverCharts([u('Chart.yaml'), u('templates/a.yaml'), u('values-prod.yaml')], { root: `${R}/` });
  assert.deepEqual(d.variants.map((v) => v.name), ['.', '.:values-prod.yaml']);
});

test('template-skipped messages say how to enable rendering', () => {
  assert.match(notRenderedMessage('charts/web', 'helm-not-found'), /helm was not found on PATH\. Install Helm 3 or set `kubeTraffic\.helm\.path` \(CLI: `--helm PATH`\)/);
  assert.match(notRenderedMessage('charts/web', 'untrusted'), /Restricted Mode.*Trust the workspace/);
});

test('dependencies: declared in Chart.yaml or requirements.yaml; missing unless vendored by name or archive; removed from the private copy', () => {
  const chart = 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 17.0.0\n    repository: https://charts.example.com\n  - name: db\n    alias: database\n    repository: file://../db\n  - name: common\n    version: 2.1.0\n';
  const deps = declaredDependencies('file:///c/Chart.yaml', chart);
  assert.deepEqual(deps.map((d) => [d.name, d.alias, d.repository]), [['redis', undefined, 'https://charts.example.com'], ['db', 'database', 'file://../db'], ['common', undefined, undefined]]);
  assert.equal(chart.slice(deps[0]!.span.start, deps[0]!.span.end).split('\n')[0], 'name: redis');
  const missing = missingDependencies(deps, { names: new Set(['db']), archives: ['common-2.1.0.tgz', 'redisx-1.0.0.tgz'] });
  assert.deepEqual(missing.map((d) => d.name), ['redis']);
  const stripped = withoutDependencies(chart, new Set(['redis']));
  assert.deepEqual(declaredDependencies('x', stripped).map((d) => d.name), ['db', 'common']);
  assert.match(stripped, /^name: app$/m);
  const sock = readFileSync(path.join(SHARED, 'charts/sock-shop/requirements.yaml'), 'utf8');
  assert.deepEqual(declaredDependencies('r', sock).map((d) => [d.name, d.version, d.repository]), [['nginx-ingress', '0.4.2', 'https://helm.nginx.com/stable']]);
});
