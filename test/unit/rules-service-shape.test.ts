import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, withCode, WS, one, none, lineOf } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';

/** A Service with the given spec lines (indented by two spaces under `spec:`). */
const service = (name: string, spec: string, extraMeta = ''): string => fixtures.service(name, null, { meta: fixtures.dedent(extraMeta), spec, ports: '' });

describe('service-name-invalid', () => {
  test('a Service name starting with a digit is an error on the name', () => {
    const text = service('2048-game', `
selector:
  app: game
ports:
  - port: 80
`);
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-name-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 3);
    assert.equal(covered(files, f), '2048-game');
    assert.match(f.message, /2048-game/);
  });

  test('underscores, dots and uppercase are not DNS-1035', () => {
    for (const name of ['web_api', 'web.api', 'Web', 'web-']) {
      const files = { 'svc.yaml': service(name, 'clusterIP: None\n') };
      assert.equal(covered(files, one(analyze(files).findings, 'service-name-invalid')), name, name);
    }
  });

  test('more than 63 characters is invalid, exactly 63 is fine', () => {
    const ok = 'a'.repeat(63);
    const bad = 'a'.repeat(64);
    none(analyze({ 'a.yaml': service(ok, 'clusterIP: None\n') }).findings, 'service-name-invalid');
    one(analyze({ 'a.yaml': service(bad, 'clusterIP: None\n') }).findings, 'service-name-invalid');
  });

  test('`2048-game` is a fine Deployment name (DNS-1123) and `game-2048` a fine Service name', () => {
    const files = {
      'd.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: 2048-game
spec:
  selector:
    matchLabels:
      app: game
  template:
    metadata:
      labels:
        app: game
    spec:
      containers:
        - name: game
          image: alexwhen/docker-2048
`,
      's.yaml': service('game-2048', 'selector:\n  app: game\nports:\n  - port: 80\n'),
    };
    none(analyze(files).findings, 'service-name-invalid');
  });
});

describe('service-type-invalid', () => {
  test('`Nodeport` is an error on the type value, suggesting `NodePort`', () => {
    const text = service('web', `
type: Nodeport
selector:
  app: web
ports:
  - port: 80
`);
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-type-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'type:'));
    assert.equal(covered(files, f), 'Nodeport');
    assert.match(f.message, /web/);
    assert.match(f.message, /NodePort/);
  });

  test('`Headless` is not a type', () => {
    const files = { 'svc.yaml': service('web', 'type: Headless\nclusterIP: None\n') };
    assert.equal(covered(files, one(analyze(files).findings, 'service-type-invalid')), 'Headless');
  });

  test('the four real types and an omitted type are fine', () => {
    for (const t of ['ClusterIP', 'NodePort', 'LoadBalancer']) {
      none(analyze({ 'a.yaml': service('web', `type: ${t}\nports:\n  - port: 80\n`) }).findings, 'service-type-invalid');
    }
    none(analyze({ 'a.yaml': service('web', 'type: ExternalName\nexternalName: db.example.com\n') }).findings, 'service-type-invalid');
    none(analyze({ 'a.yaml': service('web', 'ports:\n  - port: 80\n') }).findings, 'service-type-invalid');
  });
});

describe('service-ports-required', () => {
  test('a ClusterIP Service without ports is an error on `spec`', () => {
    const text = service('web', 'selector:\n  app: web\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-ports-required');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 4);
    assert.equal(covered(files, f), 'spec');
    assert.match(f.message, /`web`/);
  });

  test('an empty `ports: []` on a NodePort Service is an error on `ports`', () => {
    const text = service('web', 'type: NodePort\nselector:\n  app: web\nports: []\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-ports-required');
    assert.equal(covered(files, f), 'ports');
  });

  test('a headless Service without ports is fine', () => {
    none(analyze({ 'a.yaml': service('web-peers', 'clusterIP: None\nselector:\n  app: web\n') }).findings, 'service-ports-required');
  });

  test('an ExternalName Service without ports is fine', () => {
    none(analyze({ 'a.yaml': service('db', 'type: ExternalName\nexternalName: db.example.com\n') }).findings, 'service-ports-required');
  });
});

describe('service-port-name-required', () => {
  test('the unnamed port of a two-port Service is an error', () => {
    const text = service('web', `
selector:
  app: web
ports:
  - name: http
    port: 80
    targetPort: 8080
  - port: 443
    targetPort: 8443
`);
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-port-name-required');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'port: 443'));
    assert.equal(covered(files, f), '443');
    assert.match(f.message, /`web`/);
  });

  test('an empty name counts as no name', () => {
    const text = service('web', 'ports:\n  - name: ""\n    port: 80\n  - name: https\n    port: 443\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-port-name-required');
    assert.equal(f.range.start.line, lineOf(text, 'name: ""'));
  });

  test('a single unnamed port and several named ports are fine', () => {
    none(analyze({ 'a.yaml': service('web', 'ports:\n  - port: 80\n') }).findings, 'service-port-name-required');
    none(analyze({ 'a.yaml': service('web', 'ports:\n  - name: http\n    port: 80\n  - name: https\n    port: 443\n') }).findings,
      'service-port-name-required');
  });
});

describe('service-port-name-invalid', () => {
  test('`http_port` is an error on the name value', () => {
    const text = service('web', 'ports:\n  - name: http_port\n    port: 80\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-port-name-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'http_port'));
    assert.equal(covered(files, f), 'http_port');
    assert.match(f.message, /`web`/);
  });

  test('uppercase `HTTP` is invalid', () => {
    const files = { 'svc.yaml': service('web', 'ports:\n  - name: HTTP\n    port: 80\n') };
    assert.equal(covered(files, one(analyze(files).findings, 'service-port-name-invalid')), 'HTTP');
  });

  test('a long DNS-1123 label (over 15 characters) is fine for a Service port name', () => {
    const { findings } = analyze({ 'a.yaml': service('web', 'ports:\n  - name: https-metrics-endpoint\n    port: 8443\n') });
    none(findings, 'service-port-name-invalid');
    none(findings, 'port-name-invalid');
  });
});

describe('service-port-duplicate', () => {
  test('a repeated protocol+port pair is reported on the repeat, related to the first', () => {
    const text = service('web', `
ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: http-alt
    protocol: TCP
    port: 80
    targetPort: 8081
`);
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-port-duplicate');
    assert.equal(f.severity, 'error');
    const firstLine = lineOf(text, 'port: 80');
    assert.equal(f.range.start.line, lineOf(text, 'port: 80', firstLine + 1));
    assert.equal(covered(files, f), '80');
    assert.match(f.message, /`web`/);
    assert.equal(f.related.length, 1);
    assert.equal(f.related[0]!.uri, WS + 'svc.yaml');
    assert.equal(f.related[0]!.range.start.line, firstLine);
  });

  test('a repeated port name is reported on the repeat, related to the first', () => {
    const text = service('web', `
ports:
  - name: http
    port: 80
  - name: http
    port: 8080
`);
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'service-port-duplicate');
    const first = lineOf(text, 'name: http');
    assert.equal(f.range.start.line, lineOf(text, 'name: http', first + 1));
    assert.equal(covered(files, f), 'http');
    assert.equal(f.related[0]!.uri, WS + 'svc.yaml');
    assert.equal(f.related[0]!.range.start.line, first);
  });

  test('the same number over TCP and UDP is fine', () => {
    const text = service('dns', `
selector:
  app: dns
ports:
  - name: dns-udp
    protocol: UDP
    port: 53
  - name: dns-tcp
    protocol: TCP
    port: 53
`);
    none(analyze({ 'a.yaml': text }).findings, 'service-port-duplicate');
  });
});

describe('port-out-of-range', () => {
  test('a Service port of 80800 is an error on the value', () => {
    const text = service('web', 'ports:\n  - port: 80800\n    targetPort: 8080\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'port-out-of-range');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, '80800'));
    assert.equal(covered(files, f), '80800');
    assert.match(f.message, /`web`/);
  });

  test('numeric targetPort, nodePort and containerPort outside 1–65535 are errors', () => {
    const svc = service('web', 'type: NodePort\nports:\n  - port: 80\n    targetPort: 70000\n    nodePort: 65536\n');
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 0
`;
    const files = { 'svc.yaml': svc, 'pod.yaml': pod };
    const got = withCode(analyze(files).findings, 'port-out-of-range').map((f) => `${f.file}:${covered(files, f)}`).sort();
    assert.deepEqual(got, ['pod.yaml:0', 'svc.yaml:65536', 'svc.yaml:70000']);
    const pf = withCode(analyze(files).findings, 'port-out-of-range').find((f) => f.file === 'pod.yaml')!;
    assert.match(pf.message, /Pod `web`/);
  });

  test('boundaries 1 and 65535, and nodePort 0, are fine', () => {
    const text = service('web', 'type: NodePort\nports:\n  - name: a\n    port: 1\n    targetPort: 65535\n    nodePort: 0\n  - name: b\n    port: 65535\n');
    none(analyze({ 'a.yaml': text }).findings, 'port-out-of-range');
  });
});

