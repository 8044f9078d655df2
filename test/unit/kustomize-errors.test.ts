import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KustomizeEngine } from '../../server/src/core/kustomize';
import { MemoryFiles } from '../helpers/kustomizeFs';
import { errors, lines, render, source, wrap } from '../helpers/kustomizeUnit';

const SVC = lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '  ports:', '  - port: 80');
const base = { 'base/kustomization.yaml': lines('resources:', '- svc.yaml'), 'base/svc.yaml': SVC };

/** The one error of a failed render, as `code @ file: text at its span`. */
function failure(files: Record<string, string>): string {
  const x = render(files);
  assert.equal(x.r.documents, undefined, 'the render fails');
  const [e, ...more] = errors(x.r);
  assert.equal(more.length, 0);
  return `${e!.code} @ ${e!.uri.slice(x.files.root.length + 1)}: ${source(x.files, e!)}`;
}

test('kustomize-resource-missing at the entry that names a missing path (also inside a base)', () => {
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', '- ingres.yaml') }), 'kustomize-resource-missing @ ov/kustomization.yaml: ingres.yaml');
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../bse') }), 'kustomize-resource-missing @ ov/kustomization.yaml: ../bse');
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'patches:', '- path: gone.yaml') }), 'kustomize-resource-missing @ ov/kustomization.yaml: gone.yaml');
  const inBase = render({
    'base/kustomization.yaml': lines('resources:', '- svc.yaml', 'configMapGenerator:', '- name: cfg', '  files:', '  - scripts/run.sh'), 'base/svc.yaml': SVC,
    'ov/kustomization.yaml': lines('resources:', '- ../base'),
  });
  const [e] = errors(inBase.r);
  assert.equal(`${e!.code} ${source(inBase.files, e!)}`, 'kustomize-resource-missing scripts/run.sh');
  assert.match(e!.message, /scripts\/run\.sh/);
  const related = inBase.r.problems.find((p) => p.severity === 'error')!.related!;
  assert.deepEqual(related.map((r) => `${r.uri.slice(inBase.files.root.length + 1)}: ${source(inBase.files, r)}`), ['ov/kustomization.yaml: ../base']);
  assert.deepEqual([...inBase.r.inputs].filter((u) => u.endsWith('run.sh')).length, 1, 'the missing input is an input: creating it re-renders');
});

test('kustomize-patch-target-missing for a strategic merge patch without target', () => {
  assert.equal(failure({
    ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'namePrefix: p-', 'patches:', '- path: p.yaml'),
    'ov/p.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  type: NodePort'),
  }), `kustomize-patch-target-missing @ ov/p.yaml: ${lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  type: NodePort')}`);
  // The base's own name still matches after a prefix (kustomize matches previous names).
  const ok = render({
    ...base, 'ov/kustomization.yaml': lines('resources:', '- ../mid', 'patches:', '- path: p.yaml'),
    'mid/kustomization.yaml': lines('resources:', '- ../base', 'namePrefix: p-'),
    'ov/p.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort'),
  });
  assert.ok(ok.r.documents);
});

test('kustomize-patch-invalid at the JSON patch path that does not apply', () => {
  assert.equal(failure({
    ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'patches:', '- target:', '    kind: Service', '  patch: |-', '    - op: replace', '      path: /spec/ports/1/port', '      value: 8443'),
  }), 'kustomize-patch-invalid @ ov/kustomization.yaml: /spec/ports/1/port');
});

test('kustomize-build-failed: unknown fields, YAML 1.1 booleans, duplicate objects, files outside the root', () => {
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'namePrefx: p-') }), 'kustomize-build-failed @ ov/kustomization.yaml: namePrefx');
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'commonLabels:', '  canary: yes') }), 'kustomize-build-failed @ ov/kustomization.yaml: yes');
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', '- svc.yaml'), 'ov/svc.yaml': SVC }), `kustomize-build-failed @ ov/svc.yaml: ${SVC}`);
  assert.equal(failure({ 'svc.yaml': SVC, 'ov/kustomization.yaml': lines('resources:', '- ../svc.yaml') }), 'kustomize-build-failed @ ov/kustomization.yaml: ../svc.yaml');
  assert.equal(failure({ ...base, 'ov/kustomization.yaml': '# nothing yet\n' }).split(' @ ')[0], 'kustomize-build-failed');
});

