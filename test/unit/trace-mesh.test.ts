import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, yaml, WS } from '../helpers/workspace';
import { branches, trace } from '../helpers/trace';
import { hover } from '../../server/src/core/features/hover';
import { buildGraph } from '../../server/src/core/features/graph';
import { references } from '../../server/src/core/features/navigation';

/**
 * GAMMA mesh routes (GEP-1294 and the mesh conformance tests): a route whose parentRef is a Service
 * takes over in-cluster traffic to it; producer routes for every client, consumer routes for the
 * clients of their namespace.
 */

function app(name: string, ns = 'app'): string {
  return yaml(`
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 8080, targetPort: 9090}]
`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, ports: [{containerPort: 8080}, {containerPort: 9090}]}]
`);
}

function meshRoute(name: string, ns: string, parent: string, rules: string, kind = 'HTTPRoute'): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}, namespace: ${ns}}
spec:
  parentRefs: [${parent}]
  rules:
${rules}`;
}

const APPS = yaml(app('echo'), app('echo-v2'));
const PRODUCER = meshRoute('split', 'app', '{group: "", kind: Service, name: echo, port: 80}', `    - matches: [{path: {type: PathPrefix, value: /v2}}]
      backendRefs: [{name: echo-v2, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /v1}}]
      backendRefs: [{name: echo, port: 80}]
`);

test('a producer route takes over in-cluster traffic to its Service: /v2 goes where the route says', () => {
  const files = { 'apps.yaml': APPS, 'mesh.yaml': PRODUCER };
  const r = trace(files, 'http://echo.app/v2/x');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), ['Service/app/echo > HTTPRoute/app/split > Service/app/echo-v2 > Deployment/app/echo-v2']);
  assert.equal(r.entries[0]!.next[0]!.hop.mesh, 'producer');
  assert.match(r.entries[0]!.hop.decision, /mesh \(GAMMA\): on port 80 \(http\), HTTPRoute split \(producer route\) decides/);
  // The route's backend is the Service backend: the route is not applied twice.
  assert.deepEqual(branches(trace(files, 'http://echo.app/v1')), ['Service/app/echo > HTTPRoute/app/split > Service/app/echo > Deployment/app/echo']);
  // The trace lights the route as attached to the Service (the graph's edge direction).
  assert.ok(r.edges.some((e) => e.from === 'HTTPRoute/app/split' && e.to === 'Service/app/echo' && e.kind === 'attaches'));
});

test('a request that matches none of the Service\'s routes is rejected (404)', () => {
  const r = trace({ 'apps.yaml': APPS, 'mesh.yaml': PRODUCER }, 'http://echo.app/other');
  assert.equal(r.outcome, 'stopped');
  assert.equal(r.stop?.reason, 'mesh-no-route-matches');
  assert.equal(r.status, '404');
  assert.deepEqual(branches(r), ['Service/app/echo > ! mesh-no-route-matches']);
});

test('parentRef port: only that Service port; another port is plain Service traffic (mesh-ports)', () => {
  const r = trace({ 'apps.yaml': APPS, 'mesh.yaml': PRODUCER }, 'http://echo.app:8080/other');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), ['Service/app/echo > Deployment/app/echo']);
  // sectionName names a port by name.
  const byName = PRODUCER.replace('port: 80}', 'sectionName: admin}');
  assert.equal(trace({ 'apps.yaml': APPS, 'mesh.yaml': byName }, 'http://echo.app:8080/other').stop?.reason, 'mesh-no-route-matches');
  assert.equal(trace({ 'apps.yaml': APPS, 'mesh.yaml': byName }, 'http://echo.app/other').outcome, 'reached');
  // Without port or sectionName: every port.
  const all = PRODUCER.replace(', port: 80}', '}');
  assert.equal(trace({ 'apps.yaml': APPS, 'mesh.yaml': all }, 'http://echo.app:8080/other').stop?.reason, 'mesh-no-route-matches');
});

const CONSUMER = meshRoute('fast', 'client', '{group: core, kind: Service, name: echo, namespace: app}', `    - backendRefs: [{name: echo-v2, namespace: app, port: 80}]
`);

test('a consumer route applies to clients of its namespace only (mesh-consumer-route), and needs no ReferenceGrant', () => {
  const files = { 'apps.yaml': APPS, 'mesh.yaml': yaml(PRODUCER, CONSUMER) };
  const fromClient = trace(files, 'http://echo.app/other', { namespace: 'client' });
  assert.equal(fromClient.outcome, 'reached');
  assert.deepEqual(branches(fromClient), ['Service/app/echo > HTTPRoute/client/fast > Service/app/echo-v2 > Deployment/app/echo-v2']);
  assert.equal(fromClient.entries[0]!.next[0]!.hop.mesh, 'consumer');
  // Another namespace gets the producer route.
  const fromElsewhere = trace(files, 'http://echo.app/other', { namespace: 'other' });
  assert.equal(fromElsewhere.stop?.reason, 'mesh-no-route-matches');
  assert.ok(fromElsewhere.notes.some((n) => /Consumer routes HTTPRoute client\/fast of Service echo apply to clients of their own namespaces, not to other/.test(n)));
  // No client namespace given: the producer route, and a note saying how to trace as the consumer.
  const unknown = trace(files, 'http://echo.app/other');
  assert.equal(unknown.stop?.reason, 'mesh-no-route-matches');
  assert.ok(unknown.notes.some((n) => /give -n NAMESPACE/.test(n)));
  // Only a consumer route, and the client elsewhere: plain Service traffic.
  assert.deepEqual(branches(trace({ 'apps.yaml': APPS, 'mesh.yaml': CONSUMER }, 'http://echo.app/x', { namespace: 'other' })), ['Service/app/echo > Deployment/app/echo']);
});

