import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, yaml } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';
import { branches, firstPath, trace } from '../helpers/trace';
import { replacePrefix } from '../../server/src/core/trace/redirect';
import { traceFollowing } from '../../server/src/core/trace/follow';
import { parseRequest } from '../../server/src/core/trace/url';
import { formatTrace } from '../../server/src/core/trace/format';
import { buildGraph } from '../../server/src/core/features/graph';

/**
 * HTTPRoute filters as the Gateway API spec and its conformance tests define them
 * (httproute-redirect-*.yaml, httproute-rewrite-*.yaml, httproute-request-mirror.yaml).
 */

const app = (name: string, ns = 'shop'): string => yaml(...fixtures.app(name, { ns }));

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  listeners:
    - {name: http, protocol: HTTP, port: 80}
    - {name: http8080, protocol: HTTP, port: 8080}
    - {name: https, protocol: HTTPS, port: 443}
`;

function route(rules: string, name = 'r'): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  rules:
${rules}`;
}

const files = (rules: string, extra: Record<string, string> = {}) => ({ 'apps.yaml': yaml(app('a'), app('b')), 'gw.yaml': GATEWAY, 'r.yaml': route(rules), ...extra });
const redirect = (prefix: string, spec: string) => `    - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n      filters: [{type: RequestRedirect, requestRedirect: ${spec}}]\n`;

test('RequestRedirect: a final hop with status redirect, the Location and the code (302 by default), not 500', () => {
  const r = trace(files(redirect('/', '{hostname: example.org}')), 'http://shop.example.com/x');
  assert.equal(r.outcome, 'stopped');
  assert.equal(r.status, 'redirect');
  assert.equal(r.stop?.reason, 'redirect');
  assert.equal(r.stop?.status, 'redirect');
  assert.equal(r.stop?.code, 302);
  assert.equal(r.stop?.location, 'http://example.org/x');
  assert.deepEqual(branches(r), ['Gateway/shop/gw > HTTPRoute/shop/r > ! redirect']);
  assert.deepEqual(firstPath(r)[1]!.hop.filters, ['RequestRedirect 302 (host example.org)']);
  // The text output shows the status with the Location.
  assert.match(formatTrace(r), /↪ \[redirect 302 → http:\/\/example\.org\/x\] redirect: /);
});

test('RequestRedirect: scheme and port as conformance expects (httproute-redirect-port-and-scheme)', () => {
  const rules = [
    redirect('/scheme-nil-and-port-nil', '{hostname: example.org}'),
    redirect('/scheme-nil-and-port-80', '{port: 80, hostname: example.org}'),
    redirect('/scheme-nil-and-port-8080', '{port: 8080, hostname: example.org}'),
    redirect('/scheme-https-and-port-nil', '{scheme: https, hostname: example.org}'),
    redirect('/scheme-https-and-port-443', '{scheme: https, port: 443, hostname: example.org}'),
    redirect('/scheme-https-and-port-8443', '{scheme: https, port: 8443, hostname: example.org}'),
    redirect('/scheme-http-and-port-nil', '{scheme: http, hostname: example.org}'),
  ].join('');
  const loc = (url: string) => trace(files(rules), url).stop?.location;
  // Listener on 80.
  assert.equal(loc('http://x.org/scheme-nil-and-port-nil'), 'http://example.org/scheme-nil-and-port-nil');
  assert.equal(loc('http://x.org/scheme-nil-and-port-80'), 'http://example.org/scheme-nil-and-port-80');
  assert.equal(loc('http://x.org/scheme-nil-and-port-8080'), 'http://example.org:8080/scheme-nil-and-port-8080');
  assert.equal(loc('http://x.org/scheme-https-and-port-nil'), 'https://example.org/scheme-https-and-port-nil');
  assert.equal(loc('http://x.org/scheme-https-and-port-443'), 'https://example.org/scheme-https-and-port-443');
  assert.equal(loc('http://x.org/scheme-https-and-port-8443'), 'https://example.org:8443/scheme-https-and-port-8443');
  // Listener on 8080: no scheme and no port keep the listener's port; a scheme brings its well-known port.
  assert.equal(loc('http://x.org:8080/scheme-nil-and-port-nil'), 'http://example.org:8080/scheme-nil-and-port-nil');
  assert.equal(loc('http://x.org:8080/scheme-nil-and-port-80'), 'http://example.org/scheme-nil-and-port-80');
  assert.equal(loc('http://x.org:8080/scheme-https-and-port-nil'), 'https://example.org/scheme-https-and-port-nil');
  // Listener on 443 (HTTPS): the request's scheme.
  assert.equal(loc('https://x.org/scheme-nil-and-port-nil'), 'https://example.org/scheme-nil-and-port-nil');
  assert.equal(loc('https://x.org/scheme-http-and-port-nil'), 'http://example.org/scheme-http-and-port-nil');
});

