import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../server/out/cli.js');
let dir: string;

function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, 'trace', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(rel: string, content: string) {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

before(() => {
  assert.ok(existsSync(CLI), 'run `npm run build` first');
  dir = mkdtempSync(path.join(os.tmpdir(), 'kt-trace-'));
  write('apps/web.yaml', `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          ports:
            - containerPort: 8080
`);
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
