import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/core/analyzer';
import { CHECKS, FILE_CHECKS, on } from '../../server/src/core/rules/registry';
import { RULES } from '../../server/src/core/rules/catalogue';
import { Reporter, DEFAULT_SETTINGS } from '../../server/src/core/rules/context';
import { describe as describeResource, type Ingress } from '../../server/src/core/model/resources';
import { deployment, service } from '../helpers/fixtures';
import { editFile, uri } from '../helpers/workspace';

/**
 * What a check reads is recorded while it runs (index/tracking.ts). These tests show the
 * consequences the issue asks for, with nothing declared anywhere: a check is re-run when what it
 * read changes, when something it looked for and did not find appears, and when a wider read
 * (the nearest-miss search) would now answer differently; and it is not re-run otherwise.
 */

const U = uri;

function session(files: Record<string, string>, checks = CHECKS): Analyzer {
  const a = new Analyzer({}, { skipBodies: false }, checks);
  for (const [name, text] of Object.entries(files)) a.updateFile(U(name), 1, text);
  for (const uri of a.takeDirty()) a.findings(uri);
  return a;
}

/** Applies an edit and returns the files that must be re-published (the analyzer's dirty set). */
const edit = (a: Analyzer, name: string, text: string | undefined): string[] => editFile(a, name, text);

const codes = (a: Analyzer, name: string) => a.findings(U(name)).map((f) => f.code);

test('a Service that selects nothing is re-checked when a matching Deployment appears, and only then', () => {
  const a = session({
    'svc.yaml': service('web', { app: 'web' }, { ns: 'shop' }),
    'other.yaml': deployment('db', { app: 'db' }, { ns: 'shop' }),
  });
  assert.deepEqual(codes(a, 'svc.yaml'), ['service-selects-nothing']);
  // Unrelated: a workload with other labels in another namespace.
  assert.deepEqual(edit(a, 'far.yaml', deployment('cache', { tier: 'x' }, { ns: 'elsewhere' })), ['far.yaml']);
  // Something the selection looked for and did not find appears.
  assert.deepEqual(edit(a, 'web.yaml', deployment('web', { app: 'web' }, { ns: 'shop' })), ['svc.yaml', 'web.yaml']);
  assert.deepEqual(codes(a, 'svc.yaml'), []);
});

test('a label that starts matching re-checks the Service; relabelling an unrelated workload does not', () => {
  const a = session({
    'svc.yaml': service('web', { app: 'web' }, { ns: 'shop' }),
    'web.yaml': deployment('web', { app: 'webb' }, { ns: 'shop' }),
    'db.yaml': deployment('db', { app: 'db' }, { ns: 'pay' }),
  });
  assert.deepEqual(codes(a, 'svc.yaml'), ['service-selects-nothing']);
  assert.deepEqual(edit(a, 'db.yaml', deployment('db', { app: 'db2' }, { ns: 'pay' })), ['db.yaml']);
  assert.deepEqual(edit(a, 'web.yaml', deployment('web', { app: 'web' }, { ns: 'shop' })), ['svc.yaml', 'web.yaml']);
  assert.deepEqual(codes(a, 'svc.yaml'), []);
});

test('the nearest-miss search is a recorded read: a closer candidate appearing re-checks the Service and changes its message', () => {
  const a = session({
    'svc.yaml': service('web', { app: 'web', tier: 'frontend' }, { ns: 'shop' }),
    'far.yaml': deployment('far', { app: 'web', tier: 'backend' }, { ns: 'shop' }),
  });
  const before = a.findings(U('svc.yaml')).find((f) => f.code === 'service-selects-nothing')!;
  assert.match(before.message, /Nearest: Deployment `shop\/far`/);
  // Same key, closer value: the nearest miss is now `near`. Nothing selects it, so only the
  // search (which read every workload with key `tier` in `shop`) can notice.
  assert.deepEqual(edit(a, 'near.yaml', deployment('near', { app: 'web', tier: 'frontent' }, { ns: 'shop' })), ['near.yaml', 'svc.yaml']);
  const after = a.findings(U('svc.yaml')).find((f) => f.code === 'service-selects-nothing')!;
  assert.match(after.message, /Nearest: Deployment `shop\/near`/);
});

test('a Service that exists is re-checked when a nodePort neighbour appears or leaves, not when others change', () => {
  const a = session({
    'a.yaml': service('a', { app: 'a' }, { ns: 'shop', type: 'NodePort', nodePort: 30080 }),
    'a-pods.yaml': deployment('a', { app: 'a' }, { ns: 'shop' }),
  });
  assert.deepEqual(codes(a, 'a.yaml'), []);
  assert.deepEqual(edit(a, 'b.yaml', service('b', { app: 'a' }, { ns: 'pay', type: 'NodePort', nodePort: 30081 })), ['b.yaml']);
  assert.deepEqual(edit(a, 'b.yaml', service('b', { app: 'a' }, { ns: 'pay', type: 'NodePort', nodePort: 30080 })), ['a.yaml', 'b.yaml']);
  assert.deepEqual(codes(a, 'a.yaml'), ['node-port-conflict']);
  assert.deepEqual(edit(a, 'b.yaml', undefined), ['a.yaml']);
  assert.deepEqual(codes(a, 'a.yaml'), []);
});

