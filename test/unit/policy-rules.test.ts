import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, withCode, yaml } from '../helpers/workspace';
import { deployment } from '../helpers/fixtures';
import { Analyzer } from '../../server/src/core/analyzer';

const DEPLOY = `\n${deployment('api', { app: 'api' }, { ns: 'shop', image: 'x' })}`;
const np = (spec: string, ns = 'shop') => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  namespace: ${ns}
spec:
${spec}`;

function run(...docs: string[]) {
  const files = { 'a.yaml': yaml(...docs) };
  return { files, ...analyze(files) };
}

test('network-policy-selects-nothing: fires on the podSelector key; quiet for {} and a match', () => {
  const { files, findings } = run(DEPLOY, np('  podSelector:\n    matchLabels:\n      app: apii\n  policyTypes: [Ingress]\n'));
  const f = withCode(findings, 'network-policy-selects-nothing');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(covered(files, f[0]!), 'podSelector');
  assert.match(f[0]!.message, /app=apii/);
  assert.equal(withCode(run(DEPLOY, np('  podSelector: {}\n')).findings, 'network-policy-selects-nothing').length, 0);
  assert.equal(withCode(run(DEPLOY, np('  podSelector:\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [api]\n')).findings, 'network-policy-selects-nothing').length, 0);
  // Another namespace's pods do not count.
  assert.equal(withCode(run(DEPLOY, np('  podSelector:\n    matchLabels:\n      app: api\n', 'other')).findings, 'network-policy-selects-nothing').length, 1);
});

test('network-policy-selects-nothing: information when custom resources may create the pods', () => {
  const cr = 'apiVersion: example.com/v1\nkind: Database\nmetadata:\n  name: d\n  namespace: shop\n';
  const f = withCode(run(DEPLOY, cr, np('  podSelector:\n    matchLabels:\n      app: db\n')).findings, 'network-policy-selects-nothing');
  assert.equal(f[0]!.severity, 'information');
});

test('network-policy-peer-selects-nothing: a podSelector peer of the policy namespace', () => {
  const spec = '  podSelector: {}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n';
  const { files, findings } = run(DEPLOY, np(spec));
  const f = withCode(findings, 'network-policy-peer-selects-nothing');
  assert.equal(f.length, 1);
  assert.equal(covered(files, f[0]!), 'podSelector');
  assert.match(f[0]!.message, /ingress\[0\] from podSelector app=web/);
  const ok = '  podSelector: {}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: api\n';
  assert.equal(withCode(run(DEPLOY, np(ok)).findings, 'network-policy-peer-selects-nothing').length, 0);
});

test('network-policy-peer-selects-nothing: quiet for namespaceSelectors when namespaces are not declared', () => {
  const spec = '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: ops\n          podSelector:\n            matchLabels:\n              app: prometheus\n';
  assert.equal(withCode(run(DEPLOY, np(spec)).findings, 'network-policy-peer-selects-nothing').length, 0);
  // With declared namespaces, a selector matching none of them is worth an information.
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: shop\n';
  const f = withCode(run(DEPLOY, ns, np(spec)).findings, 'network-policy-peer-selects-nothing');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'information');
  // Selecting by the automatic name label never fires: the namespace may exist outside the workspace.
  const byName = '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring\n';
  assert.equal(withCode(run(DEPLOY, ns, np(byName)).findings, 'network-policy-peer-selects-nothing').length, 0);
});

test('network-policy-port-undeclared: ingress named ports resolve against the selected pods', () => {
  const spec = '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - ports:\n        - port: htp\n';
  const { files, findings } = run(DEPLOY, np(spec));
  const f = withCode(findings, 'network-policy-port-undeclared');
  assert.equal(f.length, 1);
  assert.equal(covered(files, f[0]!), 'htp');
  assert.match(f[0]!.message, /declared names: http/);
  assert.equal(withCode(run(DEPLOY, np(spec.replace('htp', 'http'))).findings, 'network-policy-port-undeclared').length, 0);
  // Protocol counts: `http` is declared for TCP only.
  assert.equal(withCode(run(DEPLOY, np(spec.replace('port: htp', 'port: http\n          protocol: UDP'))).findings, 'network-policy-port-undeclared').length, 1);
});

test('network-policy-port-undeclared: egress named ports resolve against the peer pods', () => {
  const spec = '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: api\n      ports:\n        - port: grpc\n';
  assert.equal(withCode(run(DEPLOY, np(spec)).findings, 'network-policy-port-undeclared').length, 1);
  // No peers (every destination): named ports cannot be checked.
  const open = '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - ports:\n        - port: grpc\n';
  assert.equal(withCode(run(DEPLOY, np(open)).findings, 'network-policy-port-undeclared').length, 0);
});

test('scale-target-missing: HPA naming a missing Deployment, with a did-you-mean; quiet when it exists', () => {
  const hpa = (name: string, kind = 'Deployment') => `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: h
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: ${kind}
    name: ${name}
  minReplicas: 1
  maxReplicas: 3
