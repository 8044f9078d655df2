import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, withCode, type TestFinding } from '../helpers/workspace';
import { hostnameIntersection } from '../../server/src/core/facts/match';
import { trace } from '../helpers/trace';

/**
 * Route attachment, checked (Gateway API: ParentReference, AllowedRoutes, hostname intersection;
 * conformance httproute-invalid-parentref-*, tcproute-invalid-non-tcp-listener,
 * httproute-disallowed-kind, httproute-hostname-intersection): a diagnostic on the parentRef with
 * the refusing listeners as related information, and trace says the same in the route's stop.
 */

function only(findings: readonly TestFinding[], code: string): TestFinding {
  const list = withCode(findings, code);
  assert.equal(list.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => `${f.code}: ${f.message}`))}`);
  return list[0]!;
}
const ATTACHMENT = new Set(['route-section-name-missing', 'route-parent-port-missing', 'route-kind-not-allowed', 'route-namespace-not-allowed',
  'route-hostname-mismatch', 'route-parent-service-missing', 'route-backend-kind-unknown']);
const codes = (findings: readonly TestFinding[]) => findings.map((f) => f.code).filter((c) => ATTACHMENT.has(c)).sort();

const gateway = (listeners: string, ns = 'infra') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: ${ns}
spec:
  gatewayClassName: envoy
  listeners:
${listeners}`;

const SVC = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
`;

function route(parent: string, o: { kind?: string; ns?: string; hostnames?: string } = {}): string {
  const kind = o.kind ?? 'HTTPRoute';
  return `apiVersion: gateway.networking.k8s.io/${kind === 'HTTPRoute' || kind === 'GRPCRoute' ? 'v1' : 'v1alpha2'}
kind: ${kind}
metadata:
  name: r
  namespace: ${o.ns ?? 'shop'}
spec:
  parentRefs:
    - ${parent}
${o.hostnames ? `  hostnames: [${o.hostnames}]\n` : ''}  rules:
    - backendRefs:
        - name: web
          port: 80
