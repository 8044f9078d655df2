import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';
import { branches, firstPath, trace } from '../helpers/trace';

const app = (name: string, ns = 'shop'): string => yaml(...fixtures.app(name, { ns }));

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners:
    - {name: http, protocol: HTTP, port: 80}
    - {name: https, protocol: HTTPS, port: 443, hostname: "*.example.com"}
    - {name: api, protocol: HTTPS, port: 443, hostname: "api.example.com"}
`;

/** An HTTPRoute in `shop` on Gateway gw with the given rules (YAML, indented under `rules:`). */
function route(name: string, rules: string, extra = ''): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop}
spec:
  parentRefs: [{name: gw}]${extra}
  rules:
${rules}`;
}
const rule = (match: string, svc: string) => `    - matches: [${match}]\n      backendRefs: [{name: ${svc}, port: 80}]\n`;

const APPS = { 'apps.yaml': yaml(app('a'), app('b'), app('c'), app('d')), 'gw.yaml': GATEWAY };
function serviceOf(files: Record<string, string>, url: string, opts = {}): string | undefined {
  return firstPath(trace(files, url, opts)).find((s) => s.hop.type === 'Service')?.hop.name;
}

test('Gateway: listener chosen by port and protocol; most specific hostname wins', () => {
  const files = { ...APPS, 'r.yaml': route('r', rule('{path: {type: PathPrefix, value: /}}', 'a')) };
  const r = trace(files, 'https://api.example.com/');
  assert.equal(r.entries[0]!.hop.listener?.name, 'api');
  assert.equal(trace(files, 'https://shop.example.com/').entries[0]!.hop.listener?.name, 'https');
  // Gateway API wildcards match several labels.
  assert.equal(trace(files, 'https://a.b.example.com/').entries[0]!.hop.listener?.name, 'https');
  assert.equal(trace(files, 'http://anything.org/').entries[0]!.hop.listener?.name, 'http');
  const none = trace(files, 'https://example.com/');
  assert.equal(none.outcome, 'stopped');
  assert.equal(none.stop?.reason, 'no-entry');
  assert.equal(trace(files, 'http://x.org:8080/').stop?.reason, 'no-entry');
});

test('Gateway: parentRef sectionName and port restrict the listeners a route attaches to', () => {
  const files = { ...APPS, 'r.yaml': route('r', rule('{path: {value: /}}', 'a')).replace('[{name: gw}]', '[{name: gw, sectionName: https}]') };
  assert.equal(trace(files, 'https://shop.example.com/').outcome, 'reached');
  const http = trace(files, 'http://shop.example.com/');
  assert.equal(http.stop?.reason, 'no-route-matches');
  const byPort = { ...APPS, 'r.yaml': route('r', rule('{path: {value: /}}', 'a')).replace('[{name: gw}]', '[{name: gw, port: 80}]') };
  assert.equal(trace(byPort, 'http://shop.example.com/').outcome, 'reached');
  assert.equal(trace(byPort, 'https://shop.example.com/').outcome, 'stopped');
});

