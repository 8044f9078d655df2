import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, yaml } from '../helpers/workspace';
import { exampleUrlForIngressPath, exampleUrlForRouteMatch } from '../../server/src/core/facts/exampleUrl';
import type { Gateway, Ingress, Route } from '../../server/src/core/model/resources';
import { trace } from '../helpers/trace';

function model(text: string) {
  const { analyzer } = analyze({ 'a.yaml': text });
  return {
    ingresses: [...analyzer.index.ingresses()] as Ingress[],
    routes: [...analyzer.index.routes()] as Route[],
    gateways: [...analyzer.index.gateways()] as Gateway[],
  };
}

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  tls: [{hosts: [shop.example.com]}]
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /api/v1, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
          - {path: /health, pathType: Exact, backend: {service: {name: a, port: {number: 80}}}}
    - host: "*.blog.example.com"
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
    - http:
        paths:
          - {path: /x, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
`;

test('example URL for Ingress paths: https for tls hosts, wildcard filled in, placeholder without host', () => {
  const ing = model(INGRESS).ingresses[0]!;
  assert.deepEqual(ing.paths.map((p) => exampleUrlForIngressPath(ing, p).url), [
    'https://shop.example.com/api/v1',
    'https://shop.example.com/health',
    'http://foo.blog.example.com/',
    'http://INGRESS_IP/x',
  ]);
});

test('example URLs for Ingress paths reach those paths when traced', () => {
  const { ingresses } = model(INGRESS);
  const ing = ingresses[0]!;
  for (const [i, p] of ing.paths.entries()) {
    const url = exampleUrlForIngressPath(ing, p).url;
    if (url.includes('INGRESS_IP')) continue;
    const r = trace({ 'a.yaml': INGRESS }, url);
    const line = r.entries[0]!.hop.range!.start.line;
    assert.equal(line, [10, 11, 15, 18][i], url);
  }
});

const GW = yaml(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  listeners:
    - {name: http, protocol: HTTP, port: 8080}
    - {name: https, protocol: HTTPS, port: 443, hostname: "*.example.com"}
`, `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
    - matches:
        - {path: {type: PathPrefix, value: /api}, method: POST, headers: [{name: x-env, value: canary}], queryParams: [{name: v, value: "2"}]}
        - {path: {type: RegularExpression, value: "/v[0-9]+/items"}}
        - {path: {type: RegularExpression, value: "^/static/.*"}}
`, `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: plain, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: http}]
  rules:
    - backendRefs: [{name: a, port: 80}]
`);

test('example request for route matches: listener scheme/port, hostnames, query, method, headers', () => {
  const { routes, gateways } = model(GW);
  const r = routes.find((x) => x.name === 'r')!;
  assert.deepEqual(exampleUrlForRouteMatch(r, 0, 0, gateways), {
    url: 'https://shop.example.com/api?v=2', method: 'POST', headers: [{ name: 'x-env', value: 'canary' }],
  });
  // A regex whose literal prefix does not match gives no example; one whose prefix matches does.
  assert.equal(exampleUrlForRouteMatch(r, 0, 1, gateways), undefined);
  assert.deepEqual(exampleUrlForRouteMatch(r, 0, 2, gateways), { url: 'https://shop.example.com/static/' });
  assert.equal(exampleUrlForRouteMatch(r, 5, 0, gateways), undefined);
  const plain = routes.find((x) => x.name === 'plain')!;
  assert.deepEqual(exampleUrlForRouteMatch(plain, 0, 0, gateways), { url: 'http://GATEWAY_IP:8080/' });
  assert.deepEqual(exampleUrlForRouteMatch(plain, 0, 0, []), { url: 'http://GATEWAY_IP/' });
});