`;
}

const ALL = '      allowedRoutes: {namespaces: {from: All}}';
const HTTP = `    - name: http\n      protocol: HTTP\n      port: 80\n${ALL}\n`;
const HTTPS = `    - name: https\n      protocol: HTTPS\n      port: 443\n      hostname: "*.example.com"\n${ALL}\n`;

function check(gw: string, r: string, extra: Record<string, string> = {}) {
  const files = { 'gw.yaml': gw, 'r.yaml': r, 'svc.yaml': SVC, ...extra };
  return { files, ...analyze(files) };
}

test('route-section-name-missing: a sectionName no listener has; on its value, the listeners as related', () => {
  const { files, findings } = check(gateway(HTTP + HTTPS), route('{name: gw, namespace: infra, sectionName: htps}'));
  const f = only(findings, 'route-section-name-missing');
  assert.equal(f.severity, 'warning');
  assert.equal(covered(files, f), 'htps');
  assert.match(f.message, /names listener `htps` of Gateway `infra\/gw`, which has no such listener \(it has `http`, `https`\)/);
  assert.deepEqual(f.related.map((x) => [x.uri.endsWith('gw.yaml'), x.range.start.line]), [[true, 8], [true, 12]]);
  assert.deepEqual(codes(check(gateway(HTTP + HTTPS), route('{name: gw, namespace: infra, sectionName: https}')).findings), []);
});

test('route-parent-port-missing: a port no listener has, or not the named listener\'s', () => {
  const { files, findings } = check(gateway(HTTP + HTTPS), route('{name: gw, namespace: infra, port: 8080}'));
  const f = only(findings, 'route-parent-port-missing');
  assert.equal(covered(files, f), '8080');
  assert.match(f.message, /port 8080 of Gateway `infra\/gw`, which has no listener on that port \(ports: 80, 443\)/);
  // sectionName and port must both match (httproute-invalid-parentref-section-name-not-matching-port).
  const both = only(check(gateway(HTTP + HTTPS), route('{name: gw, namespace: infra, sectionName: http, port: 81}')).findings, 'route-parent-port-missing');
  assert.match(both.message, /listener `http` .* on port 81, but that listener listens on 80/);
  assert.deepEqual(codes(check(gateway(HTTP + HTTPS), route('{name: gw, namespace: infra, port: 443}')).findings), []);
});

test('route-kind-not-allowed: allowedRoutes.kinds, and the kinds of the listener protocol', () => {
  const onlyGrpc = `    - name: http\n      protocol: HTTP\n      port: 80\n      allowedRoutes:\n        namespaces: {from: All}\n        kinds: [{kind: GRPCRoute}]\n`;
  const f = only(check(gateway(onlyGrpc), route('{name: gw, namespace: infra}')).findings, 'route-kind-not-allowed');
  assert.match(f.message, /its allowedRoutes\.kinds lists GRPCRoute, not HTTPRoute \(Accepted: False, NotAllowedByListeners\)/);
  // A TCPRoute on an HTTP listener (tcproute-invalid-non-tcp-listener): the protocol's kinds.
  const tcp = only(check(gateway(HTTP), route('{name: gw, namespace: infra, sectionName: http}', { kind: 'TCPRoute' })).findings, 'route-kind-not-allowed');
  assert.match(tcp.message, /a HTTP listener takes HTTPRoute and GRPCRoute, not TCPRoute/);
  // TLS passthrough takes TLSRoute only; a terminating TLS listener also TCPRoute; UDP takes UDPRoute.
  const tls = (mode: string) => gateway(`    - name: tls\n      protocol: TLS\n      port: 443\n      tls: {mode: ${mode}}\n${ALL}\n`);
  assert.deepEqual(codes(check(tls('Passthrough'), route('{name: gw, namespace: infra}', { kind: 'TCPRoute' })).findings), ['route-kind-not-allowed']);
  assert.deepEqual(codes(check(tls('Terminate'), route('{name: gw, namespace: infra}', { kind: 'TCPRoute' })).findings), []);
  assert.deepEqual(codes(check(tls('Passthrough'), route('{name: gw, namespace: infra}', { kind: 'TLSRoute', hostnames: 'a.example.com' })).findings), []);
  // One listener of two taking the route is enough (ParentReference: attached when any listener accepts).
  const mixed = gateway(HTTP + `    - name: pg\n      protocol: TCP\n      port: 5432\n${ALL}\n`);
  assert.deepEqual(codes(check(mixed, route('{name: gw, namespace: infra}', { kind: 'TCPRoute' })).findings), []);
  // A protocol the spec does not define: the implementation decides, nothing is reported.
  assert.deepEqual(codes(check(gateway(`    - name: x\n      protocol: example.com/custom\n      port: 80\n${ALL}\n`), route('{name: gw, namespace: infra}')).findings), []);
});

test('route-namespace-not-allowed: Same (the default), All, and a Selector over the Namespace manifests', () => {
  const same = `    - name: http\n      protocol: HTTP\n      port: 80\n`;
  const f = only(check(gateway(same), route('{name: gw, namespace: infra}')).findings, 'route-namespace-not-allowed');
  assert.match(f.message, /takes routes from its own namespace `infra` only \(allowedRoutes\.namespaces\.from: Same, the default\), and the route is in `shop`/);
  assert.equal(f.related.length, 1);
  assert.deepEqual(codes(check(gateway(same), route('{name: gw}', { ns: 'infra' })).findings), []);
  assert.deepEqual(codes(check(gateway(HTTP), route('{name: gw, namespace: infra}')).findings), []);

  const selector = (sel: string) => gateway(`    - name: http\n      protocol: HTTP\n      port: 80\n      allowedRoutes:\n        namespaces:\n          from: Selector\n          selector: ${sel}\n`);
  const nsManifest = (labels: string) => ({ 'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: ${labels}\n` });
  // Decided by the Namespace manifest's labels.
  assert.deepEqual(codes(check(selector('{matchLabels: {gateway: shared}}'), route('{name: gw, namespace: infra}'), nsManifest('{gateway: shared}')).findings), []);
  const refused = only(check(selector('{matchLabels: {gateway: shared}}'), route('{name: gw, namespace: infra}'), nsManifest('{team: x}')).findings, 'route-namespace-not-allowed');
  assert.match(refused.message, /its allowedRoutes selector `gateway=shared` does not select namespace `shop`/);
  // Decided by kubernetes.io/metadata.name alone, without a Namespace manifest.
  const byName = (v: string) => selector(`{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [${v}]}]}`);
  assert.deepEqual(codes(check(byName('shop, web'), route('{name: gw, namespace: infra}')).findings), []);
  assert.deepEqual(codes(check(byName('web'), route('{name: gw, namespace: infra}')).findings), ['route-namespace-not-allowed']);
  // Neither decides: no finding (unknown), and trace says it assumed the route attaches.
  const unknown = check(selector('{matchLabels: {gateway: shared}}'), route('{name: gw, namespace: infra}'));
  assert.deepEqual(codes(unknown.findings), []);
  const t = trace(unknown.files, 'http://x.org/');
  assert.ok(t.notes.some((n) => /Whether listener http takes HTTPRoute shop\/r is unknown \(.*namespace `shop` is not declared in the workspace.*\); trace assumes it does/.test(n)), t.notes.join('\n'));
});

