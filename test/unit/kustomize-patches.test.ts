import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, errors, lines, render } from '../helpers/kustomizeUnit';

const DEPLOY = lines(
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels:', '    app: web', 'spec:', '  selector:', '    matchLabels:', '      app: web',
  '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      containers:',
  '      - name: web', '        image: nginx', '        ports:', '        - name: http', '          containerPort: 8080', '        - name: dns', '          containerPort: 53', '          protocol: UDP',
  '        env:', '        - name: A', '          value: "1"',
  '      - name: sidecar', '        image: envoy', '        args: [a, b]',
  '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '  ports:', '  - name: http', '    port: 80', '    targetPort: http',
  '---', 'apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', 'spec:', '  items:', '  - name: a', '  - name: b',
);

const HEAD = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web'];

function patched(patch: string, entry: string[] = ['patches:', '- path: p.yaml']) {
  return render({ 'ov/kustomization.yaml': lines('resources:', '- app.yaml', ...entry), 'ov/app.yaml': DEPLOY, 'ov/p.yaml': patch });
}

const containers = (x: ReturnType<typeof patched>) => at(x.get('Deployment', 'web'), 'spec.template.spec.containers') as Record<string, unknown>[];

test('strategic merge: containers merge by name, their ports by containerPort and protocol, env by name', () => {
  const x = patched(lines(...HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        image: nginx:2', '        ports:',
    '        - containerPort: 53', '          protocol: UDP', '          name: dns-udp', '        env:', '        - name: B', '          value: "2"'));
  const web = containers(x).find((c) => c.name === 'web')!;
  assert.equal(web.image, 'nginx:2');
  assert.deepEqual(web.ports, [{ name: 'http', containerPort: 8080 }, { name: 'dns-udp', containerPort: 53, protocol: 'UDP' }]);
  assert.deepEqual(web.env, [{ name: 'B', value: '2' }, { name: 'A', value: '1' }], 'new elements come first, as kustomize writes them');
  assert.deepEqual(containers(x).find((c) => c.name === 'sidecar')!.args, ['a', 'b'], 'untouched containers stay');
});

test('strategic merge: lists without a merge key are replaced (args), as are all lists of custom resources', () => {
  const x = patched(lines(...HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: sidecar', '        args: [c]',
    '---', 'apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', 'spec:', '  items:', '  - name: c'));
  assert.deepEqual(containers(x).find((c) => c.name === 'sidecar')!.args, ['c']);
  assert.deepEqual(at(x.get('Widget', 'w'), 'spec.items'), [{ name: 'c' }]);
});

test('strategic merge: pod labels patched away from the Service selector (what the rules then catch)', () => {
  const x = patched(lines(...HEAD, 'spec:', '  template:', '    metadata:', '      labels:', '        app: web-v2'), ['patchesStrategicMerge:', '- p.yaml']);
  assert.deepEqual(at(x.get('Deployment', 'web'), 'spec.template.metadata.labels'), { app: 'web-v2' });
  assert.deepEqual(at(x.get('Service', 'web'), 'spec.selector'), { app: 'web' });
});

