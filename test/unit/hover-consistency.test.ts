/**
 * Hovers and messages that must agree with each other and name things unambiguously:
 * - the Service type is named the same way in every hover (the Service's own, a workload's
 *   "Reached by", an Ingress/route backend), as the topology names it;
 * - an Ingress path or HTTPRoute match whose backend Service selects no pods says so;
 * - with several folders in one workspace, a nearest miss prefers the Service's own namespace and
 *   folder, and names files by their path relative to the Service's file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { folderDistance, relativePath } from '../../server/src/core/paths';
import { analyze, hoverAt as hoverIn, withCode, yaml, WS } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';

/** Hover markdown at the `occurrence`-th `needle` (+ delta characters) of a file. */
function hoverAt(files: Record<string, string>, file: string, needle: string, delta = 1, occurrence = 0): string {
  const md = hoverIn(files, file, needle, delta, occurrence);
  assert.ok(md, `a hover at ${needle}`);
  return md;
}

const deployment = (name: string, ns: string, app: string): string => `\n${fixtures.deployment(name, { app }, { ns, replicas: 2, container: 'web', image: 'nginx' })}`;

/** `extra`: spec lines, each after a newline (`\n  type: NodePort`). */
const service = (name: string, ns: string, app: string, extra = ''): string =>
  `\n${fixtures.service(name, { app }, { ns, portName: 'http', spec: fixtures.dedent(`${extra}\n`) })}`;

describe('the Service type is named the same way in every hover', () => {
  const files = {
    'web.yaml': yaml(
      deployment('web', 'shop', 'web'),
      service('web-np', 'shop', 'web', '\n  type: NodePort').replace('targetPort: http', 'targetPort: http\n      nodePort: 30080'),
      service('web-lb', 'shop', 'web', '\n  type: LoadBalancer\n  loadBalancerIP: 203.0.113.10').replace('targetPort: http', 'targetPort: http\n      nodePort: 31443'),
      service('web', 'shop', 'web'),
    ),
    'ingress.yaml': `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web-np
                port:
                  number: 80
`,
  };

  test('NodePort: the Service hover, the Deployment hover and the Ingress backend hover all say "NodePort 30080", none "ClusterIP, NodePort"', () => {
    const own = hoverAt(files, 'web.yaml', 'name: web-np', 7);
    const dep = hoverAt(files, 'web.yaml', 'name: web', 7);
    const backend = hoverAt(files, 'ingress.yaml', 'name: web-np', 7);
    assert.match(own.split('\n')[0]!, /^\*\*Service `shop\/web-np`\*\* · NodePort 30080$/);
    assert.match(dep, /^- Service `shop\/web-np` \(NodePort 30080\)$/m);
    assert.match(backend.split('\n')[0]!, /Service `shop\/web-np`.* · NodePort 30080$/);
    for (const md of [own, dep, backend]) assert.doesNotMatch(md, /ClusterIP[,·] ?\s*NodePort/, md);
  });

  test('LoadBalancer: named by its type first, then its node port, everywhere; ClusterIP stays ClusterIP', () => {
    const own = hoverAt(files, 'web.yaml', 'name: web-lb', 7);
    const dep = hoverAt(files, 'web.yaml', 'name: web', 7);
    assert.match(own.split('\n')[0]!, /· LoadBalancer 203\.0\.113\.10 · NodePort 31443$/);
    assert.match(dep, /^- Service `shop\/web-lb` \(LoadBalancer 203\.0\.113\.10, NodePort 31443\)$/m);
    assert.match(hoverAt(files, 'web.yaml', 'name: web\n  namespace: shop\nspec:\n  selector', 7).split('\n')[0]!, /^\*\*Service `shop\/web`\*\* · ClusterIP$/);
    assert.match(dep, /^- Service `shop\/web` \(ClusterIP\)$/m);
  });
});