test('a new cross-file check needs no dependency declaration: it is re-run when the Service it looked for appears', () => {
  // A check written for this test, registered like any other: it only looks up a Service by name.
  const probe = on(['ingress'], 'cross', 'probe', ['ingress-service-missing'], (ing: Ingress, r: Reporter) => {
    for (const b of ing.backends) {
      const name = b.serviceName?.value;
      if (name && r.resolver.servicesNamed(name, ing.namespace).length === 0) {
        r.report('ingress-service-missing', b.serviceName!.span, `${describeResource(ing)}: no Service ${name}`);
      }
    }
  });
  const ingress = [
    'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: shop', '  namespace: shop', 'spec:',
    '  defaultBackend:', '    service:', '      name: web', '      port:', '        number: 80', '',
  ].join('\n');
  const a = session({ 'ing.yaml': ingress }, [probe]);
  assert.deepEqual(codes(a, 'ing.yaml'), ['ingress-service-missing']);
  assert.deepEqual(edit(a, 'svc.yaml', service('web', { app: 'web' }, { ns: 'pay' })), ['svc.yaml']);
  assert.deepEqual(edit(a, 'svc2.yaml', service('web', { app: 'web' }, { ns: 'shop' })), ['ing.yaml', 'svc2.yaml']);
  assert.deepEqual(codes(a, 'ing.yaml'), []);
});

test('the registry: each check names codes of the catalogue, and every catalogue code is produced somewhere', () => {
  const catalogue = new Set(RULES.map((r) => r.code));
  const registered = new Set<string>();
  for (const c of [...CHECKS, ...FILE_CHECKS]) {
    for (const code of c.codes) {
      assert.ok(catalogue.has(code), `${c.name} registers ${code}, which is not in the catalogue`);
      registered.add(code);
    }
  }
  const parse = new Set(['yaml-syntax', 'yaml-duplicate-key', 'template-skipped', 'file-skipped']);
  // Renderers report these (the native kustomize, Helm), not checks.
  const rendered = new Set(RULES.filter((r) => r.category === 'kustomize' || r.category === 'render').map((r) => r.code));
  for (const code of catalogue) if (!parse.has(code) && !rendered.has(code)) assert.ok(registered.has(code), `no check registers ${code}`);
});

test('a check that reports a code it did not register is refused', () => {
  const liar = on(['service'], 'local', 'liar', ['service-name-invalid'], (svc, r) => r.report('node-port-conflict', svc.kindSpan, 'x'));
  const a = new Analyzer({}, { skipBodies: false }, [liar]);
  a.updateFile(U('s.yaml'), 1, service('web', { app: 'web' }));
  assert.throws(() => a.findings(U('s.yaml')), /did not register/);
});

test('local checks read nothing but their own file (checked on every resource of the examples)', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const path = await import('node:path');
  const a = new Analyzer();
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
  const files = walk(path.resolve('examples'));
  for (const f of files) a.updateFile(`file://${f}`, 1, readFileSync(f, 'utf8'));
  let checked = 0;
  for (const res of a.index.resources()) {
    for (const c of CHECKS.filter((x) => x.scope === 'local' && x.types.includes(res.type))) {
      const r = new Reporter(res.uri, a.index, a.resolver, DEFAULT_SETTINGS);
      const { reads } = a.index.tracker.track(() => c.check(res, r));
      const foreign = [...reads].filter((s) => s !== `file|${res.uri}` && !s.startsWith(`lines|${res.uri}#`));
      assert.deepEqual(foreign, [], `${c.name} on ${describeResource(res)} read ${foreign.join(', ')}`);
      checked++;
    }
  }
  assert.ok(checked > 50, `only ${checked} local checks ran`);
});

test('a resolver answer cached before the check ran (a hover asked first) still counts as the check\'s read', () => {
  const a = session({ 'pods.yaml': deployment('web', { app: 'web' }, { ns: 'shop' }) });
  a.updateFile(U('svc.yaml'), 1, service('web', { app: 'web' }, { ns: 'shop' }));
  const svc = a.index.activeResources(U('svc.yaml'))[0]!;
  // The editor answers a hover before publishing diagnostics: the selection is cached then.
  assert.ok(svc.type === 'service' && a.resolver.selectedWorkloads(svc).length === 1);
  for (const uri of a.takeDirty()) a.findings(uri);
  assert.deepEqual(codes(a, 'svc.yaml'), []);
  // A second selected workload that does not declare the named targetPort `http`.
  assert.deepEqual(edit(a, 'web2.yaml', deployment('web2', { app: 'web' }, { ns: 'shop', ports: [['web', 8080]] })), ['svc.yaml', 'web2.yaml']);
  assert.deepEqual(codes(a, 'svc.yaml'), ['target-port-unresolved']);
});