test('strategic merge directives: $patch delete (element, map, object), replace (list, map), null removes a key', () => {
  const del = patched(lines(...HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: sidecar', '        $patch: delete'));
  assert.deepEqual(containers(del).map((c) => c.name), ['web']);
  const rep = patched(lines(...HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        ports:', '        - $patch: replace', '        - containerPort: 7000'));
  assert.deepEqual(containers(rep).find((c) => c.name === 'web')!.ports, [{ containerPort: 7000 }]);
  const map = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    $patch: replace', '    tier: front'));
  assert.deepEqual(at(map.get('Service', 'web'), 'spec.selector'), { tier: 'front' });
  const nul = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector: null'));
  assert.equal(at(nul.get('Service', 'web'), 'spec.selector'), undefined);
  const gone = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '$patch: delete'));
  assert.ok(!gone.objects.some((o) => o.kind === 'Service'));
  assert.ok(!gone.r.documents!.some((d) => d.text.includes('$patch')));
});

test('strategic merge keeps kind, name and namespace unless allowNameChange / allowKindChange', () => {
  const kept = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort'), ['patches:', '- path: p.yaml', '  target:', '    kind: Service']);
  assert.equal(at(kept.get('Service', 'web'), 'spec.type'), 'NodePort');
  const renamed = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web-new'), ['patches:', '- path: p.yaml', '  target:', '    kind: Service', '  options:', '    allowNameChange: true']);
  renamed.get('Service', 'web-new');
});

test('JSON 6902: add, replace, remove, move, copy, test; `-` appends and negative indexes count from the end', () => {
  const x = patched(lines(
    '- op: add', '  path: /spec/template/spec/containers/0/ports/-', '  value: {name: admin, containerPort: 9000}',
    '- op: replace', '  path: /spec/template/spec/containers/0/image', '  value: nginx:3',
    '- op: remove', '  path: /spec/template/spec/containers/-1/args',
    '- op: copy', '  from: /metadata/labels', '  path: /metadata/annotations',
    '- op: test', '  path: /spec/template/spec/containers/1/name', '  value: sidecar',
    '- op: replace', '  path: /spec/replicas', '  value: 2',
    '- op: move', '  from: /spec/template/spec/containers/1/image', '  path: /metadata/image',
  ), ['patches:', '- path: p.yaml', '  target:', '    kind: Deployment']);
  const d = x.get('Deployment', 'web');
  const web = containers(x)[0]!;
  assert.equal(web.image, 'nginx:3');
  assert.deepEqual((web.ports as unknown[]).at(-1), { name: 'admin', containerPort: 9000 });
  assert.equal(containers(x)[1]!.args, undefined);
  assert.deepEqual(at(d, 'metadata.annotations'), { app: 'web' });
  assert.equal(at(d, 'spec.replicas'), 2, 'replace of a missing key in an existing object adds it (json-patch v4)');
  assert.equal(at(d, 'metadata.image'), 'envoy');
  assert.equal(containers(x)[1]!.image, undefined);
});

test('patch targets: name and namespace are anchored regular expressions; kind, labelSelector and annotationSelector filter', () => {
  const files = (target: string[]) => ({
    'ov/kustomization.yaml': lines('resources:', '- app.yaml', 'patches:', '- target:', ...target.map((t) => `    ${t}`), '  patch: |-', '    - op: add', '      path: /metadata/annotations', '      value: {hit: "yes"}'),
    'ov/app.yaml': lines(DEPLOY, '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web-admin', '  labels:', '    tier: admin', '  annotations:', '    exposure: public', 'spec:', '  ports:', '  - port: 1'),
  });
  const hits = (target: string[]) => render(files(target)).objects.filter((o) => at(o, 'metadata.annotations.hit') === 'yes').map((o) => `${String(o.kind)}/${String((o.metadata as { name: string }).name)}`).sort();
  assert.deepEqual(hits(['name: web']), ['Deployment/web', 'Service/web'], 'anchored: web-admin is not matched');
  assert.deepEqual(hits(['name: web.*', 'kind: Service']), ['Service/web', 'Service/web-admin']);
  assert.deepEqual(hits(['labelSelector: tier=admin']), ['Service/web-admin']);
  assert.deepEqual(hits(['labelSelector: tier!=admin', 'kind: Service']), ['Service/web']);
  assert.deepEqual(hits(['group: apps', 'version: v1']), ['Deployment/web']);
  assert.deepEqual(hits(['annotationSelector: exposure in (public,internal)']), ['Service/web-admin']);
  assert.deepEqual(hits(['namespace: default', 'kind: Widget']), ['Widget/w'], 'an unset namespace is `default` for targets');
});

test('a target that selects nothing is a warning, kustomize skips the patch silently', () => {
  const x = patched('- op: add\n  path: /x\n  value: 1\n', ['patches:', '- path: p.yaml', '  target:', '    kind: Deployment', '    name: api']);
  assert.ok(x.r.documents);
  const w = x.r.problems.find((p) => p.code === 'kustomize-patch-matches-nothing')!;
  assert.equal(w.severity, 'warning');
  assert.equal(x.files.read(w.uri)!.slice(w.span.start, w.span.end).trim(), 'kind: Deployment\n    name: api');
});

test('patch kind is detected as kustomize does: YAML objects are strategic merge, a list is JSON 6902', () => {
  const sm = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort'));
  assert.equal(at(sm.get('Service', 'web'), 'spec.type'), 'NodePort');
  const json = patched('- op: add\n  path: /spec/type\n  value: NodePort\n');
  assert.deepEqual(errors(json.r).map((e) => e.code), ['kustomize-patch-invalid'], 'a JSON patch needs a target');
  assert.match(errors(json.r)[0]!.message, /target/);
});

test('the quirk kustomize has with partial keys: a Service port patched with a protocol the base omits', () => {
  // kustomize v5 drops the patch element here (verified against kubectl kustomize in the oracle test).
  const x = patched(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:', '  - port: 80', '    protocol: TCP', '    targetPort: 8080'));
  assert.deepEqual(at(x.get('Service', 'web'), 'spec.ports'), [{ name: 'http', port: 80, targetPort: 'http' }]);
});
