import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, yaml, WS, one, none, lineOf } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';

/** A Service selecting app=NAME; `spec` (indented by 2) and `ports` (by 4) are written as they stand in the file. */
function service(name: string, o: { ns?: string; ports?: string; spec?: string } = {}): string {
  return fixtures.service(name, { app: name }, {
    ns: o.ns, spec: o.spec && fixtures.dedent(o.spec), ports: o.ports === undefined ? undefined : fixtures.dedent(o.ports), portName: 'http', targetPort: 8080,
  });
}

/** A networking.k8s.io/v1 Ingress with one path. */
const ingress = (name: string, backend: string, o: { ns?: string; path?: string; pathType?: string | null; port?: string } = {}): string =>
  fixtures.ingress(name, backend, o);

/** A route whose `backendRefs` (indented by 8) and `parentRefs` (by 4) are written as they stand in the file. */
function route(name: string, backendRefs: string, o: { ns?: string; kind?: string; parentRefs?: string; apiVersion?: string } = {}): string {
  return fixtures.route(name, fixtures.dedent(backendRefs), { ...o, parentRefs: o.parentRefs && fixtures.dedent(o.parentRefs) });
}

const GATEWAY_PUBLIC = (n?: string) => fixtures.gateway('public', { ns: n });

describe('ingress-service-missing', () => {
  test('a path backend naming a missing Service is a warning on the name', () => {
    const text = ingress('some-ingress', 'service-a');
    const files = { 'ingress.yaml': text, 'svc.yaml': service('service-b') };
    const f = one(analyze(files).findings, 'ingress-service-missing');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(text, 'name: service-a'));
    assert.equal(covered(files, f), 'service-a');
    assert.match(f.message, /Ingress `some-ingress`/);
    assert.match(f.message, /service-a/);
  });

  test('a missing defaultBackend Service is reported', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: catch-all
spec:
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
`;
    const files = { 'ing.yaml': text };
    const f = one(analyze(files).findings, 'ingress-service-missing');
    assert.equal(covered(files, f), 'fallback');
    assert.equal(f.range.start.line, 7);
  });

  test('a Service in another explicit namespace is not the backend', () => {
    const files = { 'ing.yaml': ingress('web', 'web', { ns: 'shop' }), 'svc.yaml': service('web', { ns: 'backend' }) };
    const f = one(analyze(files).findings, 'ingress-service-missing');
    assert.match(f.message, /shop/);
  });

  test('an extensions/v1beta1 backend (serviceName) is checked too', () => {
    const text = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  rules:
    - http:
        paths:
          - path: /
            backend:
              serviceName: legacy-web
              servicePort: 80
`;
    const files = { 'ing.yaml': text };
    assert.equal(covered(files, one(analyze(files).findings, 'ingress-service-missing')), 'legacy-web');
  });

  test('an existing Service (same or unset namespace) and `resource:` backends are fine', () => {
    none(analyze({ 'ing.yaml': ingress('web', 'web', { ns: 'shop' }), 'svc.yaml': service('web', { ns: 'shop' }) }).findings, 'ingress-service-missing');
    none(analyze({ 'ing.yaml': ingress('web', 'web', { ns: 'shop' }), 'svc.yaml': service('web') }).findings, 'ingress-service-missing');
    const res = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: static
spec:
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: StorageBucket
      name: static-assets
`;
    none(analyze({ 'ing.yaml': res }).findings, 'ingress-service-missing');
  });
});

describe('ingress-service-port-missing', () => {
  test('a port number that is the targetPort, not the Service port, is a warning on the number, related to the Service ports', () => {
    const ing = ingress('web', 'web', { port: 'number: 8080' });
    const svc = service('web');
    const files = { 'ing.yaml': ing, 'svc.yaml': svc };
    const f = one(analyze(files).findings, 'ingress-service-port-missing');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(ing, 'number: 8080'));
    assert.equal(covered(files, f), '8080');
    assert.match(f.message, /Ingress `web`/);
    assert.match(f.message, /Service `web`/);
    assert.equal(f.related[0]!.uri, WS + 'svc.yaml');
    assert.equal(f.related[0]!.range.start.line, lineOf(svc, 'ports:'));
  });

  test('a port name the Service does not have is reported on the name', () => {
    const files = { 'ing.yaml': ingress('web', 'web', { port: 'name: https' }), 'svc.yaml': service('web') };
    assert.equal(covered(files, one(analyze(files).findings, 'ingress-service-port-missing')), 'https');
  });

  test('a reference is satisfied when any same-named Service in scope has the port', () => {
    const files = {
      'apps/web/ing.yaml': ingress('web', 'web', { port: 'number: 8080' }),
      'apps/web/svc.yaml': service('web'),
      'legacy/svc.yaml': service('web', { ports: '    - name: http\n      port: 8080\n' }),
    };
    none(analyze(files).findings, 'ingress-service-port-missing');
  });

  test('the Service port by number or by name is fine, and an ExternalName Service without ports accepts any port', () => {
    none(analyze({ 'i.yaml': ingress('web', 'web', { port: 'number: 80' }), 's.yaml': service('web') }).findings, 'ingress-service-port-missing');
    none(analyze({ 'i.yaml': ingress('web', 'web', { port: 'name: http' }), 's.yaml': service('web') }).findings, 'ingress-service-port-missing');
    const ext = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ExternalName\n  externalName: web.example.com\n';
    none(analyze({ 'i.yaml': ingress('web', 'web', { port: 'number: 443' }), 's.yaml': ext }).findings, 'ingress-service-port-missing');
  });
});

describe('ingress-path-invalid', () => {
  test('a networking.k8s.io/v1 path without pathType is an error at the path', () => {
    const text = ingress('my-ingress', 'web', { path: '/app', pathType: null });
    const files = { 'ing.yaml': text, 's.yaml': service('web') };
    const f = one(analyze(files).findings, 'ingress-path-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'path: /app'));
    assert.match(f.message, /Ingress `my-ingress`/);
    assert.match(f.message, /pathType/);
  });

  test('a Prefix path that is not absolute is an error on the path value', () => {
    const text = ingress('my-ingress', 'web', { path: 'api' });
    const files = { 'ing.yaml': text, 's.yaml': service('web') };
    const f = one(analyze(files).findings, 'ingress-path-invalid');
    assert.equal(covered(files, f), 'api');
    assert.match(f.message, /my-ingress/);
  });

  test('`//`, dot segments and %2f in Exact/Prefix paths are errors', () => {
    for (const [path, pathType] of [['/a//b', 'Prefix'], ['/a/./b', 'Exact'], ['/a/../b', 'Prefix'], ['/a%2fb', 'Prefix'], ['/a%2Fb', 'Exact'],
      ['/a/..', 'Prefix'], ['/a/.', 'Exact']] as const) {
      const files = { 'ing.yaml': ingress('x', 'web', { path, pathType }), 's.yaml': service('web') };
      const f = one(analyze(files).findings, 'ingress-path-invalid');
      assert.equal(covered(files, f), path, path);
    }
  });

  test('a misspelled pathType is an error on the pathType value', () => {
    const files = { 'ing.yaml': ingress('x', 'web', { pathType: 'prefix' }), 's.yaml': service('web') };
    assert.equal(covered(files, one(analyze(files).findings, 'ingress-path-invalid')), 'prefix');
  });

  test('extensions/v1beta1 and networking.k8s.io/v1beta1 Ingresses without pathType are fine', () => {
    for (const apiVersion of ['extensions/v1beta1', 'networking.k8s.io/v1beta1']) {
      const text = `apiVersion: ${apiVersion}
kind: Ingress
metadata:
  name: old
spec:
  rules:
    - http:
        paths:
          - path: /app
            backend:
              serviceName: web
              servicePort: 80
`;
      const { findings } = analyze({ 'ing.yaml': text, 's.yaml': service('web') });
      none(findings, 'ingress-path-invalid');
      none(findings, 'ingress-service-missing');
    }
  });

  test('ImplementationSpecific regex paths with a leading slash, and ordinary dotted paths, are fine', () => {
    for (const [path, pathType] of [['/api(/|$)(.*)', 'ImplementationSpecific'], ['/a//b', 'ImplementationSpecific'], ['/', 'Prefix'],
      ['/.well-known/acme-challenge', 'Prefix'], ['/v1.2/items..json', 'Exact'], ['/app/', 'Prefix']] as const) {
      none(analyze({ 'ing.yaml': ingress('x', 'web', { path, pathType }), 's.yaml': service('web') }).findings, 'ingress-path-invalid');
    }
  });

  test('an ImplementationSpecific path must still be absolute when set (the API server checks it too)', () => {
    const files = { 'ing.yaml': ingress('x', 'web', { path: 'api(/|$)(.*)', pathType: 'ImplementationSpecific' }), 's.yaml': service('web') };
    const f = one(analyze(files).findings, 'ingress-path-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(covered(files, f), 'api(/|$)(.*)');
    assert.match(f.message, /ImplementationSpecific path must still be absolute/);
    none(analyze({ 'ing.yaml': ingress('x', 'web', { path: '""', pathType: 'ImplementationSpecific' }), 's.yaml': service('web') }).findings, 'ingress-path-invalid');
  });
});