describe('port-name-invalid', () => {
  test('a named targetPort of 16 characters is an error on the value', () => {
    const text = service('web', 'selector:\n  app: web\nports:\n  - port: 9090\n    targetPort: metrics-endpoint\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'port-name-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(covered(files, f), 'metrics-endpoint');
    assert.match(f.message, /`web`/);
  });

  test('a quoted number as targetPort is a name without letters', () => {
    const text = service('web', 'ports:\n  - port: 80\n    targetPort: "8080"\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'port-name-invalid');
    assert.equal(covered(files, f), '"8080"');
  });

  test('container port names: underscore, leading hyphen and `--` are invalid', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: app
      image: ghcr.io/example/api:1.0
      ports:
        - name: http_api
          containerPort: 8080
        - name: -grpc
          containerPort: 9090
        - name: a--b
          containerPort: 9091
`;
    const files = { 'pod.yaml': pod };
    const got = withCode(analyze(files).findings, 'port-name-invalid').map((f) => covered(files, f)).sort();
    assert.deepEqual(got, ['-grpc', 'a--b', 'http_api']);
  });

  test('15 characters with a letter, and a plain numeric targetPort, are fine', () => {
    const text = service('web', 'ports:\n  - name: a\n    port: 80\n    targetPort: metrics-port-ab\n  - name: b\n    port: 81\n    targetPort: 8080\n');
    none(analyze({ 'a.yaml': text }).findings, 'port-name-invalid');
  });
});

describe('protocol-invalid', () => {
  test('`HTTP` on a Service port is an error on the value', () => {
    const text = service('web', 'ports:\n  - name: http\n    protocol: HTTP\n    port: 80\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'protocol-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(covered(files, f), 'HTTP');
    assert.match(f.message, /`web`/);
  });

  test('lowercase `tcp` on a container port is an error with a fix to `TCP`', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 80
          protocol: tcp
`;
    const files = { 'pod.yaml': pod };
    const f = one(analyze(files).findings, 'protocol-invalid');
    assert.equal(covered(files, f), 'tcp');
    assert.equal(f.data?.type, 'replace');
    assert.equal(f.data?.type === 'replace' ? f.data.newText : '', 'TCP');
  });

  test('TCP, UDP and SCTP are fine', () => {
    const text = service('web', 'ports:\n  - name: a\n    protocol: TCP\n    port: 80\n  - name: b\n    protocol: UDP\n    port: 80\n  - name: c\n    protocol: SCTP\n    port: 80\n');
    none(analyze({ 'a.yaml': text }).findings, 'protocol-invalid');
  });
});

describe('node-port-range', () => {
  test('nodePort 8888 is an error on the value', () => {
    const text = service('sample-nodeport', `
type: NodePort
selector:
  app: sample-app
ports:
  - name: http-port
    port: 8080
    targetPort: 80
    nodePort: 8888
`);
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'node-port-range');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'nodePort: 8888'));
    assert.equal(covered(files, f), '8888');
    assert.match(f.message, /sample-nodeport/);
    assert.match(f.message, /30000/);
  });

  test('nodePort 0, an omitted nodePort and the range boundaries are fine', () => {
    const text = service('web', 'type: LoadBalancer\nports:\n  - name: a\n    port: 80\n    nodePort: 0\n  - name: b\n    port: 81\n    nodePort: 30000\n  - name: c\n    port: 82\n    nodePort: 32767\n  - name: d\n    port: 83\n');
    none(analyze({ 'a.yaml': text }).findings, 'node-port-range');
    one(analyze({ 'a.yaml': text.replace('32767', '32768') }).findings, 'node-port-range');
  });
});