test('RequestRedirect: path ReplaceFullPath and ReplacePrefixMatch, status codes (httproute-redirect-path)', () => {
  const rules = [
    redirect('/original-prefix', '{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}'),
    redirect('/full', '{path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}}'),
    redirect('/path-and-status', '{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}, statusCode: 301}'),
  ].join('');
  const stop = (url: string) => trace(files(rules), url).stop!;
  assert.equal(stop('http://x.org/original-prefix/lemon').location, 'http://x.org/replacement-prefix/lemon');
  assert.equal(stop('http://x.org/full/path/original').location, 'http://x.org/full-path-replacement');
  assert.deepEqual([stop('http://x.org/path-and-status').location, stop('http://x.org/path-and-status').code], ['http://x.org/replacement-prefix', 301]);
  assert.equal(stop('http://x.org/original-prefix/lemon').code, 302);
  // The query string is kept (trace's assumption; the spec does not say).
  assert.equal(stop('http://x.org/full/x?a=1').location, 'http://x.org/full-path-replacement?a=1');
});

test('ReplacePrefixMatch: the spec\'s table (HTTPPathModifier)', () => {
  const rows: [string, string, string, string][] = [
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'], ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'], ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'], ['/foo', '/foo', '/xyz', '/xyz'], ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo/bar', '/foo', '', '/bar'], ['/foo/', '/foo', '', '/'], ['/foo', '/foo', '', '/'], ['/foo/', '/foo', '/', '/'], ['/foo', '/foo', '/', '/'],
  ];
  for (const [path, prefix, replacement, want] of rows) assert.equal(replacePrefix(path, prefix, replacement), want, `${path} ${prefix} ${replacement}`);
});

test('ReplacePrefixMatch on a rule that does not match by PathPrefix: unknown, the implementation rejects it', () => {
  const r = trace(files('    - matches: [{path: {type: Exact, value: /a}}]\n      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]\n'), 'http://x.org/a');
  assert.equal(r.stop?.reason, 'filter-invalid');
  assert.equal(r.status, 'unknown');
});

test('URLRewrite: the Host and path the backend sees; header modifiers are shown in the hop', () => {
  const r = trace(files(`    - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
      filters:
        - {type: URLRewrite, urlRewrite: {hostname: internal.example, path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}
        - type: RequestHeaderModifier
          requestHeaderModifier: {set: [{name: X-Header-Set, value: v}], add: [{name: X-Header-Add, value: a}], remove: [X-Header-Remove]}
        - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Resp, value: r}]}}
      backendRefs: [{name: a, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /full/one}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
      backendRefs: [{name: a, port: 80}]
`), 'http://shop.example.com/prefix/one/two');
  assert.equal(r.outcome, 'reached');
  const hop = firstPath(r)[1]!.hop;
  assert.deepEqual(hop.rewrite, { host: 'internal.example', path: '/one/two' });
  assert.deepEqual(hop.requestHeaders, { set: [{ name: 'X-Header-Set', value: 'v' }], add: [{ name: 'X-Header-Add', value: 'a' }], remove: ['X-Header-Remove'] });
  assert.deepEqual(hop.responseHeaders, { set: [{ name: 'X-Resp', value: 'r' }], add: [], remove: [] });
  assert.match(formatTrace(r), /· the backend sees Host internal\.example, path \/one\/two/);
  const full = trace(files(`    - matches: [{path: {type: PathPrefix, value: /full/one}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
      backendRefs: [{name: a, port: 80}]
`), 'http://x.org/full/one/two');
  assert.deepEqual(firstPath(full)[1]!.hop.rewrite, { host: 'x.org', path: '/one' });
});

test('RequestMirror: a second branch marked mirror, a `mirrors` edge, and it neither reaches nor stops the request', () => {
  const rules = `    - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: b, port: 80}, percent: 25}}]
      backendRefs: [{name: a, port: 80}]
`;
  const r = trace(files(rules), 'http://x.org/');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), [
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/a > Deployment/shop/a',
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/b > Deployment/shop/b',
  ]);
  const mirror = r.entries[0]!.next[0]!.next[1]!;
  assert.deepEqual(mirror.hop.mirror, { percent: 25 });
  assert.ok(r.edges.some((e) => e.from === 'HTTPRoute/shop/r' && e.to === 'Service/shop/b' && e.kind === 'mirrors'));
  // The graph has the same edge kind.
  const { analyzer } = analyze(files(rules));
  const g = buildGraph(analyzer);
  assert.deepEqual(g.edges.filter((e) => e.kind === 'mirrors').map((e) => [e.from, e.to, e.label, e.broken]), [['HTTPRoute/shop/r', 'Service/shop/b', 'mirror 25% → 80', false]]);
  // A mirror to a missing Service fails only the copies: the request is still reached.
  const gone = trace(files(rules.replace('name: b,', 'name: gone,')), 'http://x.org/');
  assert.equal(gone.outcome, 'reached');
  assert.deepEqual(branches(gone).at(-1), 'Gateway/shop/gw > HTTPRoute/shop/r > Missing/Service/shop/gone > ! service-missing');
  // And a mirror alone reaches nothing for the client: no backendRefs is a 500.
  const only = trace(files('    - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: b, port: 80}}}]\n'), 'http://x.org/');
  assert.equal(only.stop?.reason, 'no-backends');
  assert.equal(only.status, '500');
});