`;
  const { files, findings } = run(DEPLOY, hpa('apii'));
  const f = withCode(findings, 'scale-target-missing');
  assert.equal(f.length, 1);
  assert.equal(covered(files, f[0]!), 'apii');
  assert.match(f[0]!.message, /Did you mean `api`/);
  assert.equal(withCode(run(DEPLOY, hpa('api')).findings, 'scale-target-missing').length, 0);
  assert.match(withCode(run(DEPLOY, hpa('api', 'StatefulSet')).findings, 'scale-target-missing')[0]!.message, /Deployment of that name/);
  // Custom scalable kinds are not modelled: quiet.
  assert.equal(withCode(run(DEPLOY, hpa('x', 'Rollout')).findings, 'scale-target-missing').length, 0);
});

test('disruption-budget-selects-nothing: fires on the selector key; quiet when it matches', () => {
  const pdb = (app: string) => `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: b
  namespace: shop
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: ${app}
`;
  const { files, findings } = run(DEPLOY, pdb('apx'));
  const f = withCode(findings, 'disruption-budget-selects-nothing');
  assert.equal(f.length, 1);
  assert.equal(covered(files, f[0]!), 'selector');
  assert.equal(withCode(run(DEPLOY, pdb('api')).findings, 'disruption-budget-selects-nothing').length, 0);
});

test('service-monitor-selects-nothing / service-monitor-port-missing: Service labels and port names', () => {
  const svc = (labels: string) => `
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop${labels}
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 80
      targetPort: http
`;
  const sm = (ns: string, port: string, nsSel = '') => `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: m
  namespace: ${ns}
spec:${nsSel}
  selector:
    matchLabels:
      app: api
  endpoints:
    - port: ${port}
`;
  // The selector matches Service labels, not the Service's selector: a Service without labels is not selected.
  const { files, findings } = run(DEPLOY, svc(''), sm('shop', 'http'));
  const f = withCode(findings, 'service-monitor-selects-nothing');
  assert.equal(f.length, 1);
  assert.equal(covered(files, f[0]!), 'selector');
  const labelled = svc('\n  labels:\n    app: api');
  assert.equal(withCode(run(DEPLOY, labelled, sm('shop', 'http')).findings, 'service-monitor-selects-nothing').length, 0);
  // Another namespace: only with namespaceSelector.
  assert.equal(withCode(run(DEPLOY, labelled, sm('monitoring', 'http')).findings, 'service-monitor-selects-nothing').length, 1);
  assert.equal(withCode(run(DEPLOY, labelled, sm('monitoring', 'http', '\n  namespaceSelector:\n    matchNames: [shop]')).findings, 'service-monitor-selects-nothing').length, 0);
  assert.equal(withCode(run(DEPLOY, labelled, sm('monitoring', 'http', '\n  namespaceSelector:\n    any: true')).findings, 'service-monitor-selects-nothing').length, 0);
  const p = run(DEPLOY, labelled, sm('shop', 'metrics'));
  const pm = withCode(p.findings, 'service-monitor-port-missing');
  assert.equal(pm.length, 1);
  assert.equal(covered(p.files, pm[0]!), 'metrics');
  assert.equal(pm[0]!.related.length, 1);
});

test('incremental: editing pod labels in another file refreshes policy and HPA findings', () => {
  const a = new Analyzer();
  const policyText = np('  podSelector:\n    matchLabels:\n      app: api\n') + '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n  namespace: shop\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: api\n';
  a.updateFile('file:///ws/p.yaml', 1, policyText);
  a.updateFile('file:///ws/d.yaml', 1, DEPLOY.replace(/app: api/g, 'app: web'));
  const codes = () => a.findings('file:///ws/p.yaml').map((f) => f.code).sort();
  assert.deepEqual(codes(), ['network-policy-selects-nothing']);
  a.takeDirty();
  a.updateFile('file:///ws/d.yaml', 2, DEPLOY);
  assert.ok(a.takeDirty().has('file:///ws/p.yaml'));
  assert.deepEqual(codes(), []);
  a.updateFile('file:///ws/d.yaml', 3, DEPLOY.replace('name: api', 'name: api2'));
  assert.deepEqual(codes(), ['scale-target-missing']);
  // A Namespace's labels feed namespaceSelectors.
  a.updateFile('file:///ws/n.yaml', 1, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  const peer = np('  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: ops\n');
  a.updateFile('file:///ws/q.yaml', 1, peer);
  assert.equal(a.findings('file:///ws/q.yaml').filter((f) => f.code === 'network-policy-peer-selects-nothing').length, 1);
  a.takeDirty();
  a.updateFile('file:///ws/n.yaml', 2, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: ops\n');
  assert.ok(a.takeDirty().has('file:///ws/q.yaml'));
  assert.equal(a.findings('file:///ws/q.yaml').filter((f) => f.code === 'network-policy-peer-selects-nothing').length, 0);
});
