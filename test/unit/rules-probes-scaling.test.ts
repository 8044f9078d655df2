import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/core/features/hover';
import { analyze, covered, withCode, WS, type TestFinding } from '../helpers/workspace';
import { deployment, service } from '../helpers/fixtures';
import { firstPath, trace } from '../helpers/trace';

/** Probe ports, container hostPort, HPA and PodDisruptionBudget checks. */

function findings(files: Record<string, string>, code: string): TestFinding[] {
  return withCode(analyze(files).findings, code);
}

function covers(files: Record<string, string>, code: string): string[] {
  return findings(files, code).map((f) => covered(files, f));
}

/** A Deployment `web` (app=web) whose container `app` declares `ports` and carries the `probes` lines. */
function web(o: { ports?: string; probes?: string; sidecar?: string; replicas?: number | null; ns?: string } = {}): string {
  return deployment('web', { app: 'web' }, {
    ns: o.ns, replicas: o.replicas === null ? undefined : o.replicas ?? 2, container: 'app', image: 'web',
    ports: o.ports ?? '- name: http\n  containerPort: 8080\n', containerExtra: o.probes, sidecars: o.sidecar,
  });
}

const SERVICE = service('web', { app: 'web' });

describe('probe-port-unresolved', () => {
  test('a readiness probe naming a port its container does not declare is a warning on the port, saying the pods never become ready', () => {
    const files = { 'web.yaml': web({ probes: 'readinessProbe:\n  httpGet:\n    path: /ready\n    port: health\n' }) };
    const [f, ...rest] = findings(files, 'probe-port-unresolved');
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'warning');
    assert.equal(covered(files, f!), 'health');
    assert.match(f!.message, /readinessProbe httpGet names port `health`.*its port names: http/);
    assert.match(f!.message, /never become ready/);
  });

  test('startup and liveness probes say what they do; a declared name resolves', () => {
    const probes = 'livenessProbe:\n  tcpSocket:\n    port: live\nstartupProbe:\n  httpGet:\n    port: boot\nreadinessProbe:\n  httpGet:\n    port: http\n';
    const list = findings({ 'web.yaml': web({ probes }) }, 'probe-port-unresolved');
    assert.deepEqual(list.map((f) => f.message.match(/(\w+Probe)/)![1]), ['livenessProbe', 'startupProbe']);
    assert.match(list[0]!.message, /never restarted/);
    assert.match(list[1]!.message, /never counts as started/);
  });

  test('a name declared only by another container of the pod does not resolve (own container only), and that is said', () => {
    const sidecar = '- name: proxy\n  image: proxy\n  ports:\n    - name: admin\n      containerPort: 15000\n';
    const files = { 'web.yaml': web({ probes: 'readinessProbe:\n  httpGet:\n    port: admin\n', sidecar }) };
    const [f] = findings(files, 'probe-port-unresolved');
    assert.match(f!.message, /container `proxy` declares it, but a probe resolves names against its own container only/);
    assert.equal(f!.related.length, 1);
  });

  test('the Service hover and trace say the selected pods never become ready; without the bad probe they do not', () => {
    const bad = { 'web.yaml': web({ probes: 'readinessProbe:\n  httpGet:\n    port: health\n' }), 'svc.yaml': SERVICE };
    const { analyzer } = analyze(bad);
    const md = hover(analyzer, WS + 'svc.yaml', { line: 3, character: 8 })!.contents;
    assert.match(md, /pods of Deployment `web` never become ready\*\*: the readinessProbe of container app names port health/);
    const hop = firstPath(trace(bad, 'web:80'))[1]!.hop;
    assert.match(hop.decision, /never become ready \(the readinessProbe of container app names port health/);
    assert.match(hop.decision, /no ready endpoints/);

    const good = { 'web.yaml': web({ probes: 'readinessProbe:\n  httpGet:\n    port: http\n' }), 'svc.yaml': SERVICE };
    assert.doesNotMatch(hover(analyze(good).analyzer, WS + 'svc.yaml', { line: 3, character: 8 })!.contents, /never become ready/);
    assert.doesNotMatch(firstPath(trace(good, 'web:80'))[1]!.hop.decision, /never become ready/);
  });
});

