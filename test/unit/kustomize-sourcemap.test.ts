import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { emitDocument, quoteString } from '../../server/src/core/kustomize/emit';
import { parseYaml } from '../../server/src/core/kustomize/parse';
import type { KMap } from '../../server/src/core/kustomize/tree';
import { lines, mappingOf, originOf, render, source } from '../helpers/kustomizeUnit';

const BASE = {
  'base/kustomization.yaml': lines('resources:', '- svc.yaml'),
  'base/svc.yaml': lines(
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '  ports:', '  - name: http', '    port: 80', '    targetPort: 8080',
    '---', 'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', 'spec:', '  defaultBackend:', '    service:', '      name: web', '      port:', '        number: 80',
  ),
};

test('every rendered value maps back to the line that wrote it: base, patch, kustomization', () => {
  const x = render({
    ...BASE,
    'ov/kustomization.yaml': lines(
      'resources:', '- ../base', 'namePrefix: prod-', 'namespace: shop', 'commonLabels:', '  env: prod', 'patches:', '- path: port.yaml',
      '- target:', '    kind: Service', '  patch: |-', '    - op: add', '    # comment line', '      path: /spec/type', '      value: NodePort',
    ),
    'ov/port.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:', '  - port: 80', '    targetPort: 9090'),
  });
  const S = ['Service', 'prod-web'] as const;
  assert.equal(originOf(x, ...S, 'app'), 'base/svc.yaml:app', 'a base key');
  assert.equal(originOf(x, ...S, '80'), 'base/svc.yaml:80', 'a merge key the patch repeats stays on the base line');
  assert.equal(originOf(x, ...S, '9090'), 'ov/port.yaml:9090', 'the patch line that set it');
  assert.equal(originOf(x, ...S, 'NodePort'), 'ov/kustomization.yaml:NodePort', 'an inline JSON patch value, on its kustomization line');
  // A renamed name stays on the line that names the object; the namePrefix line is related.
  assert.equal(originOf(x, ...S, 'prod-web'), 'base/svc.yaml:web', 'the base line for a renamed name');
  assert.deepEqual((mappingOf(x.doc(...S), 'prod-web').related ?? []).map((r) => `${r.uri.slice(x.files.root.length + 1)}:${source(x.files, r)} (${r.message})`),
    ['ov/kustomization.yaml:namePrefix: prod- (namePrefix makes it "prod-web")']);
  assert.equal(originOf(x, ...S, 'shop'), 'ov/kustomization.yaml:namespace: shop', 'the namespace line');
  assert.equal(originOf(x, ...S, 'env', 0), 'ov/kustomization.yaml:env: prod', 'a commonLabels entry (metadata.labels)');
  assert.equal(originOf(x, ...S, 'prod', 2), 'ov/kustomization.yaml:env: prod', 'the same entry in the selector');
  assert.equal(originOf(x, 'Ingress', 'prod-web', 'prod-web', 1), 'base/svc.yaml:web', 'a rewritten reference stays on its base line');
  const ref = mappingOf(x.doc('Ingress', 'prod-web'), 'prod-web', 1);
  assert.match(ref.related![0]!.message, /kustomize rewrote this reference: Service web is shop\/prod-web/);
  const replaced = mappingOf(x.doc('Service', 'prod-web'), '9090');
  assert.equal(source(x.files, replaced.related![0]!), '8080', 'related: the base value the patch replaced');
});

test('mappings are sorted by start, nest, and the innermost one is the value', () => {
  const x = render({ ...BASE, 'ov/kustomization.yaml': lines('resources:', '- ../base') });
  const d = x.doc('Service', 'web');
  for (let i = 1; i < d.map.length; i++) assert.ok(d.map[i - 1]!.span.start <= d.map[i]!.span.start);
  const whole = d.map[0]!;
  assert.deepEqual(whole.span, { start: 0, end: d.text.trimEnd().length });
  assert.equal(source(x.files, mappingOf(d, 'targetPort').origin), 'targetPort');
  assert.equal(source(x.files, mappingOf(d, '8080').origin), '8080');
  assert.match(source(x.files, mappingOf(d, '- name: http').origin), /^- name: http\n {4}port: 80\n {4}targetPort: 8080/);
});

test('the emitter writes block YAML that reads back to the same data, quoting what would change type', () => {
  const tricky = ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'null', '~', '', ' lead', 'trail ', '1.0', '080', '0x1F', '1e3', '1_000', '12:30', '2024-01-02',
    'a: b', 'a #b', '#x', '-', '- a', '--verbose', '-x', '@x', '`x', '!x', '&a', '*a', '|', '>', "'q'", '"q"', '{a}', '[a]', 'multi\nline', 'tab\there',
    '\u0085', 'ünïcode', 'ok: ', 'http://x', 'a,b', '.inf', '-.5'];
  const node = parseYaml('mem:t', lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: t', 'data: {}')).docs[0]!.node as KMap;
  const data = node.entries.find((e) => e.key === 'data')!.value as KMap;
  tricky.forEach((s, i) => data.entries.push({ key: `k${i}`, value: { kind: 'scalar', value: s } }));
  data.entries.push({ key: 'yes', value: { kind: 'scalar', value: 'key that looks like a bool' } });
  data.entries.push({ key: 'n', value: { kind: 'scalar', value: 8080 } }, { key: 'f', value: { kind: 'scalar', value: false } }, { key: 'z', value: { kind: 'scalar', value: null } });
  data.entries.push({ key: 'list', value: { kind: 'seq', items: [{ kind: 'seq', items: [{ kind: 'scalar', value: 'a' }, { kind: 'scalar', value: 'b' }] }, { kind: 'map', entries: [] }, { kind: 'seq', items: [] }] } });
  const { text } = emitDocument(node);
  for (const version of ['1.1', '1.2'] as const) {
    const back = parseDocument(text, { version }).toJS() as { data: Record<string, unknown> };
    tricky.forEach((s, i) => assert.equal(back.data[`k${i}`], s, `${JSON.stringify(s)} in YAML ${version}:\n${text}`));
    assert.equal(back.data.yes, 'key that looks like a bool');
    assert.deepEqual([back.data.n, back.data.f, back.data.z], [8080, false, null]);
    assert.deepEqual(back.data.list, [['a', 'b'], {}, []]);
  }
  assert.equal(quoteString('web'), 'web');
  assert.equal(quoteString('nginx:1.25'), 'nginx:1.25');
  assert.equal(quoteString('8080'), '"8080"');
});

test('render URIs name the variant (the root relative to the workspace) and the document index', () => {
  const x = render({ ...BASE, 'deploy/overlays/prod/kustomization.yaml': lines('resources:', '- ../../../base') }, 'deploy/overlays/prod');
  assert.deepEqual(x.r.documents!.map((d) => d.uri), ['kube-traffic-render:/deploy/overlays/prod/0', 'kube-traffic-render:/deploy/overlays/prod/1']);
  assert.equal(x.r.name, 'deploy/overlays/prod');
  const top = render({ ...BASE, 'kustomization.yaml': lines('resources:', '- base') }, '.');
  assert.equal(top.r.name, '.');
  assert.equal(top.r.documents![0]!.uri, 'kube-traffic-render:/%2E/0');
});
