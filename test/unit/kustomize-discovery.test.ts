import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKustomizationUri, KustomizeEngine } from '../../server/src/core/kustomize';
import { MemoryFiles } from '../helpers/kustomizeFs';
import { lines } from '../helpers/kustomizeUnit';

const SVC = lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:', '  - port: 80');

function workspace(): MemoryFiles {
  return new MemoryFiles({
    'deploy/base/kustomization.yaml': lines('resources:', '- svc.yaml', 'configurations:', '- conf.yaml'),
    'deploy/base/svc.yaml': SVC,
    'deploy/base/conf.yaml': 'nameReference: []\n',
    'deploy/base/unused.yaml': SVC,
    'deploy/comp/kustomization.yaml': lines('kind: Component', 'patches:', '- path: p.yaml'),
    'deploy/comp/p.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort'),
    'deploy/overlays/prod/kustomization.yaml': lines('resources:', '- ../../base', 'components:', '- ../../comp', 'patchesStrategicMerge:', '- sm.yaml', 'replacements:', '- path: repl.yaml'),
    'deploy/overlays/prod/sm.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: ClusterIP'),
    'deploy/overlays/prod/repl.yaml': '[]\n',
    'deploy/overlays/staging/kustomization.yaml': lines('resources:', '- ../../base', 'configMapGenerator:', '- name: cfg', '  envs:', '  - app.env'),
    'deploy/overlays/staging/app.env': 'A=1\n',
    'cycle/a/kustomization.yaml': lines('resources:', '- ../b'),
    'cycle/b/kustomization.yaml': lines('resources:', '- ../a'),
    'Kustomization': lines('resources:', '- top.yaml'),
    'top.yaml': SVC,
    'plain/gateway.yaml': SVC,
  });
}

const ALL = [
  'deploy/base/kustomization.yaml', 'deploy/comp/kustomization.yaml', 'deploy/overlays/prod/kustomization.yaml',
  'deploy/overlays/staging/kustomization.yaml', 'cycle/a/kustomization.yaml', 'cycle/b/kustomization.yaml', 'Kustomization',
];

test('kustomization file names are the three kustomize recognises', () => {
  assert.ok(isKustomizationUri('file:///w/a/kustomization.yaml'));
  assert.ok(isKustomizationUri('file:///w/a/kustomization.yml'));
  assert.ok(isKustomizationUri('file:///w/Kustomization'));
  assert.ok(!isKustomizationUri('file:///w/a/kustomization.json'));
  assert.ok(!isKustomizationUri('file:///w/a/my-kustomization.yaml'));
});

test('roots are the kustomizations nothing includes; bases and components are reached through them', () => {
  const f = workspace();
  const d = new KustomizeEngine(f, f.root).discover(ALL.map((p) => f.uri(p)));
  // The cycle has no entry point, so its first kustomization is a root of its own (its render reports the cycle).
  assert.deepEqual(d.roots.map((r) => r.name), ['.', 'cycle/a', 'deploy/overlays/prod', 'deploy/overlays/staging']);
  assert.deepEqual(d.kustomizations.get(f.uri('deploy/overlays/prod/kustomization.yaml'))!.includes, [
    f.uri('deploy/base/kustomization.yaml'), f.uri('deploy/comp/kustomization.yaml'),
  ]);
});

test('a root\'s members are every file it reads, through its bases and components; other files stay in the plain view', () => {
  const f = workspace();
  const d = new KustomizeEngine(f, f.root).discover(ALL.map((p) => f.uri(p)));
  const prod = d.roots.find((r) => r.name === 'deploy/overlays/prod')!;
  assert.deepEqual([...prod.members].map((u) => u.slice(f.root.length + 1)).sort(), [
    'deploy/base/conf.yaml', 'deploy/base/kustomization.yaml', 'deploy/base/svc.yaml',
    'deploy/comp/kustomization.yaml', 'deploy/comp/p.yaml',
    'deploy/overlays/prod/kustomization.yaml', 'deploy/overlays/prod/repl.yaml', 'deploy/overlays/prod/sm.yaml',
  ]);
  const staging = d.roots.find((r) => r.name === 'deploy/overlays/staging')!;
  assert.ok(staging.members.has(f.uri('deploy/overlays/staging/app.env')), 'generator inputs are members');
  assert.deepEqual(d.rootsOf(f.uri('deploy/base/svc.yaml')), ['deploy/overlays/prod', 'deploy/overlays/staging']);
  assert.deepEqual(d.rootsOf(f.uri('deploy/base/unused.yaml')), [], 'a file no kustomization names is plain');
  assert.deepEqual(d.rootsOf(f.uri('plain/gateway.yaml')), []);
  assert.deepEqual(d.rootsOf(f.uri('top.yaml')), ['.']);
});

test('the cycle root renders as a kustomize-cycle error at the line that closes the cycle', () => {
  const f = workspace();
  const e = new KustomizeEngine(f, f.root);
  const r = e.render(f.uri('cycle/a/kustomization.yaml'));
  assert.equal(r.documents, undefined);
  const err = r.problems.find((p) => p.severity === 'error')!;
  assert.equal(err.code, 'kustomize-cycle');
  assert.equal(err.uri, f.uri('cycle/b/kustomization.yaml'));
  assert.equal(f.read(err.uri)!.slice(err.span.start, err.span.end), '../a');
  assert.match(err.message, /cycle\/a → .*cycle\/b → .*cycle\/a/);
});

test('a kustomization that does not parse is still a root (its render says why)', () => {
  const f = new MemoryFiles({ 'bad/kustomization.yaml': 'resources: [\n' });
  const e = new KustomizeEngine(f, f.root);
  const d = e.discover([f.uri('bad/kustomization.yaml')]);
  assert.deepEqual(d.roots.map((r) => r.name), ['bad']);
  const r = e.render(d.roots[0]!.kustomization);
  assert.equal(r.documents, undefined);
  assert.equal(r.problems[0]!.code, 'kustomize-build-failed');
});

test('a directory with two kustomization files is one root, and its render fails as kustomize does', () => {
  const f = new MemoryFiles({ 'app/kustomization.yaml': lines('resources:', '- s.yaml'), 'app/Kustomization': lines('resources:', '- s.yaml'), 'app/s.yaml': SVC });
  const e = new KustomizeEngine(f, f.root);
  const d = e.discover([f.uri('app/kustomization.yaml'), f.uri('app/Kustomization')]);
  assert.deepEqual(d.roots.map((r) => [r.name, r.kustomization.slice(f.root.length + 1)]), [['app', 'app/kustomization.yaml']]);
  const r = e.render(d.roots[0]!.kustomization);
  assert.equal(r.documents, undefined);
  assert.match(r.problems[0]!.message, /multiple kustomization files/);
});
