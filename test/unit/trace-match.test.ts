import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayHostMatch, ingressHostMatch, prefixMatches } from '../../server/src/core/facts/match';
import { clusterName, parseHeader, parseRequest } from '../../server/src/core/trace/url';

// Kubernetes Ingress docs, "Examples" table of path matching (one path per row).
const INGRESS_PREFIX_TABLE: [string, string, boolean][] = [
  ['/', '/anything/at/all', true],
  ['/foo', '/foo', true],
  ['/foo', '/foo/', true],
  ['/foo/', '/foo', true],
  ['/foo/', '/foo/', true],
  ['/aaa/bb', '/aaa/bbb', false],
  ['/aaa/bbb', '/aaa/bbb', true],
  ['/aaa/bbb/', '/aaa/bbb', true],
  ['/aaa/bbb', '/aaa/bbb/', true],
  ['/aaa/bbb', '/aaa/bbb/ccc', true],
  ['/aaa/bbb', '/aaa/bbbxyz', false],
  ['/aaa', '/ccc', false],
];

test('Prefix matching is element-wise (Kubernetes Ingress examples table)', () => {
  for (const [prefix, path, want] of INGRESS_PREFIX_TABLE) {
    assert.equal(prefixMatches(prefix, path), want, `Prefix ${prefix} vs ${path}`);
  }
});

test('Prefix matching is case-sensitive', () => {
  assert.equal(prefixMatches('/Foo', '/foo'), false);
});

test('Ingress host: exact, one-label wildcard, absent', () => {
  assert.equal(ingressHostMatch('foo.bar.com', 'foo.bar.com'), 'exact');
  assert.equal(ingressHostMatch('foo.bar.com', 'bar.com'), undefined);
  // "*.foo.com" matches "bar.foo.com" but not "baz.bar.foo.com" nor "foo.com" (Ingress docs, Hostname wildcards).
  assert.equal(ingressHostMatch('*.foo.com', 'bar.foo.com'), 'wildcard');
  assert.equal(ingressHostMatch('*.foo.com', 'baz.bar.foo.com'), undefined);
  assert.equal(ingressHostMatch('*.foo.com', 'foo.com'), undefined);
  assert.equal(ingressHostMatch(undefined, 'anything.example'), 'any');
});

test('Gateway API hostname: a wildcard is a suffix match of one or more labels', () => {
  // Listener.hostname docs: *.example.com matches test.example.com and foo.test.example.com, not example.com.
  assert.equal(gatewayHostMatch('*.example.com', 'test.example.com'), 'wildcard');
  assert.equal(gatewayHostMatch('*.example.com', 'foo.test.example.com'), 'wildcard');
  assert.equal(gatewayHostMatch('*.example.com', 'example.com'), undefined);
  assert.equal(gatewayHostMatch('Test.Example.com', 'test.example.com'), 'exact');
  assert.equal(gatewayHostMatch(undefined, 'x.y'), 'any');
});

test('parseRequest: schemes, default ports, path, query, Host header', () => {
  const r = parseRequest('https://Shop.Example.com/api/v1/cart?id=7&x=a%20b');
  assert.ok(!('error' in r));
  assert.equal(r.scheme, 'https');
  assert.equal(r.host, 'shop.example.com');
  assert.equal(r.port, 443);
  assert.equal(r.path, '/api/v1/cart');
  assert.deepEqual(r.query, [{ name: 'id', value: '7' }, { name: 'x', value: 'a b' }]);
  assert.equal(r.method, 'GET');
  const bare = parseRequest('web.shop:8080');
  assert.ok(!('error' in bare));
  assert.equal(bare.scheme, 'http');
  assert.equal(bare.host, 'web.shop');
  assert.equal(bare.port, 8080);
  assert.equal(bare.path, '/');
  const hosted = parseRequest('http://10.0.0.1/', { headers: [{ name: 'Host', value: 'shop.example.com' }], method: 'post' });
  assert.ok(!('error' in hosted));
  assert.equal(hosted.host, 'shop.example.com');
  assert.equal(hosted.method, 'POST');
});

test('parseRequest: bad input is a message, not an exception', () => {
  for (const bad of ['', 'ftp://x/', 'http://', 'ht!tp://x', 'http://user:pw@host/']) {
    const r = parseRequest(bad);
    assert.ok('error' in r, `expected an error for '${bad}'`);
  }
  assert.ok('error' in parseRequest('http://x/', { method: 'GE T' }));
});

test('parseHeader accepts K=V and K: V', () => {
  assert.deepEqual(parseHeader('x-env=canary'), { name: 'x-env', value: 'canary' });
  assert.deepEqual(parseHeader('X-Env: a=b'), { name: 'X-Env', value: 'a=b' });
  assert.equal(parseHeader('novalue'), undefined);
});

test('clusterName reads the forms of cluster DNS', () => {
  assert.deepEqual(clusterName('web', 'shop'), { form: 'service', service: 'web', namespace: 'shop', explicit: false });
  assert.deepEqual(clusterName('web.shop', undefined), { form: 'service', service: 'web', namespace: 'shop', explicit: true });
  assert.deepEqual(clusterName('web.shop.svc', undefined), { form: 'service', service: 'web', namespace: 'shop', explicit: true });
  assert.deepEqual(clusterName('web.shop.svc.cluster.local', 'other'), { form: 'service', service: 'web', namespace: 'shop', explicit: true });
  assert.deepEqual(clusterName('web-0.web.shop.svc.cluster.local', undefined), { form: 'pod', pod: 'web-0', service: 'web', namespace: 'shop' });
  assert.equal(clusterName('shop.example.com', undefined), undefined);
  assert.equal(clusterName('10.0.0.1', undefined), undefined);
});