test('Filters on a backendRef apply to that backend only; ExtensionRef is named, not traced', () => {
  const r = trace(files(`    - filters: [{type: ExtensionRef, extensionRef: {group: acme.io, kind: AuthFilter, name: sso}}]
      backendRefs:
        - name: a
          port: 80
          filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-backend, value: a}]}}]
        - {name: b, port: 80}
`), 'http://x.org/');
  assert.equal(r.outcome, 'reached');
  const [a, b] = r.entries[0]!.next[0]!.next;
  assert.deepEqual(a!.hop.requestHeaders?.add, [{ name: 'x-backend', value: 'a' }]);
  assert.equal(b!.hop.requestHeaders, undefined);
  assert.deepEqual(firstPath(r)[1]!.hop.filters, ['ExtensionRef AuthFilter sso (acme.io): implementation-specific, not traced']);
  assert.ok(r.notes.some((n) => /ExtensionRef filter AuthFilter sso \(acme\.io\) is implementation-specific and not traced/.test(n) && /not in the workspace/.test(n)), r.notes.join('\n'));
  // A RequestRedirect on one backendRef redirects that backend's share.
  const split = trace(files(`    - backendRefs:
        - {name: a, port: 80, filters: [{type: RequestRedirect, requestRedirect: {hostname: other.org}}]}
        - {name: b, port: 80}
`), 'http://x.org/p');
  assert.equal(split.outcome, 'reached');
  assert.deepEqual(branches(split), [
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/a 50% > ! redirect',
    'Gateway/shop/gw > HTTPRoute/shop/r > Service/shop/b 50% > Deployment/shop/b',
  ]);
});

function follow(f: Record<string, string>, url: string, method = 'GET') {
  const input = parseRequest(url, { method });
  if ('error' in input) throw new Error(input.error);
  return traceFollowing(analyze(f).analyzer, input);
}

test('trace --follow: the redirect target is traced too, as a client following it sends it', () => {
  const https = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: secure, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: https}]
  rules: [{backendRefs: [{name: a, port: 80}]}]
`;
  const f = { ...files(''), 'r.yaml': route(redirect('/', '{scheme: https, statusCode: 301}')).replace('[{name: gw}]', '[{name: gw, sectionName: http}]'), 's.yaml': https };
  const r = follow(f, 'http://shop.example.com/cart', 'POST');
  assert.equal(r.status, 'redirect');
  assert.equal(r.followed?.request.url, 'https://shop.example.com/cart');
  assert.equal(r.followed?.request.method, 'GET'); // after a 301, a POST is re-sent as GET (curl -L)
  assert.equal(r.followed?.outcome, 'reached');
  assert.deepEqual(branches(r.followed!), ['Gateway/shop/gw > HTTPRoute/shop/secure > Service/shop/a > Deployment/shop/a']);
  assert.match(formatTrace(r), /Following the redirect to https:\/\/shop\.example\.com\/cart:\nGET https:\/\/shop\.example\.com\/cart/);
  // 308 keeps the method.
  const f308 = { ...f, 'r.yaml': f['r.yaml']!.replace('statusCode: 301', 'statusCode: 308') };
  assert.equal(follow(f308, 'http://shop.example.com/cart', 'POST').followed?.request.method, 'POST');
});

test('trace --follow: a loop is named, and at most 5 redirects are followed', () => {
  const loop = follow(files(redirect('/', '{hostname: x.org}')), 'http://x.org/a');
  assert.equal(loop.followed, undefined);
  assert.ok(loop.notes.some((n) => /already traced: a redirect loop/.test(n)));
  // /a → /a/a → /a/a/a … never repeats.
  let r = follow(files(redirect('/a', '{path: {type: ReplacePrefixMatch, replacePrefixMatch: /a/a}}')), 'http://x.org/a');
  let hops = 0;
  while (r.followed) { r = r.followed; hops++; }
  assert.equal(hops, 5);
  assert.ok(r.notes.some((n) => /Stopped following after 5 redirects/.test(n)));
});
