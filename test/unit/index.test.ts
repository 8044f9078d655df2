import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/core/analyzer';
import type { Service } from '../../server/src/core/model/resources';
import { deployment, service } from '../helpers/fixtures';

const svc = service('web', { app: 'web' });
const deploy = (label: string) => deployment('web', { app: label }, { image: 'nginx' });
const codes = (a: Analyzer, uri: string) => a.findings(uri).map((f) => f.code);

test('an edit in one file changes the findings of the file that depends on it', () => {
  const a = new Analyzer();
  a.updateFile('file:///ws/svc.yaml', 1, svc);
  a.updateFile('file:///ws/deploy.yaml', 1, deploy('web'));
  assert.deepEqual(codes(a, 'file:///ws/svc.yaml'), []);

  a.updateFile('file:///ws/deploy.yaml', 2, deploy('webb'));
  assert.deepEqual(codes(a, 'file:///ws/svc.yaml'), ['service-selects-nothing']);
  assert.match(a.findings('file:///ws/svc.yaml')[0]!.message, /app=webb/);

  a.updateFile('file:///ws/deploy.yaml', 3, deploy('web'));
  assert.deepEqual(codes(a, 'file:///ws/svc.yaml'), []);

  a.removeFile('file:///ws/deploy.yaml');
  assert.deepEqual(codes(a, 'file:///ws/svc.yaml'), ['service-selects-nothing']);
  assert.equal(a.index.fileCount, 1);
});

test('updating a file replaces its resources instead of adding to them', () => {
  const a = new Analyzer();
  a.updateFile('file:///ws/svc.yaml', 1, svc);
  a.updateFile('file:///ws/svc.yaml', 2, svc.replace('name: web', 'name: api'));
  assert.deepEqual(a.index.named<Service>('Service', 'web'), []);
  assert.equal(a.index.named<Service>('Service', 'api').length, 1);
  assert.equal([...a.index.services()].length, 1);
});

test('the generation changes on every update, and unchanged content keeps the entry', () => {
  const a = new Analyzer();
  const e1 = a.updateFile('file:///ws/svc.yaml', 1, svc);
  const g = a.index.generation;
  const e2 = a.updateFile('file:///ws/svc.yaml', 1, svc);
  assert.equal(e1, e2);
  assert.equal(a.index.generation, g);
  a.updateFile('file:///ws/svc.yaml', 2, svc + '\n');
  assert.ok(a.index.generation > g);
});

test('a kustomization turns a file into a patch and back, in any order', () => {
  const a = new Analyzer();
  const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
`;
  a.updateFile('file:///ws/overlay/replicas.yaml', 1, patch);
  assert.deepEqual(codes(a, 'file:///ws/overlay/replicas.yaml'), ['workload-selector-mismatch']);
  a.updateFile('file:///ws/overlay/kustomization.yaml', 1, 'resources:\n  - ../base\npatches:\n  - path: replicas.yaml\n');
  assert.deepEqual(codes(a, 'file:///ws/overlay/replicas.yaml'), []);
  assert.equal([...a.index.workloads()].length, 0, 'the partial Deployment takes no part in selection');
  a.updateFile('file:///ws/overlay/kustomization.yaml', 2, 'resources:\n  - ../base\n');
  assert.deepEqual(codes(a, 'file:///ws/overlay/replicas.yaml'), ['workload-selector-mismatch']);
  a.updateFile('file:///ws/overlay/kustomization.yaml', 3, 'patchesStrategicMerge:\n  - replicas.yaml\n');
  a.removeFile('file:///ws/overlay/kustomization.yaml');
  assert.deepEqual(codes(a, 'file:///ws/overlay/replicas.yaml'), ['workload-selector-mismatch']);
});

test('settings changes apply to cached findings', () => {
  const a = new Analyzer();
  a.updateFile('file:///ws/svc.yaml', 1, `apiVersion: v1
kind: Service
metadata:
  name: np
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 31000
`);
  assert.deepEqual(codes(a, 'file:///ws/svc.yaml'), ['service-no-endpoints']);
  a.settings = { nodePortRange: { min: 30000, max: 30999 }, severity: { 'service-no-endpoints': 'off' } };
  assert.deepEqual(codes(a, 'file:///ws/svc.yaml'), ['node-port-range']);
});
