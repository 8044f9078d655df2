import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../helpers/workspace';
import { branches, trace } from '../helpers/trace';
import { parseRequest } from '../../server/src/core/trace/url';
import { formatTrace } from '../../server/src/core/trace/format';

/** TLSRoute (by SNI), TCPRoute and UDPRoute through Gateway listeners; several Gateways and the ones that refuse. */

function app(name: string, port: number, protocol = 'TCP'): string {
  return yaml(`
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: infra}
spec:
  selector: {app: ${name}}
  ports: [{port: ${port}, protocol: ${protocol}}]
`, `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: infra}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, ports: [{containerPort: ${port}, protocol: ${protocol}}]}]
`);
}

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  addresses: [{value: 203.0.113.7}]
  listeners:
    - {name: tls, protocol: TLS, port: 443, hostname: "*.example.com", tls: {mode: Passthrough}}
    - {name: pg, protocol: TCP, port: 5432}
    - {name: dns, protocol: UDP, port: 53}
`;

const l4 = (kind: string, name: string, section: string, backend: string, port: number, hostnames = '') => `
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: ${kind}
metadata: {name: ${name}, namespace: infra}
spec:
  parentRefs: [{name: edge, sectionName: ${section}}]${hostnames}
  rules: [{backendRefs: [{name: ${backend}, port: ${port}}]}]
`;

const FILES = {
  'apps.yaml': yaml(app('db', 5432), app('dns', 53, 'UDP'), app('web-tls', 443), app('api-tls', 443)),
  'gw.yaml': GATEWAY,
  'routes.yaml': yaml(
    l4('TCPRoute', 'pg', 'pg', 'db', 5432),
    l4('UDPRoute', 'dns', 'dns', 'dns', 53),
    l4('TLSRoute', 'all', 'tls', 'web-tls', 443, '\n  hostnames: ["*.example.com"]'),
    l4('TLSRoute', 'api', 'tls', 'api-tls', 443, '\n  hostnames: [api.example.com]'),
  ),
};

test('tcp://gateway:5432: the TCP listener forwards to its TCPRoute\'s backend', () => {
  const r = trace(FILES, 'tcp://edge:5432');
  assert.equal(r.request.inCluster, false);
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), ['Gateway/infra/edge > TCPRoute/infra/pg > Service/infra/db > StatefulSet/infra/db']);
  assert.equal(r.entries[0]!.hop.listener?.name, 'pg');
  // By the Gateway's address, and by name.namespace.
  assert.equal(trace(FILES, 'tcp://203.0.113.7:5432').outcome, 'reached');
  assert.equal(trace(FILES, 'tcp://edge.infra:5432').outcome, 'reached');
  assert.match(formatTrace(r), /^TCP connection to tcp:\/\/edge:5432 \(from outside the cluster\)\n/);
  // No listener on the port: the Gateway is listed as refusing, with why.
  const none = trace(FILES, 'tcp://edge:6379');
  assert.equal(none.stop?.reason, 'no-entry');
  assert.deepEqual(none.refused?.map((x) => [x.id, x.why]), [['Gateway/infra/edge', 'no listener on port 6379 (ports: 443, 5432, 53)']]);
});

test('udp://gateway:53: the UDP listener and its UDPRoute', () => {
  const r = trace(FILES, 'udp://edge:53');
  assert.deepEqual(branches(r), ['Gateway/infra/edge > UDPRoute/infra/dns > Service/infra/dns > StatefulSet/infra/dns']);
  // A TCP connection to the UDP listener's port is not taken.
  assert.match(trace(FILES, 'tcp://edge:53').refused![0]!.why, /its listeners on port 53 take UDP, not TCP/);
});

test('tls://host:443: the TLSRoute whose hostname matches the SNI most specifically (not the first by name)', () => {
  assert.deepEqual(branches(trace(FILES, 'tls://api.example.com:443')), ['Gateway/infra/edge > TLSRoute/infra/api > Service/infra/api-tls > StatefulSet/infra/api-tls']);
  assert.deepEqual(branches(trace(FILES, 'tls://www.example.com')), ['Gateway/infra/edge > TLSRoute/infra/all > Service/infra/web-tls > StatefulSet/infra/web-tls']);
  // An https request to a TLS listener is routed by SNI the same way.
  assert.deepEqual(branches(trace(FILES, 'https://api.example.com/x')), ['Gateway/infra/edge > TLSRoute/infra/api > Service/infra/api-tls > StatefulSet/infra/api-tls']);
  // An SNI the listener does not take.
  const other = trace(FILES, 'tls://other.org:443');
  assert.equal(other.stop?.reason, 'no-entry');
  assert.match(other.refused![0]!.why, /no TLS listener on port 443 accepts host other\.org \(hostnames: \*\.example\.com\)/);
});

test('a route the listener refuses (its kind) says why in its own stop', () => {
  const files = { ...FILES, 'routes.yaml': l4('UDPRoute', 'wrong', 'pg', 'db', 5432) };
  const r = trace(files, 'tcp://edge:5432');
  assert.deepEqual(branches(r), ['Gateway/infra/edge > UDPRoute/infra/wrong > ! route-kind-not-allowed']);
  assert.equal(r.status, '404');
  assert.match(r.stop!.rule, /a TCP listener takes TCPRoute, not UDPRoute/);
});

test('several Gateways: each branch names its Gateway and listener, the ones that refuse the host are listed', () => {
  const gw = (name: string, host: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: web}
spec: {listeners: [{name: https-${name}, protocol: HTTPS, port: 443, hostname: "${host}"}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r-${name}, namespace: web}
spec:
  parentRefs: [{name: ${name}}]
  rules: [{backendRefs: [{name: site, port: 80}]}]
`;
  const site = `
apiVersion: v1
kind: Service
metadata: {name: site, namespace: web}
spec: {selector: {app: site}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: site, namespace: web}
spec:
  selector: {matchLabels: {app: site}}
  template: {metadata: {labels: {app: site}}, spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}
`;
  const files = { 'a.yaml': gw('public', '*.example.com'), 'b.yaml': gw('partners', 'api.example.com'), 'c.yaml': gw('internal', '*.corp'), 'site.yaml': site };
  const r = trace(files, 'https://api.example.com/');
  assert.deepEqual(r.entries.map((e) => [e.hop.id, e.hop.listener?.name]), [['Gateway/web/public', 'https-public'], ['Gateway/web/partners', 'https-partners']]);
  assert.deepEqual(r.refused?.map((x) => x.id), ['Gateway/web/internal']);
  assert.match(formatTrace(r), /not taken by Gateway web\/internal: no HTTPS\/TLS listener on port 443 accepts host api\.example\.com \(hostnames: \*\.corp\)/);
});

test('URLs of the new schemes: tcp and udp need a port, tls defaults to 443, other schemes are refused', () => {
  assert.deepEqual(parseRequest('tcp://gateway'), { error: "'tcp://gateway' needs a port (tcp has no default port)" });
  const tls = parseRequest('tls://DB.Example.com');
  assert.ok(!('error' in tls) && tls.port === 443 && tls.host === 'db.example.com');
  assert.match(JSON.stringify(parseRequest('ftp://x:21')), /unsupported scheme 'ftp'/);
});
