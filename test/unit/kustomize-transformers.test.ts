import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, lines, render } from '../helpers/kustomizeUnit';

const BASE = {
  'base/kustomization.yaml': lines('resources:', '- app.yaml', '- route.yaml'),
  'base/app.yaml': lines(
    'apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', '  name: db', 'spec:', '  serviceName: db', '  selector:', '    matchLabels:', '      app: db',
    '  template:', '    metadata:', '      labels:', '        app: db', '    spec:', '      serviceAccountName: db', '      containers:', '      - name: pg', '        image: pg',
    '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: db', 'spec:', '  clusterIP: None', '  selector:', '    app: db', '  ports:', '  - port: 5432',
    '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: manual', 'spec:', '  ports:', '  - port: 80',
    '---', 'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: db-ui', 'spec:', '  rules:', '  - http:', '      paths:', '      - path: /',
    '        pathType: Prefix', '        backend:', '          service:', '            name: db', '            port:', '              number: 5432',
    '---', 'apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata:', '  name: db', 'spec:', '  scaleTargetRef:', '    apiVersion: apps/v1',
    '    kind: StatefulSet', '    name: db', '  maxReplicas: 3',
    '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: db',
    '---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: reader', 'rules: []',
  ),
  'base/route.yaml': lines(
    'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', '  name: db-ui', 'spec:', '  rules:', '  - backendRefs:', '    - name: db', '      port: 5432',
  ),
};

const overlay = (...kust: string[]) => ({ ...BASE, 'ov/kustomization.yaml': lines('resources:', '- ../base', ...kust) });

test('namePrefix and nameSuffix rename objects and the references the nameReference configuration lists', () => {
  const x = render(overlay('namePrefix: prod-', 'nameSuffix: -v1'));
  const sts = x.get('StatefulSet', 'prod-db-v1');
  assert.equal(at(sts, 'spec.serviceName'), 'prod-db-v1', 'StatefulSet serviceName follows the Service');
  assert.equal(at(sts, 'spec.template.spec.serviceAccountName'), 'prod-db-v1');
  assert.equal(at(x.get('Ingress', 'prod-db-ui-v1'), 'spec.rules.0.http.paths.0.backend.service.name'), 'prod-db-v1');
  assert.equal(at(x.get('HorizontalPodAutoscaler', 'prod-db-v1'), 'spec.scaleTargetRef.name'), 'prod-db-v1');
  // Kustomize does not rewrite Gateway API backendRefs: the route still says `db`.
  assert.equal(at(x.get('HTTPRoute', 'prod-db-ui-v1'), 'spec.rules.0.backendRefs.0.name'), 'db');
  // The ClusterRole is renamed too (only CRDs, APIServices and Namespaces are skipped).
  x.get('ClusterRole', 'prod-reader-v1');
  const info = x.r.objects.find((o) => o.kind === 'Service' && o.name === 'prod-db-v1')!;
  assert.deepEqual(info.renamedFrom, { kind: 'Service', namespace: '', name: 'db' });
  assert.deepEqual(info.renamedBy.map((o) => x.files.read(o.uri)!.slice(o.span.start, o.span.end)), ['namePrefix: prod-', 'nameSuffix: -v1']);
});

test('namespace moves namespaced objects, custom resources included, not cluster-scoped ones', () => {
  const x = render(overlay('namespace: shop'));
  assert.equal(at(x.get('Service', 'db'), 'metadata.namespace'), 'shop');
  assert.equal(at(x.get('HTTPRoute', 'db-ui'), 'metadata.namespace'), 'shop', 'custom resources count as namespaced');
  assert.equal(at(x.get('ClusterRole', 'reader'), 'metadata.namespace'), undefined);
  const info = x.r.objects.find((o) => o.kind === 'Service' && o.name === 'db')!;
  assert.deepEqual(info.renamedFrom, { kind: 'Service', namespace: '', name: 'db' });
});

test('nested overlays: the outer prefix stacks on the inner one and references follow both', () => {
  const x = render({
    ...BASE,
    'mid/kustomization.yaml': lines('resources:', '- ../base', 'namePrefix: a-', 'namespace: mid'),
    'ov/kustomization.yaml': lines('resources:', '- ../mid', '- ing.yaml', 'namePrefix: b-', 'namespace: top'),
    'ov/ing.yaml': lines('apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: extra', 'spec:', '  defaultBackend:', '    service:', '      name: db', '      port:', '        number: 1'),
  });
  assert.equal(at(x.get('Service', 'b-a-db'), 'metadata.namespace'), 'top');
  assert.equal(at(x.get('Ingress', 'b-a-db-ui'), 'spec.rules.0.http.paths.0.backend.service.name'), 'b-a-db');
  // An overlay's own Ingress naming the base's Service by its base name is rewritten too.
  assert.equal(at(x.get('Ingress', 'b-extra'), 'spec.defaultBackend.service.name'), 'b-a-db');
});

