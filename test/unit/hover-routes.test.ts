import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt as hoverIn, yaml } from '../helpers/workspace';

/** Hovers on a route's parentRefs (attachment per listener), filters and backends. */

const hoverAt = (files: Record<string, string>, file: string, needle: string, delta = 1): string => hoverIn(files, file, needle, delta) ?? '';

const FILES = {
  'gw.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  listeners:
    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
    - {name: https, protocol: HTTPS, port: 443}
    - {name: pg, protocol: TCP, port: 5432, allowedRoutes: {namespaces: {from: All}}}
`,
  'r.yaml': yaml(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs:
    - name: gw
      namespace: infra
  rules:
    - filters:
        - type: RequestRedirect
          requestRedirect: {scheme: https, statusCode: 301}
    - matches: [{path: {value: /api}}]
      filters:
        - type: RequestMirror
          requestMirror: {backendRef: {name: shadow, port: 80}, percent: 5}
      backendRefs:
        - {name: web, port: 80, weight: 0}
        - {group: acme.io, kind: Thing, name: thing}
`),
  'svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
`,
};

test('parentRef hover: each listener of the Gateway, whether it takes the route and why not', () => {
  const md = hoverAt(FILES, 'r.yaml', 'name: gw', 7);
  assert.match(md, /\*\*Gateway `infra\/gw`\*\*/);
  assert.match(md, /- ✓ listener `http`: HTTP 80\n/);
  assert.match(md, /- ✗ listener `https`: HTTPS 443: it takes routes from its own namespace `infra` only \(allowedRoutes\.namespaces\.from: Same, the default\), and the route is in `shop`/);
  assert.match(md, /- ✗ listener `pg`: TCP 5432: a TCP listener takes TCPRoute, not HTTPRoute/);
  assert.doesNotMatch(md, /does not attach/);
});

test('route name hover: attached listeners; filter hovers say what the filter does', () => {
  assert.match(hoverAt(FILES, 'r.yaml', 'name: r,', 7), /Attached to Gateway `infra\/gw` \(listener `http`\)\./);
  assert.match(hoverAt(FILES, 'r.yaml', 'type: RequestRedirect', 8), /filter: RequestRedirect 301 \(scheme https\)[\s\S]*answers with a 301 redirect instead of forwarding[\s\S]*kube-traffic trace --follow/);
  assert.match(hoverAt(FILES, 'r.yaml', 'type: RequestMirror', 8), /filter: RequestMirror 5% to Service shadow:80[\s\S]*its answers are ignored/);
});

test('backendRef hovers: weight 0 receives no traffic; a kind that is not a Service gets 500; a mirror target', () => {
  assert.match(hoverAt(FILES, 'r.yaml', 'name: web', 7), /Weight 0: this backend receives no traffic\./);
  assert.match(hoverAt(FILES, 'r.yaml', 'name: thing', 7), /Thing `thing` \(group `acme\.io`\): not a Service and not a backend kind Kube Traffic knows\.[\s\S]*answers \*\*500\*\*/);
  assert.match(hoverAt(FILES, 'r.yaml', 'name: shadow', 7), /\*\*RequestMirror backendRef\*\* → Service `shadow`: \*\*does not exist\*\* in namespace `shop`/);
});