describe('node-port-conflict', () => {
  const a = service('sample-nodeport', `
type: NodePort
selector:
  app: sample-app
ports:
  - name: http-port
    port: 8080
    targetPort: 80
    nodePort: 30080
`);
  const b = service('sample-nodeport-fail', `
type: NodePort
selector:
  app: sample-app
ports:
  - name: http-port
    port: 8080
    targetPort: 80
    nodePort: 30080
`, '  namespace: other-team\n');

  test('two Services with the same nodePort in different files and namespaces: both reported, each related to the other', () => {
    const files = { 'nodeport_sample.yml': a, 'nodeport_duplicate.yml': b };
    const list = withCode(analyze(files).findings, 'node-port-conflict');
    assert.equal(list.length, 2, JSON.stringify(list.map((f) => f.message)));
    const fa = list.find((f) => f.file === 'nodeport_sample.yml')!;
    const fb = list.find((f) => f.file === 'nodeport_duplicate.yml')!;
    for (const [f, text, other, otherText, otherName] of [
      [fa, a, 'nodeport_duplicate.yml', b, 'sample-nodeport-fail'],
      [fb, b, 'nodeport_sample.yml', a, 'sample-nodeport'],
    ] as const) {
      assert.equal(f.severity, 'error');
      assert.equal(f.range.start.line, lineOf(text, 'nodePort: 30080'));
      assert.equal(covered(files, f), '30080');
      assert.match(f.message, new RegExp(`${otherName}\``));
      assert.equal(f.related.length, 1);
      assert.equal(f.related[0]!.uri, WS + other);
      assert.equal(f.related[0]!.range.start.line, lineOf(otherText, 'nodePort: 30080'));
    }
  });

  test('three Services sharing a nodePort: each occurrence relates to both others', () => {
    const c = service('third', 'type: LoadBalancer\nports:\n  - port: 443\n    nodePort: 30080\n');
    const files = { 'a.yaml': a, 'b.yaml': b, 'c.yaml': c };
    const list = withCode(analyze(files).findings, 'node-port-conflict');
    assert.equal(list.length, 3);
    for (const f of list) {
      assert.deepEqual(f.related.map((r) => r.uri).sort(), ['a.yaml', 'b.yaml', 'c.yaml'].filter((n) => n !== f.file).map((n) => WS + n));
    }
  });

  test('the same Service (same namespace and name) in two files is one object, not a conflict', () => {
    const files = { 'base/svc.yaml': a, 'overlays/prod/svc.yaml': a.replace('port: 8080', 'port: 8081') };
    none(analyze(files).findings, 'node-port-conflict');
  });

  test('same name in two different explicit namespaces is two Services: a conflict', () => {
    const inNs = (ns: string) => service('web', 'type: NodePort\nports:\n  - port: 80\n    nodePort: 30080\n', `  namespace: ${ns}\n`);
    const files = { 'a.yaml': inNs('team-a'), 'b.yaml': inNs('team-b') };
    assert.equal(withCode(analyze(files).findings, 'node-port-conflict').length, 2);
  });

  test('different nodePorts, and ClusterIP Services, do not conflict', () => {
    const files = { 'a.yaml': a, 'b.yaml': b.replace('30080', '30081') };
    none(analyze(files).findings, 'node-port-conflict');
  });

  test('one Service using one nodePort for both TCP and UDP is fine', () => {
    const text = service('dns', 'type: NodePort\nports:\n  - name: dns-udp\n    protocol: UDP\n    port: 53\n    nodePort: 30053\n  - name: dns-tcp\n    protocol: TCP\n    port: 53\n    nodePort: 30053\n');
    none(analyze({ 'a.yaml': text }).findings, 'node-port-conflict');
  });
});

