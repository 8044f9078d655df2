import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, yaml } from '../helpers/workspace';
import { deployment, service } from '../helpers/fixtures';
import { canReach, parsePort, resolveObject } from '../../server/src/core/policy/canReach';
import { cidrContains } from '../../server/src/core/policy/cidr';
import type { ReachResult } from '../../server/src/core/policy/reachTypes';
import type { Service, Workload } from '../../server/src/core/model/resources';
import { buildGraph } from '../../server/src/core/features/graph';

/** Expected verdicts follow the Kubernetes NetworkPolicy documentation, not this implementation. */

const deploy = (name: string, ns: string | undefined, labels: Record<string, string>) =>
  `\n${deployment(name, labels, { ns, selector: `selector:\n  matchLabels:\n    app: ${labels.app}\n`, container: 'c', image: 'x' })}`;

const namespace = (name: string, labels: Record<string, string> = {}) => `
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}`).join('\n') || '    {}'}
`;

const policy = (name: string, ns: string, spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;

const SERVICE = `\n${service('api', { app: 'api' }, { ns: 'shop', portName: 'web' })}`;

const BASE = [
  deploy('web', 'shop', { app: 'web' }),
  deploy('api', 'shop', { app: 'api', tier: 'backend' }),
  deploy('job', 'batch', { app: 'job' }),
];

function reach(files: string[], from: string, to: string, port?: string): ReachResult {
  const { analyzer } = analyze({ 'a.yaml': yaml(...files) });
  const f = resolveObject(analyzer.index, from, false);
  const t = /^[0-9.:]+$/.test(to) ? { ip: to } : resolveObject(analyzer.index, to, true);
  assert.ok(!('error' in f), JSON.stringify(f));
  assert.ok(!('error' in t), JSON.stringify(t));
  const r = canReach(analyzer, f as Workload, t as Workload | Service | { ip: string }, port ? parsePort(port) : undefined);
  assert.ok(!('error' in r), JSON.stringify(r));
  return r as ReachResult;
}

test('no policy: everything is allowed, nothing isolated', () => {
  const r = reach(BASE, 'Deployment/shop/web', 'Deployment/shop/api', '8080');
  assert.equal(r.verdict, 'allowed');
  assert.equal(r.ingress!.isolated, false);
  assert.equal(r.egress!.isolated, false);
});

test('default deny ingress (podSelector {}, policyTypes [Ingress]) denies, naming the policy', () => {
  const deny = policy('deny', 'shop', '  podSelector: {}\n  policyTypes: [Ingress]\n');
  const r = reach([...BASE, deny], 'Deployment/shop/web', 'Deployment/shop/api', '8080');
  assert.equal(r.verdict, 'denied');
  assert.equal(r.ingress!.verdict, 'denied');
  assert.deepEqual(r.ingress!.isolatedBy.map((p) => p.id), ['NetworkPolicy/shop/deny']);
  // A policy in another namespace does not isolate these pods.
  const other = policy('deny', 'batch', '  podSelector: {}\n  policyTypes: [Ingress]\n');
  assert.equal(reach([...BASE, other], 'Deployment/shop/web', 'Deployment/shop/api', '8080').verdict, 'allowed');
});

test('policyTypes default: Ingress only, so ingress rules without egress do not isolate egress', () => {
  const p = policy('p', 'shop', '  podSelector: {}\n  ingress: []\n');
  const r = reach([...BASE, p], 'Deployment/shop/web', 'Deployment/shop/api');
  assert.equal(r.egress!.isolated, false);
  assert.equal(r.ingress!.verdict, 'denied');
  // With an egress section present, Egress is added: `egress: []` denies all egress.
  const e = policy('e', 'shop', '  podSelector:\n    matchLabels:\n      app: web\n  egress: []\n');
  const r2 = reach([...BASE, e], 'Deployment/shop/web', 'Deployment/batch/job');
  assert.equal(r2.verdict, 'denied');
  assert.equal(r2.egress!.verdict, 'denied');
  assert.equal(r2.egress!.isolated, true);
  // Ingress is also in the defaulted types: `web` is isolated for ingress by the same policy.
  assert.equal(reach([...BASE, e], 'Deployment/batch/job', 'Deployment/shop/web').verdict, 'denied');
});

test('explicit policyTypes [Egress] ignores ingress rules and leaves ingress open', () => {
  const p = policy('p', 'shop', '  podSelector: {}\n  policyTypes: [Egress]\n  ingress: []\n');
  assert.equal(reach([...BASE, p], 'Deployment/batch/job', 'Deployment/shop/api').verdict, 'allowed');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'denied');
});

test('default deny egress blocks traffic that ingress would allow', () => {
  const p = policy('deny-egress', 'shop', '  podSelector: {}\n  policyTypes: [Egress]\n');
  const r = reach([...BASE, p], 'Deployment/shop/web', 'Deployment/shop/api', '8080');
  assert.equal(r.verdict, 'denied');
  assert.equal(r.egress!.verdict, 'denied');
  assert.equal(r.ingress!.verdict, 'allowed');
});

test('allow-all rules: `ingress: [{}]` and an empty from admit everyone', () => {
  const deny = policy('deny', 'shop', '  podSelector: {}\n  policyTypes: [Ingress]\n');
  const all = policy('all', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - {}\n');
  const r = reach([...BASE, deny, all], 'Deployment/batch/job', 'Deployment/shop/api', '8080');
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(r.ingress!.allowedBy.map((a) => `${a.policy.name}[${a.rule}]`), ['all[0]']);
});

test('policies are additive: one allowing policy is enough despite a default deny', () => {
  const deny = policy('deny', 'shop', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n');
  const egress = policy('web-out', 'shop', '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: api\n');
  const ingress = policy('api-in', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n');
  assert.equal(reach([...BASE, deny, egress, ingress], 'Deployment/shop/web', 'Deployment/shop/api', '8080').verdict, 'allowed');
  // Without the egress allow, the connection fails at the source.
  assert.equal(reach([...BASE, deny, ingress], 'Deployment/shop/web', 'Deployment/shop/api', '8080').verdict, 'denied');
});

test('podSelector alone selects pods of the policy\'s namespace only', () => {
  const p = policy('p', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: job\n');
  // `job` lives in `batch`: a podSelector-only peer never matches pods of other namespaces.
  assert.equal(reach([...BASE, p], 'Deployment/batch/job', 'Deployment/shop/api').verdict, 'denied');
});

test('namespaceSelector and podSelector in one peer are ANDed; in two peers ORed', () => {
  const ns = [namespace('batch', { team: 'data' }), namespace('shop', { team: 'shop' })];
  const and = policy('and', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: data\n          podSelector:\n            matchLabels:\n              app: web\n');
  // job: namespace matches, pod label does not → denied; web: pod matches, namespace does not → denied.
  assert.equal(reach([...BASE, ...ns, and], 'Deployment/batch/job', 'Deployment/shop/api').verdict, 'denied');
  assert.equal(reach([...BASE, ...ns, and], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'denied');
  const or = policy('or', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: data\n        - podSelector:\n            matchLabels:\n              app: web\n');
  assert.equal(reach([...BASE, ...ns, or], 'Deployment/batch/job', 'Deployment/shop/api').verdict, 'allowed');
  assert.equal(reach([...BASE, ...ns, or], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'allowed');
});

test('namespaceSelector: unknown without Namespace objects, except the automatic name label', () => {
  const byTeam = policy('p', 'shop', '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: data\n');
  const r = reach([...BASE, byTeam], 'Deployment/batch/job', 'Deployment/shop/api');
  assert.equal(r.verdict, 'unknown');
  assert.match(r.ingress!.unknownBecause.join(' '), /namespace `batch` is not declared/);
  const byName = policy('p', 'shop', '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: batch\n');
  assert.equal(reach([...BASE, byName], 'Deployment/batch/job', 'Deployment/shop/api').verdict, 'allowed');
  assert.equal(reach([...BASE, byName], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'denied');
  // matchExpressions on the name label.
  const expr = policy('p', 'shop', '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: NotIn\n                values: [batch]\n');
  assert.equal(reach([...BASE, expr], 'Deployment/batch/job', 'Deployment/shop/api').verdict, 'denied');
  assert.equal(reach([...BASE, expr], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'allowed');
});

test('named policy ports resolve against the destination pod\'s container ports', () => {
  const p = policy('p', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - ports:\n        - port: http\n');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', 'Deployment/shop/api', '8080').verdict, 'allowed');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', 'Deployment/shop/api', '9090').verdict, 'denied');
  // Through a Service: port 80 → targetPort http → 8080.
  const r = reach([...BASE, SERVICE, p], 'Deployment/shop/web', 'Service/shop/api', '80');
  assert.equal(r.verdict, 'allowed');
  assert.equal(r.targets[0]!.via!.containerPort, 8080);
  // A numeric policy port matches the container port, not the Service port.
  const numeric = policy('p', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - ports:\n        - port: 80\n');
  assert.equal(reach([...BASE, SERVICE, numeric], 'Deployment/shop/web', 'Service/shop/api', '80').verdict, 'denied');
});

test('endPort makes a range; protocol defaults to TCP and must match', () => {
  const range = policy('p', 'shop', '  podSelector: {}\n  ingress:\n    - ports:\n        - port: 8000\n          endPort: 8100\n');
  assert.equal(reach([...BASE, range], 'Deployment/shop/web', 'Deployment/shop/api', '8080').verdict, 'allowed');
  assert.equal(reach([...BASE, range], 'Deployment/shop/web', 'Deployment/shop/api', '8101').verdict, 'denied');
  assert.equal(reach([...BASE, range], 'Deployment/shop/web', 'Deployment/shop/api', '8080/UDP').verdict, 'denied');
  const udp = policy('p', 'shop', '  podSelector: {}\n  ingress:\n    - ports:\n        - protocol: UDP\n          port: 53\n');
  assert.equal(reach([...BASE, udp], 'Deployment/shop/web', 'Deployment/shop/api', '53/UDP').verdict, 'allowed');
  assert.equal(reach([...BASE, udp], 'Deployment/shop/web', 'Deployment/shop/api', '53').verdict, 'denied');
});

test('ipBlock: egress to an address checks cidr and except; pod traffic against a CIDR is unknown', () => {
  const p = policy('p', 'shop', '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', '10.2.3.4', '443').verdict, 'allowed');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', '10.1.3.4', '443').verdict, 'denied');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', '192.168.0.1', '443').verdict, 'denied');
  assert.equal(reach([...BASE, p], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'unknown');
  const any = policy('p', 'shop', '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n');
  assert.equal(reach([...BASE, any], 'Deployment/shop/web', 'Deployment/shop/api').verdict, 'allowed');
});

test('cidrContains handles IPv4, IPv6 and bad input', () => {
  assert.equal(cidrContains('10.0.0.0/8', '10.255.1.2'), true);
  assert.equal(cidrContains('10.0.0.0/8', '11.0.0.1'), false);
  assert.equal(cidrContains('0.0.0.0/0', '8.8.8.8'), true);
  assert.equal(cidrContains('2001:db8::/32', '2001:db8:1::5'), true);
  assert.equal(cidrContains('2001:db8::/32', '2001:db9::5'), false);
  assert.equal(cidrContains('10.0.0.0/8', '2001:db8::1'), false);
  assert.equal(cidrContains('10.0.0/8', '10.0.0.1'), undefined);
  assert.equal(cidrContains('10.0.0.0/33', '10.0.0.1'), undefined);
});

test('Service destination: port → targetPort → container port, evaluated per selected workload', () => {
  const deny = policy('deny', 'shop', '  podSelector: {}\n  policyTypes: [Ingress]\n');
  const r = reach([...BASE, SERVICE, deny], 'Deployment/shop/web', 'Service/shop/api', 'web');
  assert.equal(r.verdict, 'denied');
  assert.equal(r.targets.length, 1);
  assert.equal(r.targets[0]!.workload.id, 'Deployment/shop/api');
  assert.equal(r.targets[0]!.via!.targetPort, 'http');
  assert.deepEqual(r.targets[0]!.port, { number: 8080, name: 'http', protocol: 'TCP' });
  assert.ok(r.ingress!.isolatedBy[0]!.uri.endsWith('a.yaml'));
  // Plain JSON: survives a round trip.
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});

test('FROM/TO resolution: unknown names get suggestions; a Service port that does not exist is an error', () => {
  const { analyzer } = analyze({ 'a.yaml': yaml(...BASE, SERVICE) });
  const miss = resolveObject(analyzer.index, 'deploy/shop/webb', false);
  assert.ok('error' in miss);
  assert.deepEqual((miss as { suggestions: readonly string[] }).suggestions, ['Deployment/shop/web']);
  assert.ok('error' in resolveObject(analyzer.index, 'Service/shop/api', false));
  assert.ok('error' in resolveObject(analyzer.index, 'nonsense', true));
  const web = resolveObject(analyzer.index, 'Deployment/shop/web', false) as Workload;
  const api = resolveObject(analyzer.index, 'svc/shop/api', true) as Service;
  assert.ok('error' in canReach(analyzer, web, api, { port: 81 }));
});

test('graph: Service → workload edges into a default-denied pod are marked policy denied', () => {
  const deny = policy('deny', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n');
  const ingress = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
  namespace: shop
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 80
`;
  const { analyzer } = analyze({ 'a.yaml': yaml(...BASE, SERVICE, deny, ingress) });
  const g = buildGraph(analyzer);
  const selects = g.edges.find((e) => e.kind === 'selects' && e.to === 'Deployment/shop/api')!;
  assert.equal(selects.policy, 'denied');
  assert.match(selects.policyMessage!, /deny/);
  const routes = g.edges.find((e) => e.kind === 'routes' && e.to === 'Service/shop/api')!;
  assert.equal(routes.policy, 'denied');
  // An allow rule from the ingress controller's namespace is unknown (namespace not declared): not marked.
  const allow = policy('allow-ingress', 'shop', '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              name: ingress-nginx\n');
  const g2 = buildGraph(analyze({ 'a.yaml': yaml(...BASE, SERVICE, deny, ingress, allow) }).analyzer);
  assert.equal(g2.edges.find((e) => e.kind === 'routes' && e.to === 'Service/shop/api')!.policy, undefined);
  assert.equal(g2.edges.find((e) => e.kind === 'selects' && e.to === 'Deployment/shop/api')!.policy, undefined);
  // Without policies no edge carries the field (the JSON stays as before).
  const g3 = buildGraph(analyze({ 'a.yaml': yaml(...BASE, SERVICE, ingress) }).analyzer);
  assert.ok(g3.edges.every((e) => !('policy' in e)));
});