describe('route-service-missing', () => {
  test('an HTTPRoute backendRef to a missing Service is a warning on the name', () => {
    const text = route('shop', '        - name: storefront\n          port: 80\n', { ns: 'shop' });
    const files = { 'route.yaml': text, 'gw.yaml': GATEWAY_PUBLIC('shop') };
    const f = one(analyze(files).findings, 'route-service-missing');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(text, 'name: storefront'));
    assert.equal(covered(files, f), 'storefront');
    assert.match(f.message, /HTTPRoute `shop\/shop`/);
    assert.match(f.message, /storefront/);
  });

  test('the backendRef namespace defaults to the route\'s: a Service in another explicit namespace does not count', () => {
    const files = { 'route.yaml': route('shop', '        - name: api\n          port: 80\n', { ns: 'shop' }), 'svc.yaml': service('api', { ns: 'backend' }) };
    one(analyze(files).findings, 'route-service-missing');
  });

  test('GRPCRoute, TCPRoute, TLSRoute and UDPRoute backendRefs are checked', () => {
    for (const [kind, apiVersion] of [['GRPCRoute', 'gateway.networking.k8s.io/v1'], ['TCPRoute', 'gateway.networking.k8s.io/v1alpha2'],
      ['TLSRoute', 'gateway.networking.k8s.io/v1alpha2'], ['UDPRoute', 'gateway.networking.k8s.io/v1alpha2']] as const) {
      const files = { 'r.yaml': route('r', '        - name: missing-svc\n          port: 53\n', { kind, apiVersion }) };
      const f = one(analyze(files).findings, 'route-service-missing');
      assert.equal(covered(files, f), 'missing-svc', kind);
      assert.match(f.message, new RegExp(kind));
    }
  });

  test('an existing Service, and a backendRef to another kind (ServiceImport), are fine', () => {
    none(analyze({ 'r.yaml': route('shop', '        - name: storefront\n          port: 80\n', { ns: 'shop' }), 's.yaml': service('storefront', { ns: 'shop' }) }).findings,
      'route-service-missing');
    const imp = '        - group: multicluster.x-k8s.io\n          kind: ServiceImport\n          name: storefront\n          port: 80\n';
    const { findings } = analyze({ 'r.yaml': route('shop', imp) });
    none(findings, 'route-service-missing');
    none(findings, 'route-service-port-missing');
  });
});

