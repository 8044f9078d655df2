import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { assertBuilt, runCliSync } from '../helpers/cli';

const EXAMPLE = path.resolve(__dirname, '../../examples/policies');

const run = (args: string[]) => runCliSync(['can-reach', ...args], EXAMPLE);

before(() => assertBuilt());

test('can-reach: allowed exits 0 and names the allowing rule with path:line', () => {
  const r = run(['Deployment/store/frontend', 'Service/store/cart', '--port', '80']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^allowed: Deployment store\/frontend → Service store\/cart port 80/);
  assert.match(r.stdout, /80 → http → cart:8080\/TCP/);
  assert.match(r.stdout, /allowed by NetworkPolicy store\/cart-from-frontend ingress\[0\] \(policies\.yaml:\d+\)/);
});

test('can-reach: denied exits 1 and names the isolating policies', () => {
  const r = run(['CronJob/store/report', 'svc/store/cart', '--port', '80']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^denied:/);
  assert.match(r.stdout, /isolated by NetworkPolicy store\/default-deny \(policies\.yaml:5\)/);
  // The metrics port is not in the allow rule's ports.
  assert.equal(run(['Deployment/store/frontend', 'Service/store/cart', '--port', 'metrics']).code, 1);
});

test('can-reach: an IP address destination checks only the source egress (none here: allowed)', () => {
  const r = run(['Deployment/store/cart', '10.0.0.1', '--port', '443']);
  assert.equal(r.code, 0);
});

test('can-reach --format json is the ReachResult with relative paths', () => {
  const r = run(['Deployment/store/frontend', 'Service/store/cart', '--port', 'http', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.verdict, 'allowed');
  assert.equal(j.targets[0].via.containerPort, 8080);
  assert.equal(j.ingress.allowedBy[0].policy.uri, 'policies.yaml');
});

test('can-reach: bad usage and unknown names exit 2 with one line on stderr and a suggestion', () => {
  const miss = run(['Deployment/store/frontend', 'Service/store/carts']);
  assert.equal(miss.code, 2);
  assert.equal(miss.stderr.trim().split('\n').length, 1);
  assert.match(miss.stderr, /did you mean Service\/store\/cart\?/);
  assert.equal(run(['Deployment/store/frontend']).code, 2);
  assert.equal(run(['Deployment/store/frontend', 'Service/store/cart', '--port', '99999']).code, 2);
  assert.match(run(['Deployment/store/frontend', 'Service/store/cart', '--port', '81']).stderr, /has no port 81/);
  assert.equal(run(['Deployment/store/frontend', 'Service/store/cart', '--format', 'xml']).code, 2);
  assert.equal(run(['Deployment/store/frontend', 'Service/store/cart', 'no-such-dir']).code, 2);
});