test('route attachment is re-checked when the route\'s Namespace manifest gains the label a listener selects, or the Gateway changes', () => {
  const gw = (selector: string, port = 80) => [
    'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: gw, namespace: infra}', 'spec:', '  listeners:',
    `    - {name: http, protocol: HTTP, port: ${port}, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: ${selector}}}}}`, '',
  ].join('\n');
  const route = [
    'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: r, namespace: shop}', 'spec:',
    '  parentRefs: [{name: gw, namespace: infra, port: 80}]', '  rules: [{backendRefs: [{name: web, port: 80}]}]', '',
  ].join('\n');
  const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: ${labels}}\n`;
  const a = session({ 'gw.yaml': gw('{shared: "true"}'), 'r.yaml': route, 'ns.yaml': ns('{team: a}'), 'web.yaml': service('web', { app: 'web' }, { ns: 'shop' }) });
  const attach = () => codes(a, 'r.yaml').filter((c) => c.startsWith('route-') && c !== 'route-service-missing');
  assert.deepEqual(attach(), ['route-namespace-not-allowed']);
  // An unrelated Namespace changes: not re-checked.
  assert.deepEqual(edit(a, 'other-ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other, labels: {shared: "true"}}\n'), ['other-ns.yaml']);
  assert.deepEqual(edit(a, 'ns.yaml', ns('{team: a, shared: "true"}')), ['ns.yaml', 'r.yaml']);
  assert.deepEqual(attach(), []);
  assert.deepEqual(edit(a, 'gw.yaml', gw('{shared: "true"}', 8080)), ['gw.yaml', 'r.yaml']);
  assert.deepEqual(attach(), ['route-parent-port-missing']);
});

test('a Deployment with replicas is re-checked when an HPA that scales it appears or leaves, not for an HPA of another workload', () => {
  const hpa = (target: string) => [
    'apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata:', '  name: web', '  namespace: shop', 'spec:',
    '  scaleTargetRef:', '    apiVersion: apps/v1', '    kind: Deployment', `    name: ${target}`, '  maxReplicas: 5', '',
  ].join('\n');
  const a = session({ 'web.yaml': deployment('web', { app: 'web' }, { ns: 'shop', replicas: 3, ports: [] }) });
  assert.deepEqual(codes(a, 'web.yaml'), []);
  assert.deepEqual(edit(a, 'hpa.yaml', hpa('api')), ['hpa.yaml']);
  assert.deepEqual(edit(a, 'hpa.yaml', hpa('web')), ['hpa.yaml', 'web.yaml']);
  assert.deepEqual(codes(a, 'web.yaml'), ['replicas-with-autoscaler']);
  assert.deepEqual(edit(a, 'hpa.yaml', undefined), ['web.yaml']);
  assert.deepEqual(codes(a, 'web.yaml'), []);
});

test('an edit in one document of a file re-checks what it changed, not the findings placed in its other documents; a new line moves the later ones', () => {
  const docs = [
    service('alpha', { app: 'alpha-typo' }),
    deployment('alpha', { app: 'alpha' }),
    service('beta', { app: 'beta' }),
    deployment('beta', { app: 'beta' }),
    service('gamma', { app: 'gamma-typo' }),
    deployment('gamma', { app: 'gamma' }),
  ];
  const text = docs.join('---\n');
  const a = session({ 'bundle.yaml': text });
  const byName = (name: string) => [...a.index.resources()].find((r) => r.type === 'service' && r.name === name)!;
  const placed = () => a.findings(U('bundle.yaml')).filter((f) => f.code === 'service-selects-nothing').map((f) => f.range.start.line);
  const [alphaLine, gammaLine] = placed();
  assert.ok(alphaLine !== undefined && gammaLine !== undefined);
  const alphaReads = a.readsOf(byName('alpha'));
  const gammaReads = a.readsOf(byName('gamma'));
  assert.ok(alphaReads && gammaReads);

  // A character typed in beta's Service (the middle document): alpha (before) and gamma (after,
  // moved by one character, not by a line) keep their check results; beta's is re-run.
  edit(a, 'bundle.yaml', text.replace('name: beta\n', 'name: betaa\n'));
  assert.equal(a.readsOf(byName('alpha')), alphaReads, 'alpha was not re-checked');
  assert.equal(a.readsOf(byName('gamma')), gammaReads, 'gamma moved in place and was not re-checked');
  assert.deepEqual(placed(), [alphaLine, gammaLine]);
  // The moved objects are where a fresh analysis puts them (every span, so hovers and definitions land right).
  const typed = session({ 'bundle.yaml': text.replace('name: beta\n', 'name: betaa\n') });
  const model = (an: Analyzer) => [...an.index.resources()].map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(model(a), model(typed));

  // A line break in the middle document: gamma's finding is one line further down, as a fresh analysis says.
  const withLine = text.replace('name: beta\n', 'name: beta\n  # a comment\n');
  edit(a, 'bundle.yaml', withLine);
  assert.equal(a.readsOf(byName('alpha')), alphaReads, 'alpha is still not re-checked');
  assert.deepEqual(placed(), [alphaLine, gammaLine! + 1]);
  const fresh = session({ 'bundle.yaml': withLine });
  assert.deepEqual(a.findings(U('bundle.yaml')), fresh.findings(U('bundle.yaml')));
});
