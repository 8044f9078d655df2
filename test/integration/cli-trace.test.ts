import { test, before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { assertBuilt, runCliSync } from '../helpers/cli';
import { tempDir, write as writeIn } from '../helpers/disk';
import { deployment, service } from '../helpers/fixtures';
import { yaml } from '../helpers/workspace';

let dir: string;

const run = (args: string[], cwd = dir) => runCliSync(['trace', ...args], cwd);
const write = (rel: string, content: string) => writeIn(dir, rel, content);

before(() => {
  assertBuilt();
  dir = tempDir('trace');
  write('apps/web.yaml', yaml(
    service('web', { app: 'web' }, { ns: 'shop', portName: 'http', targetPort: 8080 }),
    deployment('web', { app: 'web' }, { ns: 'shop', replicas: 2, image: null, ports: [['', 8080]] }),
  ));
  write('edge/ingress.yaml', `apiVersion: networking.k8s.io/v1
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
                name: web
                port:
                  number: 80
          - path: /old
            pathType: Prefix
            backend:
              service:
                name: gone
                port:
                  number: 80
`);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('trace: reached → exit 0, one line per hop with file:line', () => {
  const r = run(['https://shop.example.com/cart']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^GET https:\/\/shop\.example\.com\/cart \(from outside the cluster\)$/);
  assert.match(lines[1]!, /^→ Ingress shop\/shop: .*\(edge\/ingress\.yaml:11\)$/);
  assert.match(lines[2]!, /^ {2}→ Service shop\/web: .*port 80 \(http\) → targetPort 8080 {2}\(apps\/web\.yaml:10\)$/);
  assert.match(lines[3]!, /^ {4}→ Deployment shop\/web: .*container web:8080; 2 replicas {2}\(apps\/web\.yaml:32\)$/);
  assert.equal(lines.at(-1), 'Result: reached.');
});

test('trace: goes nowhere → exit 1 with the stop reason', () => {
  const r = run(['http://shop.example.com/old/x']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ \[500\] service-missing: Service gone does not exist in namespace shop {2}\(edge\/ingress\.yaml:22\)/);
  assert.match(r.stdout, /Result: stopped \[500\]: service-missing/);
});

test('trace --format json: the typed result', () => {
  const r = run(['web:80', '-n', 'shop', '--format', 'json', 'apps']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.outcome, 'reached');
  assert.equal(j.request.inCluster, true);
  assert.equal(j.request.namespace, 'shop');
  assert.equal(j.entries[0].hop.id, 'Service/shop/web');
  assert.equal(j.entries[0].hop.uri, 'apps/web.yaml');
  assert.equal(j.entries[0].next[0].hop.replicas, 2);
  assert.deepEqual(j.nodeIds, ['Service/shop/web', 'Deployment/shop/web']);
});

test('trace: --header and --method are parsed; -n scopes short names', () => {
  const r = run(['web:80', '-n', 'other', '--method', 'post', '--header', 'x-a=1', '-H', 'X-B: 2', '--format=json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.stdout);
  assert.equal(j.request.method, 'POST');
  assert.deepEqual(j.request.headers, [{ name: 'x-a', value: '1' }, { name: 'X-B', value: '2' }]);
  assert.equal(j.stop.reason, 'service-missing');
});

test('trace: bad usage → exit 2 with one line on stderr', () => {
  for (const args of [[], ['ftp://x/'], ['http://bad host/'], ['x', '--format', 'dot'], ['x', '--header', 'nope'], ['x', 'no/such/dir']]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^kube-traffic: /);
  }
});

test('trace: an empty folder is a clear stop, not a crash', () => {
  mkdirSync(path.join(dir, 'empty'), { recursive: true });
  const r = run(['https://x.example.com/', 'empty']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /empty-workspace: no Kubernetes manifests were found/);
});

test('trace --help', () => {
  const r = run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /kube-traffic trace URL/);
});

describe('trace: Gateway API redirects, TCP and the statuses', () => {
  before(() => {
    write('gw/gateway.yaml', `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: shop
spec:
  listeners:
    - {name: http, protocol: HTTP, port: 80, hostname: "*.example.org"}
    - {name: https, protocol: HTTPS, port: 443, hostname: "*.example.org"}
    - {name: pg, protocol: TCP, port: 5432}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: partners
  namespace: shop
spec:
  listeners:
    - {name: https, protocol: HTTPS, port: 443, hostname: partners.example.net}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: to-https
  namespace: shop
spec:
  parentRefs: [{name: edge, sectionName: http}]
  rules:
    - filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: site
  namespace: shop
spec:
  parentRefs: [{name: edge, sectionName: https}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: pg
  namespace: shop
spec:
  parentRefs: [{name: edge, sectionName: pg}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
`);
  });

  it('a redirect is an answer: exit 0, the status, Location and code in text and JSON', () => {
    const r = run(['http://shop.example.org/cart?x=1', 'apps', 'gw']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /↪ \[redirect 301 → https:\/\/shop\.example\.org\/cart\?x=1\] redirect: the RequestRedirect filter of rule 0 of HTTPRoute to-https answers 301/);
    assert.match(r.stdout, /Result: redirected \[redirect 301 → https:\/\/shop\.example\.org\/cart\?x=1\]/);
    const j = JSON.parse(run(['http://shop.example.org/cart?x=1', 'apps', 'gw', '--format', 'json']).stdout);
    assert.equal(j.status, 'redirect');
    assert.deepEqual([j.stop.status, j.stop.code, j.stop.location, j.stop.uri], ['redirect', 301, 'https://shop.example.org/cart?x=1', 'gw/gateway.yaml']);
  });

  it('--follow traces on to the Location; the exit code is the last request\'s', () => {
    const r = run(['http://shop.example.org/cart', 'apps', 'gw', '--follow']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Following the redirect to https:\/\/shop\.example\.org\/cart:\nGET https:\/\/shop\.example\.org\/cart \(from outside the cluster\)\n→ Gateway shop\/edge: listener https/);
    assert.match(r.stdout, /Result: reached\.\n$/);
    const j = JSON.parse(run(['http://shop.example.org/cart', 'apps', 'gw', '-L', '--format=json']).stdout);
    assert.equal(j.followed.status, 'reached');
    assert.equal(j.followed.entries[0].hop.uri, 'gw/gateway.yaml');
  });

  it('every stop carries its status in JSON; Gateways that refuse the host are listed', () => {
    const j = JSON.parse(run(['https://nowhere.example.com/', 'apps', 'gw', '--format', 'json']).stdout);
    assert.equal(j.status, 'unknown');
    assert.equal(j.stop.reason, 'no-entry');
    assert.deepEqual(j.refused.map((x: { id: string; uri: string }) => [x.id, x.uri]), [['Gateway/shop/edge', 'gw/gateway.yaml'], ['Gateway/shop/partners', 'gw/gateway.yaml']]);
    const walk = (s: { stop?: { status?: string }; next: unknown[] }): string[] => [...(s.stop ? [s.stop.status ?? 'MISSING'] : []), ...s.next.flatMap((n) => walk(n as typeof s))];
    const gone = JSON.parse(run(['http://shop.example.com/old/x', '--format', 'json']).stdout);
    assert.deepEqual(gone.entries.flatMap(walk), ['500']);
  });

  it('tcp://gateway:5432 through a TCPRoute', () => {
    const r = run(['tcp://edge:5432', 'apps', 'gw']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^TCP connection to tcp:\/\/edge:5432 \(from outside the cluster\)\n→ Gateway shop\/edge: listener pg \(TCP 5432\) accepts the connection/);
    assert.match(r.stdout, /→ TCPRoute shop\/pg: attached to listener pg/);
    const bad = run(['tcp://edge', 'apps', 'gw']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /needs a port \(tcp has no default port\)/);
  });
});