describe('probe port syntax and probe-port-undeclared', () => {
  test('gRPC probes take numbers only (error); httpGet names follow IANA syntax; numbers 1–65535', () => {
    const g = { 'web.yaml': web({ probes: 'readinessProbe:\n  grpc:\n    port: grpc\n' }) };
    assert.deepEqual(covers(g, 'probe-port-invalid'), ['grpc']);
    assert.equal(findings(g, 'probe-port-invalid')[0]!.severity, 'error');
    assert.deepEqual(covers({ 'web.yaml': web({ probes: 'readinessProbe:\n  grpc:\n    port: 9090\n' }) }, 'probe-port-invalid'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ probes: 'livenessProbe:\n  httpGet:\n    port: "8080"\n' }) }, 'port-name-invalid'), ['"8080"']);
    assert.deepEqual(covers({ 'web.yaml': web({ probes: 'livenessProbe:\n  tcpSocket:\n    port: 70000\n' }) }, 'port-out-of-range'), ['70000']);
  });

  test('a number the container does not declare is information; declared, or a container without ports, or another host, is silent', () => {
    const files = { 'web.yaml': web({ probes: 'livenessProbe:\n  httpGet:\n    port: 8081\n' }) };
    const [f] = findings(files, 'probe-port-undeclared');
    assert.equal(f!.severity, 'information');
    assert.equal(covered(files, f!), '8081');
    assert.deepEqual(covers({ 'web.yaml': web({ probes: 'livenessProbe:\n  httpGet:\n    port: 8080\n' }) }, 'probe-port-undeclared'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ ports: '[]\n', probes: 'livenessProbe:\n  httpGet:\n    port: 8081\n' }) }, 'probe-port-undeclared'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ probes: 'livenessProbe:\n  httpGet:\n    host: 10.0.0.9\n    port: 8081\n' }) }, 'probe-port-undeclared'), []);
  });
});

describe('container hostPort', () => {
  test('hostPort outside 1–65535 is port-out-of-range; 0 means unset', () => {
    assert.deepEqual(covers({ 'web.yaml': web({ ports: '- containerPort: 8080\n  hostPort: 70000\n' }) }, 'port-out-of-range'), ['70000']);
    assert.deepEqual(covers({ 'web.yaml': web({ ports: '- containerPort: 8080\n  hostPort: 0\n' }) }, 'port-out-of-range'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ ports: '- containerPort: 8080\n  hostPort: 80\n' }) }, 'port-out-of-range'), []);
  });
});

const HPA = (min = 2, target = 'web') => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${target}
  minReplicas: ${min}
  maxReplicas: 10
`;

describe('scale-target-required', () => {
  test('an HPA without scaleTargetRef, or without its kind or name, is an error', () => {
    const none = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  minReplicas: 1\n  maxReplicas: 3\n';
    assert.deepEqual(covers({ 'hpa.yaml': none }, 'scale-target-required'), ['spec']);
    const noName = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n  maxReplicas: 3\n';
    const [f] = findings({ 'hpa.yaml': noName }, 'scale-target-required');
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /no `name`/);
    assert.deepEqual(covers({ 'hpa.yaml': HPA() }, 'scale-target-required'), []);
  });
});

describe('replicas-with-autoscaler', () => {
  test('replicas on a workload an HPA scales is information on `replicas`; without replicas, or another target, silent', () => {
    const files = { 'web.yaml': web({ replicas: 3 }), 'hpa.yaml': HPA() };
    const [f] = findings(files, 'replicas-with-autoscaler');
    assert.equal(f!.severity, 'information');
    assert.equal(covered(files, f!), 'replicas');
    assert.match(f!.message, /resets it to 3 replicas/);
    assert.equal(f!.related[0]!.uri, WS + 'hpa.yaml');
    assert.deepEqual(covers({ 'web.yaml': web({ replicas: null }), 'hpa.yaml': HPA() }, 'replicas-with-autoscaler'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ replicas: 3 }), 'hpa.yaml': HPA(2, 'api') }, 'replicas-with-autoscaler'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ replicas: 3, ns: 'a' }), 'hpa.yaml': HPA().replace('name: web\nspec', 'name: web\n  namespace: b\nspec') }, 'replicas-with-autoscaler'), []);
  });
});

const PDB = (field: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  ${field}
  selector:
    matchLabels:
      app: web
`;