test('not modelled: one information at the kustomization line, the rest is rendered', () => {
  const x = render({
    ...base,
    'ov/kustomization.yaml': lines(
      'resources:', '- ../base', '- https://github.com/example/app//deploy?ref=v1', 'images:', '- name: nginx', '  newTag: "2"', 'namePrefix: p-',
      'helmCharts:', '- name: podinfo', 'configMapGenerator:', '- name: cfg', '  literals:', '  - a=b',
    ),
  });
  assert.ok(x.r.documents);
  x.get('Service', 'p-web');
  const infos = x.r.problems.filter((p) => p.code === 'kustomize-not-modelled').map((p) => source(x.files, p).split('\n')[0]);
  assert.deepEqual(infos.sort(), ['https://github.com/example/app//deploy?ref=v1', 'configMapGenerator:', 'helmCharts:', 'images:'].sort());
  assert.ok(x.r.problems.every((p) => p.code !== 'kustomize-not-modelled' || p.severity === 'information'));
  assert.ok(!x.objects.some((o) => o.kind === 'ConfigMap'), 'generated objects are not rendered');
});

test('a patch whose object may come from an unmodelled source is not an error', () => {
  const x = render({
    ...base,
    'ov/kustomization.yaml': lines('resources:', '- ../base', '- github.com/example/app//deploy?ref=v1', 'patches:', '- path: p.yaml'),
    'ov/p.yaml': lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: remote-app', 'spec:', '  replicas: 2'),
  });
  assert.ok(x.r.documents);
  assert.deepEqual(errors(x.r), []);
  assert.ok(x.r.problems.some((p) => p.code === 'kustomize-not-modelled' && /remote-app/.test(p.message)));
});

test('renders are reused until a file they read changes, and a created input re-renders', () => {
  const f = new MemoryFiles({ ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', '- extra.yaml') });
  const engine = new KustomizeEngine(f, f.root);
  const root = f.uri('ov/kustomization.yaml');
  const failed = engine.render(root);
  assert.equal(failed.documents, undefined);
  assert.equal(engine.render(root), failed, 'nothing changed: the same render');
  f.set('ov/extra.yaml', SVC.replace('name: web', 'name: extra'));
  const built = engine.render(root);
  assert.notEqual(built, failed);
  assert.deepEqual(wrap(built, f, engine).objects.map((o) => (o.metadata as { name: string }).name).sort(), ['extra', 'web']);
  f.set('base/svc.yaml', SVC.replace('app: web', 'app: web2'));
  const edited = wrap(engine.render(root), f, engine);
  assert.deepEqual((edited.get('Service', 'web').spec as { selector: unknown }).selector, { app: 'web2' }, 'a base edit re-renders the overlay');
  assert.ok(built.inputs.has(f.uri('base/svc.yaml')) && built.inputs.has(f.uri('base/kustomization.yaml')));
});

test('bad input gets a failure or a render, never an exception or a hang', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  const cases: Record<string, string>[] = [
    { 'ov/kustomization.yaml': lines('resources:', '- bomb.yaml'), 'ov/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  ${bomb.replace(/\n/g, '\n  ')}\n` },
    { 'ov/kustomization.yaml': lines('resources:', '- junk.yaml'), 'ov/junk.yaml': '\u0000\u0001{[}]: :: -- ! & *\n\t\t' },
    { 'ov/kustomization.yaml': lines('resources:', '- deep.yaml'), 'ov/deep.yaml': `${'['.repeat(5000)}${']'.repeat(5000)}\n` },
    { 'ov/kustomization.yaml': 'resources: 5\npatches: [{target: 5}]\n' },
    { 'ov/kustomization.yaml': lines('resources:', '- "%zz.yaml"', '- "ünï code.yaml"') },
    { ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'patches:', '- patch: |', '    apiVersion: v1', '    kind: Service', '    metadata:', '      name: web', '    $patch: frob') },
    { ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'patches:', '- target:', '    name: "(unclosed"', '  patch: "[]"') },
    { ...base, 'ov/kustomization.yaml': lines('resources:', '- ../base', '- .', 'components:', '- ../base') },
  ];
  for (const files of cases) {
    const t0 = performance.now();
    const x = render(files);
    assert.ok(performance.now() - t0 < 2000, 'fast');
    assert.ok(x.r.documents === undefined ? errors(x.r).length === 1 : true, JSON.stringify(x.r.problems));
  }
});