test('Gateway: route hostnames must match; the more specific route hostname wins', () => {
  const files = { ...APPS, 'r.yaml': yaml(
    route('wild', rule('{path: {value: /}}', 'a'), '\n  hostnames: ["*.example.com"]'),
    route('exact', rule('{path: {value: /}}', 'b'), '\n  hostnames: [shop.example.com]'),
  ) };
  assert.equal(serviceOf(files, 'https://shop.example.com/'), 'b');
  assert.equal(serviceOf(files, 'https://blog.example.com/'), 'a');
  // other.org intersects no hostname of listener https (*.example.com): the route does not attach there.
  const other = { ...APPS, 'r.yaml': route('r', rule('{path: {value: /}}', 'a'), '\n  hostnames: [other.org]') };
  const r = trace(other, 'https://shop.example.com/');
  assert.equal(r.stop?.reason, 'no-route-matches');
  assert.equal(r.status, '404');
  assert.match(r.stop!.rule, /not taken: r: its hostname \*\.example\.com and the route's hostnames other\.org do not intersect/);
  // On the listener without hostname it attaches, and the request for another host does not match it.
  const plain = trace(other, 'http://shop.example.com/');
  assert.equal(plain.stop?.reason, 'no-route-matches');
  assert.match(plain.stop!.rule, /hostnames other\.org do not match shop\.example\.com/);
});

test('Gateway: Exact path beats the longest PathPrefix, which beats shorter ones', () => {
  const files = { ...APPS, 'r.yaml': route('r',
    rule('{path: {type: PathPrefix, value: /}}', 'a')
    + rule('{path: {type: PathPrefix, value: /api}}', 'b')
    + rule('{path: {type: Exact, value: /api}}', 'c')) };
  assert.equal(serviceOf(files, 'http://x.org/api'), 'c');
  assert.equal(serviceOf(files, 'http://x.org/api/v1'), 'b');
  assert.equal(serviceOf(files, 'http://x.org/apiv1'), 'a');
  assert.equal(serviceOf(files, 'http://x.org/'), 'a');
});

test('Gateway: Exact beats PathPrefix of the same value', () => {
  const files = { ...APPS, 'r.yaml': route('r',
    rule('{path: {type: PathPrefix, value: /a/very/long/prefix}}', 'a') + rule('{path: {type: Exact, value: /a/very/long/prefix}}', 'b')) };
  assert.equal(serviceOf(files, 'http://x.org/a/very/long/prefix'), 'b');
});

test('Gateway: method, then number of header matches, then query matches break ties', () => {
  const files = { ...APPS, 'r.yaml': route('r',
    rule('{path: {value: /}}', 'a')
    + rule('{path: {value: /}, headers: [{name: x-env, value: canary}]}', 'b')
    + rule('{path: {value: /}, method: POST}', 'c')
    + rule('{path: {value: /}, queryParams: [{name: v, value: "2"}]}', 'd')) };
  assert.equal(serviceOf(files, 'http://x.org/'), 'a');
  assert.equal(serviceOf(files, 'http://x.org/', { headers: [{ name: 'X-Env', value: 'canary' }] }), 'b'); // names case-insensitive
  assert.equal(serviceOf(files, 'http://x.org/', { method: 'POST', headers: [{ name: 'x-env', value: 'canary' }] }), 'c');
  assert.equal(serviceOf(files, 'http://x.org/?v=2'), 'd');
  assert.equal(serviceOf(files, 'http://x.org/?v=2', { headers: [{ name: 'x-env', value: 'canary' }] }), 'b');
  assert.equal(serviceOf(files, 'http://x.org/?V=2'), 'a'); // query names are case-sensitive
});

test('Gateway: conditions of one match are ANDed, matches of a rule ORed', () => {
  const files = { ...APPS, 'r.yaml': route('r',
    '    - matches: [{path: {value: /x}, headers: [{name: h, value: "1"}]}, {path: {value: /y}}]\n      backendRefs: [{name: b, port: 80}]\n') };
  assert.equal(trace(files, 'http://x.org/x').outcome, 'stopped');
  assert.equal(serviceOf(files, 'http://x.org/x', { headers: [{ name: 'h', value: '1' }] }), 'b');
  assert.equal(serviceOf(files, 'http://x.org/y'), 'b');
});

test('Gateway: RegularExpression paths and headers', () => {
  const files = { ...APPS, 'r.yaml': route('r',
    rule('{path: {type: RegularExpression, value: "/v[0-9]+/.*"}}', 'a')
    + rule('{path: {value: /}, headers: [{type: RegularExpression, name: ua, value: ".*bot.*"}]}', 'b')) };
  assert.equal(serviceOf(files, 'http://x.org/v2/items'), 'a');
  assert.equal(trace(files, 'http://x.org/vx/items').outcome, 'stopped');
  assert.equal(serviceOf(files, 'http://x.org/z', { headers: [{ name: 'ua', value: 'googlebot/2' }] }), 'b');
});

test('Gateway: a rule without matches matches everything (PathPrefix /)', () => {
  const files = { ...APPS, 'r.yaml': route('r', '    - backendRefs: [{name: a, port: 80}]\n') };
  const r = trace(files, 'http://x.org/deep/path');
  assert.equal(r.outcome, 'reached');
  assert.match(firstPath(r)[1]!.hop.decision, /no matches/);
});

test('Gateway: ties across routes go to the first by namespace/name (creation time unknown)', () => {
  const files = { ...APPS, 'r.yaml': yaml(route('zeta', rule('{path: {value: /}}', 'a')), route('alpha', rule('{path: {value: /}}', 'b'))) };
  const r = trace(files, 'http://x.org/');
  assert.equal(serviceOf(files, 'http://x.org/'), 'b');
  assert.ok(r.notes.some((n) => /alphabetical/.test(n)));
});

test('Gateway: weighted backendRefs become percentages; weight 0 gets no traffic and is not an error', () => {
  const files = { ...APPS, 'r.yaml': route('r', `    - backendRefs:
        - {name: a, port: 80, weight: 80}
        - {name: b, port: 80, weight: 20}
        - {name: c, port: 80, weight: 0}
`) };
  const r = trace(files, 'http://x.org/');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), [
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/a 80% > Deployment/shop/a',
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/b 20% > Deployment/shop/b',
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/c 0% > Deployment/shop/c',
  ]);
  const zero = r.entries[0]!.next[0]!.next[2]!;
  assert.equal(zero.stop, undefined);
  assert.match(zero.hop.decision, /weight 0: receives no traffic/);
  // A zero-weight backend neither reaches nor stops the request: with only it, nothing is reached.
  const onlyZero = trace({ ...APPS, 'r.yaml': route('r', '    - backendRefs: [{name: a, port: 80, weight: 0}, {name: gone, port: 80}]\n') }, 'http://x.org/');
  assert.equal(onlyZero.outcome, 'stopped');
  assert.equal(onlyZero.stop?.reason, 'service-missing');
  assert.equal(onlyZero.status, '500');
  // Every weight 0: nothing is forwarded, a 500 on the route, the branches still shown.
  const allZero = trace({ ...APPS, 'r.yaml': route('r', '    - backendRefs: [{name: a, port: 80, weight: 0}]\n') }, 'http://x.org/');
  assert.deepEqual([allZero.outcome, allZero.stop?.reason, allZero.status], ['stopped', 'all-weights-zero', '500']);
  assert.deepEqual(branches(allZero), ['Gateway/shop/gw > HTTPRoute/shop/r > ! all-weights-zero', 'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/a 0% > Deployment/shop/a']);
  const unweighted = { ...APPS, 'r.yaml': route('r', '    - backendRefs: [{name: a, port: 80}, {name: b, port: 80}, {name: c, port: 80}]\n') };
  assert.deepEqual(trace(unweighted, 'http://x.org/').entries[0]!.next[0]!.next.map((s) => s.hop.weightPercent), [33.3, 33.3, 33.3]);
});