describe('node-port-not-allowed', () => {
  test('nodePort on a Service without type (ClusterIP by default) is an error on the value', () => {
    const text = service('web', 'selector:\n  app: web\nports:\n  - port: 80\n    targetPort: 8080\n    nodePort: 30080\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'node-port-not-allowed');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'nodePort'));
    assert.equal(covered(files, f), '30080');
    assert.match(f.message, /`web`/);
    none(analyze(files).findings, 'node-port-range');
  });

  test('nodePort on an explicit ClusterIP and on a headless Service', () => {
    for (const spec of ['type: ClusterIP\n', 'clusterIP: None\n']) {
      const files = { 'a.yaml': service('web', `${spec}ports:\n  - port: 80\n    nodePort: 30080\n`) };
      assert.equal(covered(files, one(analyze(files).findings, 'node-port-not-allowed')), '30080', spec);
    }
  });

  test('nodePort on NodePort and LoadBalancer Services, and nodePort 0 on ClusterIP, are fine', () => {
    for (const spec of ['type: NodePort\n', 'type: LoadBalancer\n']) {
      none(analyze({ 'a.yaml': service('web', `${spec}ports:\n  - port: 80\n    nodePort: 30080\n`) }).findings, 'node-port-not-allowed');
    }
    none(analyze({ 'a.yaml': service('web', 'ports:\n  - port: 80\n    nodePort: 0\n') }).findings, 'node-port-not-allowed');
  });
});

describe('headless-type-conflict', () => {
  test('clusterIP: None with type LoadBalancer is an error on `None`', () => {
    const text = service('web', 'type: LoadBalancer\nclusterIP: None\nselector:\n  app: web\nports:\n  - port: 80\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'headless-type-conflict');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'clusterIP'));
    assert.equal(covered(files, f), 'None');
    assert.match(f.message, /`web`/);
  });

  test('clusterIP: None with type NodePort', () => {
    one(analyze({ 'a.yaml': service('web', 'type: NodePort\nclusterIP: None\nports:\n  - port: 80\n') }).findings, 'headless-type-conflict');
  });

  test('headless with no type or type ClusterIP is fine', () => {
    none(analyze({ 'a.yaml': service('web', 'clusterIP: None\nselector:\n  app: web\n') }).findings, 'headless-type-conflict');
    none(analyze({ 'a.yaml': service('web', 'type: ClusterIP\nclusterIP: None\n') }).findings, 'headless-type-conflict');
  });
});

describe('external-traffic-policy-not-allowed', () => {
  test('externalTrafficPolicy on a ClusterIP Service is an error on the key', () => {
    const text = service('web', 'type: ClusterIP\nexternalTrafficPolicy: Local\nselector:\n  app: web\nports:\n  - port: 80\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'external-traffic-policy-not-allowed');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'externalTrafficPolicy'));
    assert.equal(covered(files, f), 'externalTrafficPolicy');
    assert.match(f.message, /`web`/);
  });

  test('externalTrafficPolicy on a headless Service is an error', () => {
    one(analyze({ 'a.yaml': service('web', 'clusterIP: None\nexternalTrafficPolicy: Cluster\n') }).findings, 'external-traffic-policy-not-allowed');
  });

  test('Local on NodePort, Cluster on LoadBalancer, and Local on ClusterIP with externalIPs are fine', () => {
    for (const spec of [
      'type: NodePort\nexternalTrafficPolicy: Local\n',
      'type: LoadBalancer\nexternalTrafficPolicy: Cluster\n',
      'type: ClusterIP\nexternalIPs:\n  - 203.0.113.7\nexternalTrafficPolicy: Local\n',
    ]) {
      none(analyze({ 'a.yaml': service('web', `${spec}ports:\n  - port: 80\n`) }).findings, 'external-traffic-policy-not-allowed');
    }
  });

  test('internalTrafficPolicy: Local on a ClusterIP Service is fine', () => {
    none(analyze({ 'a.yaml': service('web', 'internalTrafficPolicy: Local\nports:\n  - port: 80\n') }).findings, 'external-traffic-policy-not-allowed');
  });
});

describe('external-name-invalid', () => {
  test('a URL as externalName is an error on the value', () => {
    const text = service('orders-db', 'type: ExternalName\nexternalName: https://db.example.com\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'external-name-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, lineOf(text, 'externalName:'));
    assert.equal(covered(files, f), 'https://db.example.com');
    assert.match(f.message, /orders-db/);
  });

  test('type ExternalName without externalName is an error', () => {
    const text = service('orders-db', 'type: ExternalName\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'external-name-invalid');
    assert.equal(f.range.start.line, lineOf(text, 'type: ExternalName'));
    assert.match(f.message, /orders-db/);
  });

  test('uppercase and `host:port` are not DNS-1123 subdomains', () => {
    for (const v of ['DB.example.com', 'db.example.com:5432', 'db..example.com']) {
      one(analyze({ 'a.yaml': service('db', `type: ExternalName\nexternalName: ${v}\n`) }).findings, 'external-name-invalid');
    }
  });

  test('a hostname with a trailing dot, and ports on an ExternalName Service, are fine', () => {
    const text = service('my-external-service', 'type: ExternalName\nexternalName: example.com.\nports:\n  - protocol: TCP\n    port: 80\n');
    const { findings } = analyze({ 'a.yaml': text });
    none(findings, 'external-name-invalid');
    none(findings, 'service-ports-required');
    none(findings, 'service-no-endpoints');
  });
});

describe('external-name-selector-ignored', () => {
  test('a selector on an ExternalName Service is information on the `selector` key', () => {
    const text = service('payments', 'type: ExternalName\nexternalName: payments.example.com\nselector:\n  app: payments\n');
    const files = { 'svc.yaml': text };
    const { findings } = analyze(files);
    const f = one(findings, 'external-name-selector-ignored');
    assert.equal(f.severity, 'information');
    assert.equal(f.range.start.line, lineOf(text, 'selector:'));
    assert.equal(covered(files, f), 'selector');
    assert.match(f.message, /payments/);
    none(findings, 'service-selects-nothing');
  });

  test('an ExternalName Service without selector, and a ClusterIP Service with one, are fine', () => {
    none(analyze({ 'a.yaml': service('payments', 'type: ExternalName\nexternalName: payments.example.com\n') }).findings, 'external-name-selector-ignored');
    none(analyze({ 'a.yaml': service('payments', 'selector:\n  app: payments\nports:\n  - port: 80\n') }).findings, 'external-name-selector-ignored');
  });
});

describe('load-balancer-ip-deprecated', () => {
  test('spec.loadBalancerIP is a hint on the key', () => {
    const text = service('sample-lb-fixip', 'type: LoadBalancer\nloadBalancerIP: 203.0.113.10\nselector:\n  app: sample-app\nports:\n  - name: http-port\n    port: 8080\n    targetPort: 80\n');
    const files = { 'svc.yaml': text };
    const f = one(analyze(files).findings, 'load-balancer-ip-deprecated');
    assert.equal(f.severity, 'hint');
    assert.equal(f.range.start.line, lineOf(text, 'loadBalancerIP'));
    assert.equal(covered(files, f), 'loadBalancerIP');
    assert.match(f.message, /sample-lb-fixip/);
  });

  test('a provider annotation for the IP is fine', () => {
    const text = service('lb', 'type: LoadBalancer\nports:\n  - port: 80\n',
      '  annotations:\n    metallb.universe.tf/loadBalancerIPs: 203.0.113.10\n');
    none(analyze({ 'a.yaml': text }).findings, 'load-balancer-ip-deprecated');
  });
});

test('a string port without targetPort (found by the fuzzer) is a port-out-of-range, not a crash', () => {
  const files = {
    'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  selector:\n    app: db\n  ports:\n    - port: on\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n        - name: db\n          ports:\n            - name: mysql\n              containerPort: 3306\n',
  };
  const { findings } = analyze(files);
  assert.deepEqual(findings.map((f) => f.code), ['port-out-of-range']);
});
