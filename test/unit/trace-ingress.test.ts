import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';
import { branches, firstPath, trace } from '../helpers/trace';

/** A Service `name` (port 80 → 8080) with a Deployment of the same name behind it. */
const app = (name: string, ns = 'shop'): string => yaml(...fixtures.app(name, { ns, portName: 'http', replicas: 2 }));

interface PathSpec { path: string; type: string; svc: string }
function ingress(name: string, host: string | undefined, paths: PathSpec[], extra = '', cls = 'nginx'): string {
  const p = paths.map((x) => `
          - path: ${x.path}
            pathType: ${x.type}
            backend: {service: {name: ${x.svc}, port: {number: 80}}}`).join('');
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: shop}
spec:
  ingressClassName: ${cls}${extra}
  rules:
    - ${host ? `host: '${host}'\n      ` : ''}http:
        paths:${p}
`;
}

const APPS = { 'apps.yaml': yaml(app('a'), app('b'), app('c'), app('fallback')) };

/** The Service the first branch reaches. */
function serviceOf(files: Record<string, string>, url: string): string | undefined {
  return firstPath(trace(files, url)).find((s) => s.hop.type === 'Service')?.hop.name;
}

test('Ingress: exact host matches, other hosts do not', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'foo.bar.com', [{ path: '/', type: 'Prefix', svc: 'a' }]) };
  const r = trace(files, 'http://foo.bar.com/x');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), ['Ingress/shop/i > Service/shop/a > Deployment/shop/a']);
  assert.match(r.entries[0]!.hop.decision, /exact/);
  const miss = trace(files, 'http://other.bar.com/x');
  assert.equal(miss.outcome, 'stopped');
  assert.equal(miss.stop?.reason, 'no-entry');
  assert.match(miss.stop!.rule, /other\.bar\.com/);
});

test('Ingress: wildcard host covers exactly one label; exact host beats wildcard', () => {
  const files = { ...APPS, 'ing.yaml': yaml(
    ingress('wild', '*.foo.com', [{ path: '/', type: 'Prefix', svc: 'a' }]),
    ingress('exact', 'bar.foo.com', [{ path: '/', type: 'Prefix', svc: 'b' }]),
  ) };
  assert.equal(serviceOf(files, 'http://baz.foo.com/'), 'a');
  assert.equal(serviceOf(files, 'http://bar.foo.com/'), 'b');
  assert.equal(trace(files, 'http://baz.bar.foo.com/').outcome, 'stopped');
  assert.equal(trace(files, 'http://foo.com/').outcome, 'stopped');
});

test('Ingress: a rule without host takes every host', () => {
  const files = { ...APPS, 'ing.yaml': ingress('all', undefined, [{ path: '/', type: 'Prefix', svc: 'c' }]) };
  assert.equal(serviceOf(files, 'http://whatever.example.org/'), 'c');
  assert.equal(serviceOf(files, 'http://10.1.2.3/'), 'c');
});

test('Ingress: longest matching path wins (docs: /, /aaa, /aaa/bbb)', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [
    { path: '/', type: 'Prefix', svc: 'a' },
    { path: '/aaa', type: 'Prefix', svc: 'b' },
    { path: '/aaa/bbb', type: 'Prefix', svc: 'c' },
  ]) };
  assert.equal(serviceOf(files, 'http://x.com/aaa/bbb'), 'c');
  assert.equal(serviceOf(files, 'http://x.com/aaa/ccc'), 'b');
  assert.equal(serviceOf(files, 'http://x.com/ccc'), 'a');
  // Element-wise: /aaa/bbbxyz is under /aaa, not /aaa/bbb.
  assert.equal(serviceOf(files, 'http://x.com/aaa/bbbxyz'), 'b');
  assert.match(trace(files, 'http://x.com/aaa/bbb/z').entries[0]!.hop.decision, /longest match \(8 chars\)/);
});

test('Ingress: Exact wins over Prefix for the same path; Exact does not match a trailing slash', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [
    { path: '/foo', type: 'Prefix', svc: 'a' },
    { path: '/foo', type: 'Exact', svc: 'b' },
  ]) };
  assert.equal(serviceOf(files, 'http://x.com/foo'), 'b');
  assert.equal(serviceOf(files, 'http://x.com/foo/'), 'a');
  const exactOnly = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/foo', type: 'Exact', svc: 'b' }]) };
  const r = trace(exactOnly, 'http://x.com/foo/');
  assert.equal(r.outcome, 'stopped');
  assert.equal(r.stop?.reason, 'no-rule-matches');
  assert.match(r.stop!.rule, /404/);
});

test('Ingress: ImplementationSpecific is matched as Prefix and says so', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/api', type: 'ImplementationSpecific', svc: 'a' }]) };
  const r = trace(files, 'http://x.com/api/v1');
  assert.equal(r.outcome, 'reached');
  assert.match(r.entries[0]!.hop.decision, /ImplementationSpecific, matched as Prefix/);
});

test('Ingress: defaultBackend serves what no path matches; without it the request stops', () => {
  const withDefault = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/aaa', type: 'Prefix', svc: 'a' }],
    '\n  defaultBackend: {service: {name: fallback, port: {number: 80}}}') };
  assert.equal(serviceOf(withDefault, 'http://x.com/ccc'), 'fallback');
  assert.match(trace(withDefault, 'http://x.com/ccc').entries[0]!.hop.decision, /defaultBackend/);
  assert.equal(serviceOf(withDefault, 'http://x.com/aaa'), 'a');
  const without = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/aaa', type: 'Prefix', svc: 'a' }]) };
  const r = trace(without, 'http://x.com/ccc');
  assert.equal(r.outcome, 'stopped');
  assert.equal(r.stop?.reason, 'no-rule-matches');
  assert.equal(r.stop?.uri, 'file:///ws/ing.yaml');
});

test('Ingress: rules for one host merge across Ingresses of a class', () => {
  const files = { ...APPS, 'ing.yaml': yaml(
    ingress('one', 'x.com', [{ path: '/', type: 'Prefix', svc: 'a' }]),
    ingress('two', 'x.com', [{ path: '/api', type: 'Prefix', svc: 'b' }]),
  ) };
  const r = trace(files, 'http://x.com/api/z');
  assert.deepEqual(branches(r), ['Ingress/shop/two > Service/shop/b > Deployment/shop/b']);
  assert.ok(r.notes.some((n) => /merges/.test(n)));
  assert.equal(serviceOf(files, 'http://x.com/other'), 'a');
});

test('Ingress: the same host+path+pathType with different backends is reported as a conflict', () => {
  const files = { ...APPS, 'ing.yaml': yaml(
    ingress('one', 'x.com', [{ path: '/api', type: 'Prefix', svc: 'a' }]),
    ingress('two', 'x.com', [{ path: '/api', type: 'Prefix', svc: 'b' }]),
  ) };
  const r = trace(files, 'http://x.com/api');
  assert.ok(r.notes.some((n) => /Conflict/.test(n) && /oldest/.test(n) && /one/.test(n) && /two/.test(n)), r.notes.join('\n'));
});

test('Ingress: different classes are different controllers (one entry each)', () => {
  const files = { ...APPS, 'ing.yaml': yaml(
    ingress('pub', 'x.com', [{ path: '/', type: 'Prefix', svc: 'a' }], '', 'nginx'),
    ingress('int', 'x.com', [{ path: '/', type: 'Prefix', svc: 'b' }], '', 'internal'),
  ) };
  const r = trace(files, 'http://x.com/');
  assert.equal(r.entries.length, 2);
  assert.ok(r.notes.some((n) => /DNS/.test(n)));
});

test('Ingress: a backend naming a missing Service stops at a Missing node', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/', type: 'Prefix', svc: 'nosuch' }]) };
  const r = trace(files, 'http://x.com/');
  assert.deepEqual(branches(r), ['Ingress/shop/i > Missing/Service/shop/nosuch > ! service-missing']);
  assert.equal(r.stop?.reason, 'service-missing');
  assert.equal(r.stop?.range?.start.line, 12); // the `backend:` line naming it (0-based)
});

test('Ingress: legacy extensions/v1beta1 backends (serviceName/servicePort)', () => {
  const files = { ...APPS, 'ing.yaml': `
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old, namespace: shop}
spec:
  rules:
    - host: x.com
      http:
        paths:
          - path: /
            backend: {serviceName: a, servicePort: http}
` };
  const r = trace(files, 'http://x.com/z');
  assert.equal(r.outcome, 'reached');
  assert.equal(firstPath(r)[1]!.hop.servicePort?.name, 'http');
});

test('Ingress: TLS notes (https without tls host; http with tls host)', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/', type: 'Prefix', svc: 'a' }], '\n  tls: [{hosts: [x.com]}]') };
  assert.ok(trace(files, 'http://x.com/').notes.some((n) => /redirects plain HTTP/.test(n)));
  const noTls = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/', type: 'Prefix', svc: 'a' }]) };
  assert.ok(trace(noTls, 'https://x.com/').notes.some((n) => /default certificate/.test(n)));
});

test('Ingress: only ports 80 and 443 reach the controller', () => {
  const files = { ...APPS, 'ing.yaml': ingress('i', 'x.com', [{ path: '/', type: 'Prefix', svc: 'a' }]) };
  const r = trace(files, 'http://x.com:8080/');
  assert.equal(r.outcome, 'stopped');
  assert.match(r.stop!.rule, /80 and 443/);
});