const CROSS = {
  'apps.yaml': app('pay', 'payments'),
  'gw.yaml': GATEWAY,
  'r.yaml': route('r', '    - backendRefs: [{name: pay, namespace: payments, port: 80}]\n'),
};
const GRANT = (fromNs: string, name = '') => `
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: g, namespace: payments}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${fromNs}}]
  to: [{group: "", kind: Service${name ? `, name: ${name}` : ''}}]
`;

test('Gateway: a cross-namespace backendRef needs a ReferenceGrant in the target namespace', () => {
  const denied = trace(CROSS, 'http://x.org/');
  assert.equal(denied.outcome, 'stopped');
  assert.equal(denied.stop?.reason, 'reference-not-granted');
  assert.match(denied.stop!.rule, /payments/);
  assert.equal(trace({ ...CROSS, 'g.yaml': GRANT('shop') }, 'http://x.org/').outcome, 'reached');
  assert.equal(trace({ ...CROSS, 'g.yaml': GRANT('shop', 'pay') }, 'http://x.org/').outcome, 'reached');
  assert.equal(trace({ ...CROSS, 'g.yaml': GRANT('shop', 'other') }, 'http://x.org/').outcome, 'stopped');
  assert.equal(trace({ ...CROSS, 'g.yaml': GRANT('elsewhere') }, 'http://x.org/').outcome, 'stopped');
});

test('Gateway: allowedRoutes defaults to Same namespace', () => {
  const files = { ...APPS, 'r.yaml': route('r', rule('{path: {value: /}}', 'a')).replace('[{name: gw}]', '[{name: gw, namespace: shop}]').replace('namespace: shop}\nspec', 'namespace: other}\nspec') };
  const r = trace(files, 'http://x.org/');
  assert.equal(r.outcome, 'stopped');
  // The refused route says why in its own stop.
  assert.deepEqual(branches(r), ['Gateway/shop/gw > HTTPRoute/other/r > ! route-namespace-not-allowed']);
  assert.equal(r.stop?.status, '404');
  assert.match(r.stop!.rule, /takes routes from its own namespace shop only \(allowedRoutes\.namespaces\.from: Same, the default\), and the route is in other/);
  assert.equal(r.stop?.uri, 'file:///ws/r.yaml');
});

test('Gateway: a rule without backendRefs stops with 500', () => {
  const files = { ...APPS, 'r.yaml': route('r', '    - matches: [{path: {value: /}}]\n') };
  const r = trace(files, 'http://x.org/');
  assert.equal(r.stop?.reason, 'no-backends');
});

test('Gateway: trace edges follow the topology graph (route attaches to gateway)', () => {
  const files = { ...APPS, 'r.yaml': route('r', rule('{path: {value: /}}', 'a')) };
  const r = trace(files, 'http://x.org/');
  assert.deepEqual(r.edges, [
    { from: 'Entry/internet', to: 'Gateway/shop/gw', kind: 'enters' },
    { from: 'HTTPRoute/shop/r', to: 'Gateway/shop/gw', kind: 'attaches' },
    { from: 'HTTPRoute/shop/r', to: 'Service/shop/a', kind: 'routes' },
    { from: 'Service/shop/a', to: 'Deployment/shop/a', kind: 'selects' },
  ]);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r); // plain data
});