test('route-hostname-mismatch: hostnames that intersect no listener\'s (httproute-hostname-intersection)', () => {
  const exact = `    - name: https\n      protocol: HTTPS\n      port: 443\n      hostname: www.example.com\n${ALL}\n`;
  const f = only(check(gateway(exact), route('{name: gw, namespace: infra}', { hostnames: 'svc.example.com' })).findings, 'route-hostname-mismatch');
  assert.match(f.message, /its hostname www\.example\.com and the route's hostnames svc\.example\.com do not intersect \(Accepted: False, NoMatchingListenerHostname\)/);
  assert.deepEqual(codes(check(gateway(exact), route('{name: gw, namespace: infra}', { hostnames: '"*.example.com"' })).findings), []);
  assert.deepEqual(codes(check(gateway(HTTPS), route('{name: gw, namespace: infra}', { hostnames: 'a.b.example.com' })).findings), []);
  assert.deepEqual(codes(check(gateway(HTTPS), route('{name: gw, namespace: infra}', { hostnames: 'example.com' })).findings), ['route-hostname-mismatch']);
  // TCP listeners have no host names: nothing to intersect.
  assert.deepEqual(codes(check(gateway(`    - name: tls\n      protocol: TLS\n      port: 443\n      hostname: a.example.com\n      tls: {mode: Passthrough}\n${ALL}\n`), route('{name: gw, namespace: infra}', { kind: 'TLSRoute', hostnames: 'b.example.com' })).findings), ['route-hostname-mismatch']);
});

test('the cascade: when listeners refuse for different reasons, the first reason all of them share', () => {
  const gw = gateway(`    - name: http\n      protocol: HTTP\n      port: 80\n      allowedRoutes: {kinds: [{kind: GRPCRoute}], namespaces: {from: All}}\n    - name: https\n      protocol: HTTPS\n      port: 443\n`);
  const f = only(check(gw, route('{name: gw, namespace: infra}')).findings, 'route-namespace-not-allowed');
  assert.match(f.message, /listener `http` \(HTTP 80\): its allowedRoutes\.kinds lists GRPCRoute, not HTTPRoute; listener `https` \(HTTPS 443\): it takes routes from its own namespace/);
  assert.equal(f.related.length, 2);
});

test('several Gateways of one name in scope: one that takes the route satisfies the reference', () => {
  const a = gateway(HTTP).replace('  namespace: infra\n', '');
  const b = gateway(`    - name: tls\n      protocol: TLS\n      port: 443\n${ALL}\n`).replace('  namespace: infra\n', '');
  const { findings } = check(b, route('{name: gw}'), { 'other/gw.yaml': a });
  assert.deepEqual(codes(findings), []);
  // Only the TLS one: the HTTPRoute cannot attach.
  assert.deepEqual(codes(check(b, route('{name: gw}')).findings), ['route-kind-not-allowed']);
});

test('trace says the same as check, in the refused route\'s own stop', () => {
  const { files } = check(gateway(`    - name: http\n      protocol: HTTP\n      port: 80\n`), route('{name: gw, namespace: infra}'));
  const t = trace(files, 'http://x.org/');
  assert.equal(t.stop?.reason, 'route-namespace-not-allowed');
  assert.equal(t.stop?.status, '404');
  assert.equal(t.stop?.uri, 'file:///ws/r.yaml');
  assert.equal(t.stop?.range?.start.line, 7); // the parentRef's name
});

test('mesh parents: route-parent-service-missing, and a port or sectionName the Service lacks', () => {
  const mesh = (p: string) => route(`{group: "", kind: Service, name: ${p}}`);
  const missing = only(analyze({ 'r.yaml': mesh('gone'), 'svc.yaml': SVC }).findings, 'route-parent-service-missing');
  assert.equal(missing.severity, 'information');
  assert.match(missing.message, /mesh route \(GAMMA\) of Service `gone` in namespace `shop`, which is not in the workspace/);
  assert.deepEqual(codes(analyze({ 'r.yaml': mesh('web'), 'svc.yaml': SVC }).findings), []);
  assert.deepEqual(codes(analyze({ 'r.yaml': mesh('web, port: 8080'), 'svc.yaml': SVC }).findings), ['route-parent-port-missing']);
  assert.deepEqual(codes(analyze({ 'r.yaml': mesh('web, sectionName: grpc'), 'svc.yaml': SVC }).findings), ['route-section-name-missing']);
  assert.deepEqual(codes(analyze({ 'r.yaml': mesh('web, sectionName: http, port: 80'), 'svc.yaml': SVC }).findings), []);
});

test('route-backend-kind-unknown: not a Service nor a known kind (500); known kinds and zero weights are fine', () => {
  const r = (ref: string) => route('{name: gw, namespace: infra}').replace('        - name: web\n          port: 80\n', ref);
  const unknown = check(gateway(HTTP), r('        - {group: unknownkind.example.com, kind: NonExistent, name: web, port: 8080}\n'));
  const f = only(unknown.findings, 'route-backend-kind-unknown');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /is a NonExistent \(group `unknownkind\.example\.com`\), which is neither a Service nor a backend kind Kube Traffic knows; .* answers 500/);
  const t = trace(unknown.files, 'http://x.org/');
  assert.equal(t.stop?.reason, 'backend-kind-unknown');
  assert.equal(t.status, '500');
  // A known implementation-specific backend: not traced, and not an error.
  const known = check(gateway(HTTP), r('        - {group: multicluster.x-k8s.io, kind: ServiceImport, name: web, port: 80}\n'));
  assert.deepEqual(codes(known.findings), []);
  assert.equal(trace(known.files, 'http://x.org/').status, 'unknown');
  // An object of that kind in the workspace makes it known.
  const crd = { 'crd.yaml': 'apiVersion: acme.io/v1\nkind: CustomBackend\nmetadata: {name: web, namespace: shop}\n' };
  assert.deepEqual(codes(check(gateway(HTTP), r('        - {group: acme.io, kind: CustomBackend, name: web}\n'), crd).findings), []);
  assert.deepEqual(codes(check(gateway(HTTP), r('        - {group: acme.io, kind: CustomBackend, name: web}\n')).findings), ['route-backend-kind-unknown']);
  // Weight 0 is not an error.
  assert.deepEqual(codes(check(gateway(HTTP), r('        - {name: web, port: 80, weight: 0}\n')).findings), []);
});

test('hostname intersection, as the spec\'s table has it', () => {
  const rows: [string | undefined, string | undefined, string | undefined][] = [
    ['www.example.com', 'www.example.com', 'www.example.com'], ['*.example.com', 'www.example.com', 'www.example.com'],
    ['*.example.com', 'sub.domain.example.com', 'sub.domain.example.com'], ['www.example.com', '*.example.com', 'www.example.com'],
    ['sub.domain.example.com', '*.example.com', 'sub.domain.example.com'], ['*.example.com', '*.example.com', '*.example.com'],
    ['*.com', '*.example.com', '*.example.com'], [undefined, 'www.example.com', 'www.example.com'], [undefined, undefined, '*'],
    ['www.example.com', 'svc.example.com', undefined], ['*.example.com', 'example.com', undefined], ['*.example.com', '*.example.org', undefined],
  ];
  for (const [l, r, want] of rows) assert.equal(hostnameIntersection(l, r), want, `${l} ∩ ${r}`);
});