describe('route-service-port-missing', () => {
  test('a Service backendRef without port is an error on the name', () => {
    const text = route('web', '        - name: web\n');
    const files = { 'r.yaml': text, 's.yaml': service('web') };
    const f = one(analyze(files).findings, 'route-service-port-missing');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'name: web', lineOf(text, 'backendRefs')));
    assert.equal(covered(files, f), 'web');
    assert.match(f.message, /HTTPRoute `web`/);
    assert.match(f.message, /port/);
  });

  test('a port the Service does not have is a warning on the port, related to the Service', () => {
    const text = route('web', '        - name: web-canary\n          port: 8080\n');
    const svc = service('web-canary');
    const files = { 'r.yaml': text, 's.yaml': svc };
    const f = one(analyze(files).findings, 'route-service-port-missing');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(text, 'port: 8080'));
    assert.equal(covered(files, f), '8080');
    assert.match(f.message, /Service `web-canary`/);
    assert.equal(f.related[0]!.uri, WS + 's.yaml');
    assert.equal(f.related[0]!.range.start.line, lineOf(svc, 'ports:'));
  });

  test('the Service port is fine', () => {
    none(analyze({ 'r.yaml': route('web', '        - name: web\n          port: 80\n'), 's.yaml': service('web') }).findings, 'route-service-port-missing');
  });
});

