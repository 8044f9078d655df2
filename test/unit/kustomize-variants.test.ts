import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceHover } from '../../server/src/core/variants/features';
import { deployment, service } from '../helpers/fixtures';
import { loadWorkspace, uri } from '../helpers/workspace';

/**
 * Overlays analysed as applied: the native kustomize renders each root, the Workspace analyses its
 * cluster, and findings come back to the lines people wrote, naming the roots where they hold.
 */

const U = uri;
const load = (files: Record<string, string>) => loadWorkspace(files);

const base = {
  'base/kustomization.yaml': 'resources:\n  - svc.yaml\n  - pods.yaml\n',
  'base/svc.yaml': service('web', { app: 'web' }),
  'base/pods.yaml': deployment('web', { app: 'web' }),
};

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

test('a patch that relabels the pods in prod: the base Service selects nothing there, staging stays quiet', () => {
  const { all, ws } = load({
    ...base,
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: pods.yaml\n',
    'overlays/prod/pods.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web-v2\n',
    'overlays/staging/kustomization.yaml': 'resources:\n  - ../../base\n',
  });
  assert.deepEqual(ws.variantNames(), ['overlays/prod', 'overlays/staging']);
  const f = all().filter((x) => x.code !== 'workload-selector-mismatch');
  assert.deepEqual(f.map((x) => [x.file, x.code, x.variants]), [['base/svc.yaml', 'service-selects-nothing', ['overlays/prod']]]);
  assert.equal(f[0]!.range.start.line, lineOf(base['base/svc.yaml'], 'selector:'));
  // The nearest miss is the label the patch wrote: related information points at the patch line.
  assert.ok(f[0]!.related.some((r) => r.uri === U('overlays/prod/pods.yaml') && r.range.start.line === 8), JSON.stringify(f[0]!.related));
  // In prod the patch also breaks the Deployment's own selector (the API server would refuse it): reported too.
  assert.deepEqual(all().filter((x) => x.code === 'workload-selector-mismatch').map((x) => x.variants), [['overlays/prod']]);
});

test('commonLabels completes the base: a selector on env=prod and a Deployment without its own selector are fine as applied', () => {
  const svc = service('web', { app: 'web', env: 'prod' });
  const pods = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: x\n          ports:\n            - name: http\n              containerPort: 8080\n';
  const { all } = load({
    'base/kustomization.yaml': 'resources:\n  - svc.yaml\n  - pods.yaml\ncommonLabels:\n  env: prod\n',
    'base/svc.yaml': svc, 'base/pods.yaml': pods,
  });
  assert.deepEqual(all().map((x) => `${x.file} ${x.code}`), []);
});

test('a patch renames the container port: the named targetPort stops resolving in that overlay only', () => {
  const { all } = load({
    ...base,
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: port.yaml\n    target:\n      kind: Deployment\n',
    'overlays/prod/port.yaml': '- op: replace\n  path: /spec/template/spec/containers/0/ports/0/name\n  value: web\n',
    'overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\n',
  });
  const f = all();
  assert.deepEqual(f.map((x) => [x.file, x.code, x.variants]), [['base/svc.yaml', 'target-port-unresolved', ['overlays/prod']]]);
  assert.equal(f[0]!.range.start.line, lineOf(base['base/svc.yaml'], 'targetPort'));
});

test('namePrefix renames the Service but not the HTTPRoute: kustomize-reference-not-renamed at the backendRef, not route-service-missing', () => {
  const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n    - backendRefs:\n        - name: web\n          port: 80\n';
  const { all } = load({
    ...base,
    'base/kustomization.yaml': 'resources:\n  - svc.yaml\n  - pods.yaml\n  - route.yaml\n',
    'base/route.yaml': route,
    'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../../base\n',
  });
  const f = all();
  assert.deepEqual(f.map((x) => [x.file, x.code, x.variants]), [['base/route.yaml', 'kustomize-reference-not-renamed', ['overlays/prod']]]);
  assert.equal(f[0]!.range.start.line, lineOf(route, 'name: web', ) + 4);
  assert.match(f[0]!.message, /`prod-web`/);
  assert.ok(f[0]!.related.some((r) => r.uri === U('overlays/prod/kustomization.yaml') && r.range.start.line === 0), JSON.stringify(f[0]!.related));
});

test('commonLabels gives a selector-less Service a selector: kustomize-selector-added at the kustomization line', () => {
  const db = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 5432\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses:\n      - ip: 10.0.0.5\n    ports:\n      - port: 5432\n';
  const { all } = load({
    'base/kustomization.yaml': 'resources:\n  - db.yaml\ncommonLabels:\n  app: shop\n',
    'base/db.yaml': db,
  });
  const f = all().filter((x) => x.code === 'kustomize-selector-added');
  assert.deepEqual(f.map((x) => [x.file, x.range.start.line]), [['base/kustomization.yaml', 2]]); // the `commonLabels:` key: every entry goes into the selector
});

test('kustomize errors are findings at the offending line, and the root is not analysed', () => {
  const { all } = load({
    ...base,
    'base/svc.yaml': service('web', { app: 'nothing-selects-me' }),
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n  - ingres.yaml\n',
  });
  assert.deepEqual(all().map((x) => [x.file, x.code, x.range.start.line, x.variants]), [['overlays/prod/kustomization.yaml', 'kustomize-resource-missing', 2, ['overlays/prod']]]);
});

test('editing a patch re-renders its root and re-checks the base line; hover on the base Service tells each root', () => {
  const { edit, all, ws } = load({
    ...base,
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: pods.yaml\n',
    'overlays/prod/pods.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
    'overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: dev\n',
  });
  assert.deepEqual(all(), []);
  const dirty = edit('overlays/prod/pods.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web-v2\n');
  assert.ok(dirty.includes('base/svc.yaml'), dirty.join(', '));
  assert.deepEqual(all().filter((x) => x.code === 'service-selects-nothing').map((x) => x.variants), [['overlays/prod']]);
  const h = workspaceHover(ws, U('base/svc.yaml'), { line: lineOf(base['base/svc.yaml'], 'name: web'), character: 9 })!;
  assert.match(h.contents, /In `overlays\/dev`:\*\n\n\*\*Service `dev\/web`\*\*/);
  assert.match(h.contents, /In `overlays\/prod`/);
  // A plain edit elsewhere does not re-render anything.
  assert.deepEqual(edit('plain.yaml', service('other', { app: 'other' })), ['plain.yaml']);
});