describe('an Ingress path or a route match whose backend Service selects no pods says so', () => {
  const files = {
    'app.yaml': yaml(deployment('cart', 'shop', 'cart-service'), service('cart', 'shop', 'cart-servce'), service('web', 'shop', 'cart-service')),
    'ingress.yaml': `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api/cart
            pathType: Prefix
            backend:
              service:
                name: cart
                port:
                  number: 80
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
    'route.yaml': `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api
  namespace: shop
spec:
  hostnames: [api.shop.example.com]
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /cart
      backendRefs:
        - name: cart
          port: 80
          weight: 90
        - name: web
          port: 80
          weight: 10
    - matches:
        - path:
            type: PathPrefix
            value: /web
      backendRefs:
        - name: web
          port: 80
`,
  };

  test('Ingress path: the curl, and that Service cart selects no pods (its selector, the 503)', () => {
    const md = hoverAt(files, 'ingress.yaml', '/api/cart');
    assert.match(md, /curl http:\/\/shop\.example\.com\/api\/cart/);
    assert.match(md, /Service `shop\/cart` selects \*\*no pods\*\*: no pod template has `app=cart-servce`/);
    assert.match(md, /503/);
    // Before the curl: the reader sees it before copying the request.
    assert.ok(md.indexOf('no pods') < md.indexOf('curl'));
  });

  test('Ingress path to a Service that selects pods: no such warning', () => {
    const md = hoverAt(files, 'ingress.yaml', 'path: /\n', 7);
    assert.match(md, /curl http:\/\/shop\.example\.com\//);
    assert.doesNotMatch(md, /no pods/);
  });

  test('HTTPRoute match: its backends, and the one whose Service selects nothing', () => {
    const md = hoverAt(files, 'route.yaml', 'value: /cart', 8);
    assert.match(md, /curl http:\/\/api\.shop\.example\.com\/cart/);
    assert.match(md, /→ Service `shop\/cart`:`80` \(weight 90\)/);
    assert.match(md, /→ Service `shop\/web`:`80` \(weight 10\)/);
    assert.match(md, /Service `shop\/cart` selects \*\*no pods\*\*/);
    assert.doesNotMatch(md, /Service `shop\/web` selects \*\*no pods\*\*/);
    const other = hoverAt(files, 'route.yaml', 'value: /web', 8);
    assert.doesNotMatch(other, /no pods/);
  });

  test('a selector-less Service without Endpoints behind an Ingress path: no pods either', () => {
    const f = { ...files, 'app.yaml': files['app.yaml'].replace('  selector:\n    app: cart-servce\n', '') };
    const md = hoverAt(f, 'ingress.yaml', '/api/cart');
    assert.match(md, /Service `shop\/cart` has no selector and no Endpoints or EndpointSlice in the workspace: it has \*\*no pods\*\*/);
  });
});

describe('nearest miss across several folders: same namespace and folder first, files by relative path', () => {
  // Three folders, each with a deployment.yaml of the same app (as in several overlays/teams).
  const files = {
    'team-a/deployment.yaml': deployment('frontend', 'shop', 'frontend'),
    'team-b/deployment.yaml': deployment('frontend', 'shop', 'frontend'),
    'team-b/service.yaml': service('frontend', 'shop', 'frontnd'),
    'team-c/deployment.yaml': deployment('frontend', 'shop', 'frontend'),
    'team-d/service.yaml': service('orders', 'shop', 'frontendd'),
    'other/deployment.yaml': deployment('frontend', 'other', 'frontend'),
    'other/service.yaml': service('frontend', 'other', 'frontnd'),
  };

  test('the Service in team-b is told about team-b/deployment.yaml (same folder), named without a path', () => {
    const { findings } = analyze(files);
    const f = withCode(findings, 'service-selects-nothing').find((x) => x.file === 'team-b/service.yaml')!;
    assert.ok(f, JSON.stringify(findings.map((x) => `${x.file}: ${x.message}`)));
    assert.match(f.message, /Nearest: Deployment `shop\/frontend` in deployment\.yaml has app=frontend/);
    assert.deepEqual(f.related?.map((r) => r.uri), [`${WS}team-b/deployment.yaml`]);
    assert.equal(f.data?.type === 'replace' ? f.data.title : undefined, 'Change selector to app=frontend');
  });

  test('a Service with no workload in its folder is told about the nearest one, by its relative path', () => {
    const { findings } = analyze(files);
    const f = withCode(findings, 'service-selects-nothing').find((x) => x.file === 'team-d/service.yaml')!;
    // team-a, team-b and team-c are equally near: document order picks team-a; the path says which.
    assert.match(f.message, /Nearest: Deployment `shop\/frontend` in \.\.\/team-a\/deployment\.yaml has app=frontend/);
  });

  test('the same namespace wins over a nearer folder in another namespace, and over an unrelated folder', () => {
    const { findings } = analyze(files);
    const f = withCode(findings, 'service-selects-nothing').find((x) => x.file === 'other/service.yaml')!;
    assert.match(f.message, /Nearest: Deployment `other\/frontend` in deployment\.yaml has app=frontend/);
  });

  test('the selector hover names the same workload and file', () => {
    const md = hoverAt(files, 'team-b/service.yaml', 'app: frontnd', 6);
    assert.match(md, /Nearest: Deployment `shop\/frontend` \(deployment\.yaml\) has `app=frontend`/);
    const far = hoverAt(files, 'team-d/service.yaml', 'app: frontendd', 6);
    assert.match(far, /Nearest: Deployment `shop\/frontend` \(\.\.\/team-a\/deployment\.yaml\) has `app=frontend`/);
  });

  test('a workload in the same file is nearer than one in the same folder', () => {
    const f = { 'x/all.yaml': yaml(service('api', 'shop', 'apii'), deployment('api', 'shop', 'api')), 'x/deployment.yaml': deployment('api', 'shop', 'api') };
    const finding = withCode(analyze(f).findings, 'service-selects-nothing')[0]!;
    assert.match(finding.message, /Nearest: Deployment `shop\/api` in this file has app=api/);
  });
});

describe('relative paths and folder distance between URIs', () => {
  test('relativePath', () => {
    assert.equal(relativePath('file:///ws/a/svc.yaml', 'file:///ws/a/dep.yaml'), 'dep.yaml');
    assert.equal(relativePath('file:///ws/a/svc.yaml', 'file:///ws/b/dep.yaml'), '../b/dep.yaml');
    assert.equal(relativePath('file:///ws/a/b/c/svc.yaml', 'file:///ws/a/x/dep.yaml'), '../../x/dep.yaml');
    assert.equal(relativePath('file:///ws/svc.yaml', 'file:///ws/deep/er/dep.yaml'), 'deep/er/dep.yaml');
    assert.equal(relativePath('file:///ws/my%20app/svc.yaml', 'file:///ws/other%20app/dep.yaml'), '../other app/dep.yaml');
    assert.equal(relativePath('untitled:Untitled-1', 'file:///ws/dep.yaml'), '/ws/dep.yaml');
  });

  test('folderDistance: same file < same folder < sibling folder < cousin folder', () => {
    const from = 'file:///ws/a/b/svc.yaml';
    const d = (u: string): number => folderDistance(from, u);
    assert.equal(d(from), 0);
    assert.equal(d('file:///ws/a/b/dep.yaml'), 1);
    assert.ok(d('file:///ws/a/b/dep.yaml') < d('file:///ws/a/c/dep.yaml'));
    assert.ok(d('file:///ws/a/c/dep.yaml') < d('file:///ws/x/y/dep.yaml'));
    assert.ok(d('file:///ws/a/dep.yaml') < d('file:///ws/x/y/dep.yaml'));
  });
});