describe('route-cross-namespace-without-grant', () => {
  const ROUTE = route('shop', '        - name: api\n          namespace: backend\n          port: 80\n', {
    ns: 'shop', parentRefs: '    - name: public\n      namespace: infra\n',
  });
  const SVC = service('api', { ns: 'backend' });
  const grant = (o: { ns?: string; kind?: string; fromNs?: string; toName?: string } = {}) => `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-shop-routes
  namespace: ${o.ns ?? 'backend'}
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: ${o.kind ?? 'HTTPRoute'}
      namespace: ${o.fromNs ?? 'shop'}
  to:
    - group: ""
      kind: Service
${o.toName ? `      name: ${o.toName}\n` : ''}`;

  test('a backendRef into another namespace without a ReferenceGrant is a warning on the namespace', () => {
    const files = { 'route.yaml': ROUTE, 'svc.yaml': SVC, 'gw.yaml': GATEWAY_PUBLIC('infra') };
    const { findings } = analyze(files);
    const f = one(findings, 'route-cross-namespace-without-grant');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(ROUTE, 'namespace: backend'));
    assert.equal(covered(files, f), 'backend');
    assert.match(f.message, /HTTPRoute `shop\/shop`/);
    assert.match(f.message, /backend\/api/);
    none(findings, 'route-service-missing');
  });

  test('a ReferenceGrant in the target namespace allowing the route silences it (any Service, or that one)', () => {
    none(analyze({ 'route.yaml': ROUTE, 'svc.yaml': SVC, 'grant.yaml': grant() }).findings, 'route-cross-namespace-without-grant');
    none(analyze({ 'route.yaml': ROUTE, 'svc.yaml': SVC, 'grant.yaml': grant({ toName: 'api' }) }).findings, 'route-cross-namespace-without-grant');
  });

  test('a grant for another kind, another from-namespace, another Service, or living in the wrong namespace does not', () => {
    for (const g of [grant({ kind: 'GRPCRoute' }), grant({ fromNs: 'blog' }), grant({ toName: 'payments' }), grant({ ns: 'shop' })]) {
      one(analyze({ 'route.yaml': ROUTE, 'svc.yaml': SVC, 'grant.yaml': g }).findings, 'route-cross-namespace-without-grant');
    }
  });

  test('a backendRef in the route\'s own namespace needs no grant', () => {
    const same = route('shop', '        - name: api\n          namespace: shop\n          port: 80\n', { ns: 'shop' });
    none(analyze({ 'r.yaml': same, 's.yaml': service('api', { ns: 'shop' }) }).findings, 'route-cross-namespace-without-grant');
  });
});

describe('route-gateway-missing', () => {
  test('a parentRef to a Gateway not in scope is information on the name', () => {
    const text = route('shop', '        - name: storefront\n          port: 80\n', { ns: 'shop', parentRefs: '    - name: public-gw\n      namespace: infra\n' });
    const files = { 'route.yaml': text, 'svc.yaml': service('storefront', { ns: 'shop' }) };
    const f = one(analyze(files).findings, 'route-gateway-missing');
    assert.equal(f.severity, 'information');
    assert.equal(f.range.start.line, lineOf(text, 'name: public-gw'));
    assert.equal(covered(files, f), 'public-gw');
    assert.match(f.message, /HTTPRoute `shop\/shop`/);
    assert.match(f.message, /public-gw/);
  });

  test('the parentRef namespace defaults to the route\'s: a Gateway elsewhere does not count', () => {
    const text = route('shop', '        - name: storefront\n          port: 80\n', { ns: 'shop' });
    one(analyze({ 'r.yaml': text, 'gw.yaml': GATEWAY_PUBLIC('infra'), 's.yaml': service('storefront') }).findings, 'route-gateway-missing');
  });

  test('an existing Gateway, and a mesh parentRef to a Service, are fine', () => {
    const text = route('shop', '        - name: storefront\n          port: 80\n', { ns: 'shop', parentRefs: '    - name: public\n      namespace: infra\n' });
    none(analyze({ 'r.yaml': text, 'gw.yaml': GATEWAY_PUBLIC('infra'), 's.yaml': service('storefront') }).findings, 'route-gateway-missing');
    const mesh = route('shop', '        - name: storefront\n          port: 80\n', { parentRefs: '    - group: ""\n      kind: Service\n      name: storefront\n      port: 80\n' });
    none(analyze({ 'r.yaml': yaml(mesh, service('storefront')) }).findings, 'route-gateway-missing');
  });
});