test('route kinds on one Service port: GRPCRoute, then HTTPRoute, then TCPRoute (a byte stream an HTTP request also is)', () => {
  const grpc = meshRoute('rpc', 'app', '{group: "", kind: Service, name: echo}', '    - matches: [{method: {service: echo.Echo}}]\n      backendRefs: [{name: echo-v2, port: 80}]\n', 'GRPCRoute');
  const r = trace({ 'apps.yaml': APPS, 'mesh.yaml': yaml(PRODUCER, grpc) }, 'http://echo.app/v2');
  assert.equal(r.stop?.reason, 'mesh-no-route-matches'); // the GRPCRoute decides, the HTTPRoute is Conflicted
  assert.ok(r.notes.some((n) => /HTTPRoute app\/split is ignored on port 80 of Service echo: a more specific route kind attaches there/.test(n)), r.notes.join('\n'));
  assert.equal(trace({ 'apps.yaml': APPS, 'mesh.yaml': yaml(PRODUCER, grpc) }, 'http://echo.app/echo.Echo/Say', { method: 'POST' }).outcome, 'reached');
  const tcp = meshRoute('stream', 'app', '{group: "", kind: Service, name: echo, port: 80}', '    - backendRefs: [{name: echo-v2, port: 80}]\n', 'TCPRoute')
    .replace('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2');
  assert.deepEqual(branches(trace({ 'apps.yaml': APPS, 'mesh.yaml': tcp }, 'http://echo.app/anything')), ['Service/app/echo > TCPRoute/app/stream > Service/app/echo-v2 > Deployment/app/echo-v2']);
  assert.deepEqual(branches(trace({ 'apps.yaml': APPS, 'mesh.yaml': tcp }, 'tcp://echo.app:80')), ['Service/app/echo > TCPRoute/app/stream > Service/app/echo-v2 > Deployment/app/echo-v2']);
  // With the HTTPRoute on the same port, the HTTPRoute decides and the TCPRoute is Conflicted.
  const both = trace({ 'apps.yaml': APPS, 'mesh.yaml': yaml(PRODUCER, tcp) }, 'http://echo.app/other');
  assert.equal(both.stop?.reason, 'mesh-no-route-matches');
  assert.ok(both.notes.some((n) => /TCPRoute app\/stream is ignored/.test(n)));
});

test('Gateway → Service with mesh routes: trace sends to the Service backend and says what it assumes', () => {
  const gw = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: app}
spec: {listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: edge, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: echo, port: 80}]}]
`;
  const r = trace({ 'apps.yaml': APPS, 'mesh.yaml': PRODUCER, 'gw.yaml': gw }, 'http://shop.example.com/other');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), ['Gateway/app/gw > HTTPRoute/app/edge > Service/app/echo > Deployment/app/echo']);
  assert.ok(r.notes.some((n) => /Service echo has mesh routes \(GAMMA\)\. Trace assumes the Gateway sends to the Service's endpoints/.test(n)), r.notes.join('\n'));
});

test('hover on the Service lists its mesh routes; the graph and references see them', () => {
  const files = { 'apps.yaml': APPS, 'mesh.yaml': yaml(PRODUCER, CONSUMER) };
  const { analyzer } = analyze(files);
  const md = hover(analyzer, WS + 'apps.yaml', { line: 2, character: 18 })?.contents ?? '';
  assert.match(md, /Mesh routes \(GAMMA\)/);
  assert.match(md, /HTTPRoute `app\/split`, port `80`: producer route, for every client/);
  assert.match(md, /HTTPRoute `client\/fast`, every port: consumer route, for clients in `client`/);
  // References on the Service's name: the mesh routes' parentRefs (lines 4 and 15), besides the backendRef (line 9).
  const refs = references(analyzer, WS + 'apps.yaml', { line: 2, character: 18 }, false);
  assert.deepEqual(refs.map((l) => `${l.uri.slice(WS.length)}:${l.range.start.line}`).filter((x) => x.startsWith('mesh')).sort(), ['mesh.yaml:15', 'mesh.yaml:4', 'mesh.yaml:9']);
  const g = buildGraph(analyzer);
  const attaches = g.edges.filter((e) => e.kind === 'attaches').map((e) => [e.from, e.to, e.label, e.broken]);
  assert.deepEqual(attaches, [
    ['HTTPRoute/app/split', 'Service/app/echo', 'mesh port 80 (producer)', false],
    ['HTTPRoute/client/fast', 'Service/app/echo', 'mesh (consumer: clients in client)', false],
  ]);
  // A mesh route names no Gateway: no route-gateway-missing for it, no ReferenceGrant finding.
  assert.deepEqual(analyze(files).findings.map((f) => f.code), []);
});