describe('disruption-budget-blocks-eviction', () => {
  test('minAvailable equal to the replicas, or maxUnavailable 0, allows no eviction (information on the value)', () => {
    const files = { 'web.yaml': web({ replicas: 2 }), 'pdb.yaml': PDB('minAvailable: 2') };
    const [f] = findings(files, 'disruption-budget-blocks-eviction');
    assert.equal(f!.severity, 'information');
    assert.equal(covered(files, f!), '2');
    assert.deepEqual(covers({ 'web.yaml': web({ replicas: 3 }), 'pdb.yaml': PDB('minAvailable: 2') }, 'disruption-budget-blocks-eviction'), []);
    assert.deepEqual(covers({ 'web.yaml': web({ replicas: 3 }), 'pdb.yaml': PDB('maxUnavailable: 0') }, 'disruption-budget-blocks-eviction'), ['0']);
    assert.deepEqual(covers({ 'web.yaml': web({ replicas: 3 }), 'pdb.yaml': PDB('maxUnavailable: 1') }, 'disruption-budget-blocks-eviction'), []);
  });

  test('percentages round up as the disruption controller does: 67% of 3 is 3, 50% of 1 is 1, 50% of 3 is 2', () => {
    const pct = (replicas: number, p: string) => covers({ 'web.yaml': web({ replicas }), 'pdb.yaml': PDB(`minAvailable: "${p}"`) }, 'disruption-budget-blocks-eviction').length;
    assert.equal(pct(3, '67%'), 1);
    assert.equal(pct(1, '50%'), 1);
    assert.equal(pct(3, '50%'), 0);
    assert.equal(pct(4, '100%'), 1);
    assert.equal(covers({ 'web.yaml': web({ replicas: 3 }), 'pdb.yaml': PDB('maxUnavailable: "0%"') }, 'disruption-budget-blocks-eviction').length, 1);
  });

  test('an autoscaled workload counts at its minReplicas; unknown counts are not judged', () => {
    const files = { 'web.yaml': web({ replicas: null }), 'hpa.yaml': HPA(2), 'pdb.yaml': PDB('minAvailable: 2') };
    const [f] = findings(files, 'disruption-budget-blocks-eviction');
    assert.match(f!.message, /autoscaler's minimum/);
    assert.equal(findings({ 'web.yaml': web({ replicas: null }), 'hpa.yaml': HPA(3), 'pdb.yaml': PDB('minAvailable: 2') }, 'disruption-budget-blocks-eviction').length, 0);
    const placeholder = web().replace('replicas: 2', 'replicas: ${REPLICAS}');
    assert.equal(findings({ 'web.yaml': placeholder, 'pdb.yaml': PDB('minAvailable: 5') }, 'disruption-budget-blocks-eviction').length, 0);
  });
});

describe('service-monitor-selects-nothing with an empty selector', () => {
  const monitor = (selector: string, ns = 'shop') => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: all
  namespace: ${ns}
spec:
  selector: ${selector}
  endpoints:
    - port: metrics
`;
  const svcIn = (ns: string, port = 'metrics') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: ${ns}\nspec:\n  clusterIP: None\n  ports:\n    - name: ${port}\n      port: 9090\n`;

  test('it selects every Service of its namespace: none there is a finding, and their port names are checked', () => {
    const [f] = findings({ 'sm.yaml': monitor('{}'), 'svc.yaml': svcIn('other') }, 'service-monitor-selects-nothing');
    assert.match(f!.message, /empty selector selects every Service in namespace `shop`, and there is none/);
    assert.equal(findings({ 'sm.yaml': monitor('{}'), 'svc.yaml': svcIn('shop') }, 'service-monitor-selects-nothing').length, 0);
    assert.equal(findings({ 'sm.yaml': monitor('{}'), 'svc.yaml': svcIn('shop', 'http') }, 'service-monitor-port-missing').length, 1);
  });
});