test('commonLabels labels metadata, selectors and pod templates; a selector-less Service gets a selector', () => {
  const x = render(overlay('commonLabels:', '  env: prod'));
  const sts = x.get('StatefulSet', 'db');
  assert.deepEqual(at(sts, 'metadata.labels'), { env: 'prod' });
  assert.deepEqual(at(sts, 'spec.selector.matchLabels'), { app: 'db', env: 'prod' });
  assert.deepEqual(at(sts, 'spec.template.metadata.labels'), { app: 'db', env: 'prod' });
  assert.deepEqual(at(x.get('Service', 'db'), 'spec.selector'), { app: 'db', env: 'prod' });
  assert.deepEqual(at(x.get('Service', 'manual'), 'spec.selector'), { env: 'prod' });
  const manual = x.r.objects.find((o) => o.name === 'manual')!;
  assert.equal(manual.selectorAddedBy?.length, 1, 'the lead reports the selector commonLabels added');
  assert.equal(x.r.objects.find((o) => o.kind === 'Service' && o.name === 'db')!.selectorAddedBy, undefined);
  assert.equal(at(x.get('HTTPRoute', 'db-ui'), 'spec.selector'), undefined, 'no field specs for custom resources');
});

test('labels: pairs only touch metadata unless includeSelectors / includeTemplates say otherwise', () => {
  const plain = render(overlay('labels:', '- pairs:', '    team: a'));
  assert.deepEqual(at(plain.get('StatefulSet', 'db'), 'spec.selector.matchLabels'), { app: 'db' });
  assert.deepEqual(at(plain.get('StatefulSet', 'db'), 'spec.template.metadata.labels'), { app: 'db' });
  assert.deepEqual(at(plain.get('Service', 'manual'), 'spec.selector'), undefined);
  const templates = render(overlay('labels:', '- pairs:', '    team: a', '  includeTemplates: true'));
  assert.deepEqual(at(templates.get('StatefulSet', 'db'), 'spec.template.metadata.labels'), { app: 'db', team: 'a' });
  assert.deepEqual(at(templates.get('StatefulSet', 'db'), 'spec.selector.matchLabels'), { app: 'db' });
  const selectors = render(overlay('labels:', '- pairs:', '    team: a', '  includeSelectors: true'));
  assert.deepEqual(at(selectors.get('Service', 'manual'), 'spec.selector'), { team: 'a' });
  assert.deepEqual(at(selectors.get('StatefulSet', 'db'), 'spec.selector.matchLabels'), { app: 'db', team: 'a' });
  assert.ok(selectors.r.objects.find((o) => o.name === 'manual')!.selectorAddedBy);
});

test('commonAnnotations annotate objects and pod templates', () => {
  const x = render(overlay('commonAnnotations:', '  owner: team-a'));
  assert.deepEqual(at(x.get('StatefulSet', 'db'), 'metadata.annotations'), { owner: 'team-a' });
  assert.deepEqual(at(x.get('StatefulSet', 'db'), 'spec.template.metadata.annotations'), { owner: 'team-a' });
  assert.deepEqual(at(x.get('Service', 'db'), 'spec.selector'), { app: 'db' });
});

test('replicas sets spec.replicas of the named workload', () => {
  const x = render(overlay('replicas:', '- name: db', '  count: 5'));
  assert.equal(at(x.get('StatefulSet', 'db'), 'spec.replicas'), 5);
});

test('replacements carry a renamed Service name into an HTTPRoute backendRef', () => {
  const x = render(overlay('namePrefix: prod-', 'replacements:', '- source:', '    kind: Service', '    name: db', '  targets:', '  - select:',
    '      kind: HTTPRoute', '    fieldPaths:', '    - spec.rules.0.backendRefs.0.name'));
  assert.equal(at(x.get('HTTPRoute', 'prod-db-ui'), 'spec.rules.0.backendRefs.0.name'), 'prod-db');
});

test('configurations add nameReference field specs (here for HTTPRoute backendRefs)', () => {
  const x = render({
    ...overlay('namePrefix: prod-', 'configurations:', '- refs.yaml'),
    'ov/refs.yaml': lines('nameReference:', '- kind: Service', '  version: v1', '  fieldSpecs:', '  - path: spec/rules/backendRefs/name', '    kind: HTTPRoute'),
  });
  assert.equal(at(x.get('HTTPRoute', 'prod-db-ui'), 'spec.rules.0.backendRefs.0.name'), 'prod-db');
});

test('components apply to what the including kustomization accumulated, before its own transformers', () => {
  const x = render({
    ...overlay('components:', '- ../comp', 'namePrefix: p-'),
    'comp/kustomization.yaml': lines('apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'commonLabels:', '  feature: x', 'resources:', '- extra.yaml'),
    'comp/extra.yaml': lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: feature-flags'),
  });
  assert.deepEqual(at(x.get('Service', 'p-db'), 'spec.selector'), { app: 'db', feature: 'x' });
  x.get('ConfigMap', 'p-feature-flags');
});

test('output order is kustomize\'s: Namespace, ServiceAccount, roles, Services, workloads, then the rest', () => {
  const x = render(overlay());
  assert.deepEqual(x.objects.map((o) => o.kind), ['ServiceAccount', 'ClusterRole', 'Service', 'Service', 'StatefulSet', 'HorizontalPodAutoscaler', 'HTTPRoute', 'Ingress']);
  assert.deepEqual(x.r.documents!.map((d) => d.uri), [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `kube-traffic-render:/ov/${i}`));
});
