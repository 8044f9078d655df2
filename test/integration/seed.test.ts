import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARED, analyzeFolder } from '../helpers/disk';
import type { Service } from '../../server/src/core/model/resources';
import { landing } from '../../server/src/core/resolve/resolver';

const SEED = path.join(SHARED, 'seed-examples');

/**
 * What ../shared/seed-examples/README.md says a correct tool reports, as (file, 1-based line, code).
 * Lines are those of the constructs the README names.
 */
const EXPECTED: readonly [string, number, string][] = [
  ['service-api-tutorial/clusterip.yaml', 1, 'yaml-syntax'],
  ['service-api-tutorial/clusterip.yaml', 22, 'yaml-syntax'],
  ['service-api-tutorial/nodeport.yaml', 11, 'target-port-undeclared'],
  ['service-api-tutorial/noneselector.yaml', 6, 'service-no-endpoints'],
  ['nodeport-loadbalancer-guide/nodeport_sample.yml', 12, 'node-port-conflict'],
  ['nodeport-loadbalancer-guide/nodeport_duplicate.yml', 12, 'node-port-conflict'],
  ['nodeport-loadbalancer-guide/nodeport_out_of_range.yml', 12, 'node-port-range'],
  ['nodeport-loadbalancer-guide/lb_fixip_sample.yml', 7, 'load-balancer-ip-deprecated'],
  ['exposing-apps-blog/lb-service.yaml', 12, 'service-selects-nothing'],
  ['exposing-apps-blog/ingress.yaml', 4, 'yaml-syntax'],
  ['exposing-apps-blog/ingress.yaml', 19, 'ingress-service-missing'],
  ['exposing-apps-blog/ingress.yaml', 26, 'ingress-service-missing'],
  ['exposing-apps-blog/ingress.yaml', 36, 'ingress-service-missing'],
  ['exposing-apps-blog/ingress.yaml', 45, 'ingress-service-missing'],
  // "Its last rule has `http:` empty and `paths` at the wrong depth (a schema-aware tool would say so)".
  ['exposing-apps-blog/ingress.yaml', 40, 'ingress-paths-required'],
];

test('seed examples analysed as one workspace give exactly the README list', async () => {
  const { findings } = await analyzeFolder(SEED);
  const actual = findings.map((f) => `${f.file}:${f.range.start.line + 1} ${f.code}`).sort();
  const expected = EXPECTED.map(([f, l, c]) => `${f}:${l} ${c}`).sort();
  assert.deepEqual(actual, expected);
});

test('seed: severities follow the catalogue', async () => {
  const { findings } = await analyzeFolder(SEED);
  const sev = (code: string) => [...new Set(findings.filter((f) => f.code === code).map((f) => f.severity))];
  assert.deepEqual(sev('yaml-syntax'), ['error']);
  assert.deepEqual(sev('node-port-conflict'), ['error']);
  assert.deepEqual(sev('node-port-range'), ['error']);
  assert.deepEqual(sev('target-port-undeclared'), ['information']);
  assert.deepEqual(sev('service-no-endpoints'), ['information']);
  assert.deepEqual(sev('load-balancer-ip-deprecated'), ['hint']);
  assert.deepEqual(sev('service-selects-nothing'), ['warning']);
  assert.deepEqual(sev('ingress-service-missing'), ['warning']);
});

test('seed: `//` lines say YAML comments start with #, and the documents still resolve', async () => {
  const { analyzer, findings } = await analyzeFolder(SEED);
  const slash = findings.filter((f) => f.file.endsWith('clusterip.yaml') && f.code === 'yaml-syntax');
  assert.equal(slash.length, 2);
  for (const f of slash) assert.match(f.message, /comments start with `#`/);

  const svc = analyzer.index.named<Service>('Service', 'myapp-service')[0];
  assert.ok(svc, 'myapp-service is modelled despite the // line above it');
  const selected = analyzer.resolver.selectedWorkloads(svc);
  assert.deepEqual(selected.map((w) => `${w.kind}/${w.name}`), ['Deployment/myapp-deployment']);
  const l = landing(selected[0]!, svc.ports[0]!);
  assert.equal(svc.ports[0]!.port?.value, 80);
  assert.equal(l.container?.name, 'myapp-container');
  assert.equal(l.podPort, 80);
});

test('seed: the nodePort conflict points each side at the other', async () => {
  const { findings } = await analyzeFolder(SEED);
  const conflicts = findings.filter((f) => f.code === 'node-port-conflict');
  assert.equal(conflicts.length, 2);
  for (const f of conflicts) {
    assert.match(f.message, /30080/);
    assert.match(f.message, /already allocated/);
    const other = conflicts.find((c) => c !== f)!;
    assert.equal(f.related.length, 1);
    assert.equal(f.related[0]!.uri, pathToFileURL(path.join(SEED, other.file)).href);
    assert.equal(f.related[0]!.range.start.line, 11);
  }
});

test('seed: the selector that matches nothing names the nearest miss and where it is', async () => {
  const { findings } = await analyzeFolder(SEED);
  const f = findings.find((x) => x.code === 'service-selects-nothing')!;
  assert.match(f.message, /app\.kubernetes\.io\/name=some-service/);
  assert.match(f.message, /some-deployment/);
  assert.match(f.message, /app\.kubernetes\.io\/name=some-app/);
  assert.match(f.message, /service-and-deployment\.yaml/);
  assert.ok(f.related[0]!.uri.endsWith('exposing-apps-blog/service-and-deployment.yaml'));
});

test('seed: the mis-indented Ingress is still analysed under its own name', async () => {
  const { findings } = await analyzeFolder(SEED);
  const missing = findings.filter((f) => f.code === 'ingress-service-missing');
  assert.deepEqual(missing.map((f) => /Service `([^`]+)`/.exec(f.message)?.[1]).sort(), ['service-a', 'service-b', 'service-c', 'service-d']);
  for (const f of missing) assert.match(f.message, /Ingress `some-ingress`/);
  const syntax = findings.find((f) => f.file.endsWith('exposing-apps-blog/ingress.yaml') && f.code === 'yaml-syntax')!;
  assert.match(syntax.message, /annotations/);
});

test('seed: the named targetPort resolves to container nginx port 80', async () => {
  const { analyzer } = await analyzeFolder(SEED);
  const svc = analyzer.index.named<Service>('Service', 'some-service').find((s) => s.namespace === 'some-namespace')!;
  const [w] = analyzer.resolver.selectedWorkloads(svc);
  assert.equal(w?.name, 'some-deployment');
  const l = landing(w!, svc.ports[0]!);
  assert.equal(l.container?.name, 'nginx');
  assert.equal(l.podPort, 80);
});
