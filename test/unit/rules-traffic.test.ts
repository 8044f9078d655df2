import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, yaml, WS, one, none, lineOf } from '../helpers/workspace';
import * as fixtures from '../helpers/fixtures';
import type { WorkloadKind } from '../helpers/fixtures';

interface WorkloadOpts {
  kind?: string;
  ns?: string;
  replicas?: number;
  /** Container `ports:` entries (YAML list items, unindented). */
  ports?: string;
  /** Extra pod spec entries (unindented), e.g. initContainers. */
  podSpec?: string;
  serviceName?: string;
}

/** A workload whose pods carry `labels` (one `key: value` per line); its selector names the first label only. */
function workload(name: string, labels: string, o: WorkloadOpts = {}): string {
  const kind = (o.kind ?? 'Deployment') as WorkloadKind;
  const firstLabel = labels.replace(/^\n/, '').split('\n')[0]!;
  const selector = kind === 'Job' ? '' : kind === 'ReplicationController' ? `selector:\n  ${firstLabel}\n` : `selector:\n  matchLabels:\n    ${firstLabel}\n`;
  return fixtures.workload(kind, name, labels, { ...o, selector, container: 'app', image: `ghcr.io/example/${name}:1.0`, ports: o.ports || null });
}

/** A Service with a selector (one `key: value` per line; '' = no selector) and spec extras. */
const service = (name: string, selector: string, ports = '- port: 80\n', o: { ns?: string; spec?: string } = {}): string =>
  fixtures.service(name, selector, { ...o, ports });

describe('service-selects-nothing', () => {
  test('a typo in the selector value is a warning on `selector` naming the nearest miss and where it is', () => {
    const svc = service('some-service', 'app.kubernetes.io/name: some-service\n', '- name: svc-port\n  port: 80\n', { ns: 'apps', spec: 'type: LoadBalancer\n' });
    const dep = workload('some-app', 'app.kubernetes.io/name: some-app\n', { ns: 'apps' });
    const files = { 'service.yaml': svc, 'deployment.yaml': dep };
    const f = one(analyze(files).findings, 'service-selects-nothing');
    assert.equal(f.severity, 'warning');
    assert.equal(f.file, 'service.yaml');
    assert.equal(f.range.start.line, lineOf(svc, 'selector:'));
    assert.equal(covered(files, f), 'selector');
    assert.match(f.message, /Service `apps\/some-service`/);
    assert.match(f.message, /Deployment `apps\/some-app`/);
    assert.match(f.message, /some-app/);
    assert.match(f.message, /deployment\.yaml/);
    assert.equal(f.related.length, 1);
    assert.equal(f.related[0]!.uri, WS + 'deployment.yaml');
    const labelLine = lineOf(dep, 'app.kubernetes.io/name: some-app', lineOf(dep, 'template:'));
    assert.equal(f.related[0]!.range.start.line, labelLine);
  });

  test('the Deployment\'s metadata.labels do not count, only its template labels', () => {
    const dep = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      component: web
  template:
    metadata:
      labels:
        component: web
    spec:
      containers:
        - name: app
          image: nginx:1.27
`;
    one(analyze({ 'd.yaml': dep, 's.yaml': service('web', 'app: web\n') }).findings, 'service-selects-nothing');
  });

  test('two different explicit namespaces never match each other', () => {
    const files = { 's.yaml': service('web', 'app: web\n', undefined, { ns: 'shop' }), 'd.yaml': workload('web', 'app: web\n', { ns: 'billing' }) };
    const f = one(analyze(files).findings, 'service-selects-nothing');
    assert.match(f.message, /billing/);
    assert.equal(f.related[0]!.uri, WS + 'd.yaml');
  });

  test('an unset namespace matches any namespace, in either direction', () => {
    none(analyze({ 's.yaml': service('web', 'app: web\n'), 'd.yaml': workload('web', 'app: web\n', { ns: 'billing' }) }).findings, 'service-selects-nothing');
    none(analyze({ 's.yaml': service('web', 'app: web\n', undefined, { ns: 'shop' }), 'd.yaml': workload('web', 'app: web\n') }).findings, 'service-selects-nothing');
  });

  test('every workload kind with a pod template can be selected', () => {
    for (const kind of ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']) {
      const { findings } = analyze({ 's.yaml': service('web', 'app: web\n'), 'w.yaml': workload('web', 'app: web\n', { kind }) });
      none(findings, 'service-selects-nothing');
      assert.equal(findings.filter((f) => f.severity === 'error').length, 0, `${kind}: ${JSON.stringify(findings.map((f) => f.message))}`);
    }
  });

  test('StatefulSet pod-name label: `web-0` with replicas 3 is fine, `web-5` selects nothing', () => {
    const sts = workload('web', 'app: web\n', { kind: 'StatefulSet', replicas: 3, serviceName: 'web' });
    const headless = service('web', 'app: web\n', '', { spec: 'clusterIP: None\n' });
    const direct = (pod: string) => service('web-direct', `statefulset.kubernetes.io/pod-name: ${pod}\n`);
    none(analyze({ 'sts.yaml': yaml(sts, headless), 'direct.yaml': direct('web-0') }).findings, 'service-selects-nothing');
    none(analyze({ 'sts.yaml': yaml(sts, headless), 'direct.yaml': direct('web-2') }).findings, 'service-selects-nothing');
    const f = one(analyze({ 'sts.yaml': yaml(sts, headless), 'direct.yaml': direct('web-5') }).findings, 'service-selects-nothing');
    assert.equal(f.file, 'direct.yaml');
    assert.match(f.message, /web-direct/);
    one(analyze({ 'sts.yaml': yaml(sts, headless), 'direct.yaml': direct('web-3') }).findings, 'service-selects-nothing');
  });

  test('StatefulSet pod-name without replicas: only ordinal 0 exists', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet' });
    none(analyze({ 'a.yaml': sts, 'b.yaml': service('db-0', 'statefulset.kubernetes.io/pod-name: db-0\n') }).findings, 'service-selects-nothing');
    one(analyze({ 'a.yaml': sts, 'b.yaml': service('db-1', 'statefulset.kubernetes.io/pod-name: db-1\n') }).findings, 'service-selects-nothing');
  });

  test('apps.kubernetes.io/pod-index within replicas is fine', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', replicas: 3 });
    none(analyze({ 'a.yaml': sts, 'b.yaml': service('db-2', 'app: db\napps.kubernetes.io/pod-index: "2"\n') }).findings, 'service-selects-nothing');
  });

  test('pod-template-hash counts on a Deployment but not on a StatefulSet', () => {
    const sel = 'app: web\npod-template-hash: 5d4f8c7b9\n';
    none(analyze({ 'a.yaml': workload('web', 'app: web\n'), 'b.yaml': service('web', sel) }).findings, 'service-selects-nothing');
    one(analyze({ 'a.yaml': workload('web', 'app: web\n', { kind: 'StatefulSet' }), 'b.yaml': service('web', sel) }).findings, 'service-selects-nothing');
  });

  test('job-name counts on a Job and a CronJob, not on a Deployment', () => {
    none(analyze({ 'a.yaml': workload('migrate', 'app: migrate\n', { kind: 'Job' }), 'b.yaml': service('migrate', 'job-name: migrate\n') }).findings,
      'service-selects-nothing');
    none(analyze({ 'a.yaml': workload('backup', 'app: backup\n', { kind: 'CronJob' }), 'b.yaml': service('backup', 'batch.kubernetes.io/job-name: backup-28391234\n') }).findings,
      'service-selects-nothing');
    one(analyze({ 'a.yaml': workload('migrate', 'app: migrate\n'), 'b.yaml': service('migrate', 'job-name: migrate\n') }).findings,
      'service-selects-nothing');
  });

  test('an ExternalName Service with a selector never selects nothing', () => {
    const svc = service('payments', 'app: payments\n', '', { spec: 'type: ExternalName\nexternalName: payments.example.com\n' });
    none(analyze({ 's.yaml': svc }).findings, 'service-selects-nothing');
  });

  test('downgraded to information when a custom resource of an unknown kind is in a compatible namespace, and names it', () => {
    const prom = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: monitoring
spec:
  replicas: 2
`;
    const svc = service('prometheus-operated', 'app.kubernetes.io/name: prometheus\n', '- name: web\n  port: 9090\n', { ns: 'monitoring' });
    const f = one(analyze({ 'prom.yaml': prom, 'svc.yaml': svc }).findings, 'service-selects-nothing');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /Prometheus/);
    assert.equal(covered({ 'svc.yaml': svc }, f), 'selector');
  });

  test('a Knative Service (a custom resource that creates pods, though its kind is `Service`) downgrades too', () => {
    const ksvc = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
`;
    const svc = service('hello-direct', 'serving.knative.dev/service: hello\n');
    const f = one(analyze({ 'ksvc.yaml': ksvc, 'svc.yaml': svc }).findings, 'service-selects-nothing');
    assert.equal(f.severity, 'information', f.message);
  });

  test('an Argo Rollout (unknown kind) downgrades and is named', () => {
    const ro = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\n';
    const f = one(analyze({ 'ro.yaml': ro, 'svc.yaml': service('web', 'app: web\n') }).findings, 'service-selects-nothing');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /Rollout/);
  });

  test('the nearest miss may be the same value under another key', () => {
    const dep = workload('web', 'app: web\ntier: front\n');
    const files = { 'd.yaml': dep, 's.yaml': service('web', 'name: web\ntier: front\n') };
    const f = one(analyze(files).findings, 'service-selects-nothing');
    assert.match(f.message, /Deployment `web`/);
    assert.match(f.message, /`app`/);
    assert.match(f.message, /d\.yaml/);
    assert.equal(f.related[0]!.uri, WS + 'd.yaml');
    assert.equal(f.related[0]!.range.start.line, lineOf(dep, 'app: web', lineOf(dep, 'template:')));
  });

  test('a custom resource in another explicit namespace, or a config-only kind, does not downgrade', () => {
    const prom = 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\n';
    const sm = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  namespace: shop\n';
    const svc = service('web', 'app: web\n', undefined, { ns: 'shop' });
    assert.equal(one(analyze({ 'p.yaml': prom, 's.yaml': svc }).findings, 'service-selects-nothing').severity, 'warning');
    assert.equal(one(analyze({ 'p.yaml': sm, 's.yaml': svc }).findings, 'service-selects-nothing').severity, 'warning');
  });
});

describe('service-no-endpoints', () => {
  test('`selector: {}` is information on the `selector` key', () => {
    const svc = service('my-none-selector-service', '', '- protocol: TCP\n  port: 8080\n  targetPort: 80\n', { spec: 'selector: {}\n' });
    const files = { 'svc.yaml': svc };
    const f = one(analyze(files).findings, 'service-no-endpoints');
    assert.equal(f.severity, 'information');
    assert.equal(f.range.start.line, lineOf(svc, 'selector: {}'));
    assert.equal(covered(files, f), 'selector');
    assert.match(f.message, /my-none-selector-service/);
    none(analyze(files).findings, 'service-selects-nothing');
  });

  test('a Service without selector is reported on its name', () => {
    const svc = service('legacy-db', '');
    const files = { 'svc.yaml': svc };
    const f = one(analyze(files).findings, 'service-no-endpoints');
    assert.equal(covered(files, f), 'legacy-db');
  });

  test('an EndpointSlice labelled kubernetes.io/service-name silences it', () => {
    const slice = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: my-none-selector-service-1
  labels:
    kubernetes.io/service-name: my-none-selector-service
addressType: IPv4
ports:
  - name: ""
    protocol: TCP
    port: 80
endpoints:
  - addresses: ["10.0.12.7"]
`;
    const svc = service('my-none-selector-service', '', '- port: 8080\n  targetPort: 80\n', { spec: 'selector: {}\n' });
    none(analyze({ 'svc.yaml': svc, 'slice.yaml': slice }).findings, 'service-no-endpoints');
  });

  test('an Endpoints object of the same name silences it', () => {
    const ep = `apiVersion: v1
kind: Endpoints
metadata:
  name: legacy-db
subsets:
  - addresses:
      - ip: 10.0.12.7
    ports:
      - port: 5432
`;
    none(analyze({ 'svc.yaml': service('legacy-db', ''), 'ep.yaml': ep }).findings, 'service-no-endpoints');
  });

  test('endpoints for another Service, or in another explicit namespace, do not count', () => {
    const slice = (svcName: string, ns: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: x
  namespace: ${ns}
  labels:
    kubernetes.io/service-name: ${svcName}
addressType: IPv4
endpoints:
  - addresses: ["10.0.12.7"]
`;
    const svc = service('legacy-db', '', undefined, { ns: 'data' });
    one(analyze({ 'svc.yaml': svc, 'slice.yaml': slice('other-db', 'data') }).findings, 'service-no-endpoints');
    one(analyze({ 'svc.yaml': svc, 'slice.yaml': slice('legacy-db', 'web') }).findings, 'service-no-endpoints');
  });

  test('ExternalName Services and Services with a real selector are not reported', () => {
    none(analyze({ 'a.yaml': service('db', '', '', { spec: 'type: ExternalName\nexternalName: db.example.com\n' }) }).findings, 'service-no-endpoints');
    none(analyze({ 'a.yaml': service('web', 'app: web\n'), 'b.yaml': workload('web', 'app: web\n') }).findings, 'service-no-endpoints');
  });
});

describe('target-port-unresolved', () => {
  test('a named targetPort no selected container declares is a warning on the targetPort value', () => {
    const svc = service('web', 'app: web\n', '- name: http\n  port: 80\n  targetPort: http\n');
    const dep = workload('web', 'app: web\n', { ports: '- name: web\n  containerPort: 8080\n' });
    const files = { 'svc.yaml': svc, 'deploy.yaml': dep };
    const f = one(analyze(files).findings, 'target-port-unresolved');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(svc, 'targetPort'));
    assert.equal(covered(files, f), 'http');
    assert.match(f.message, /Service `web`/);
    assert.match(f.message, /`web`/);
    assert.equal(f.related[0]!.uri, WS + 'deploy.yaml');
    assert.equal(f.related[0]!.range.start.line, lineOf(dep, 'name: web'));
  });

  test('matching name but different protocol does not resolve (UDP Service port, TCP container port)', () => {
    const svc = service('dns', 'app: dns\n', '- name: dns\n  protocol: UDP\n  port: 53\n  targetPort: dns\n');
    const dep = workload('dns', 'app: dns\n', { ports: '- name: dns\n  containerPort: 53\n' });
    const files = { 'svc.yaml': svc, 'deploy.yaml': dep };
    const f = one(analyze(files).findings, 'target-port-unresolved');
    assert.equal(covered(files, f), 'dns');
    assert.match(f.message, /protocol/);
  });

  test('matching name but different protocol does not resolve (TCP Service port, UDP container port)', () => {
    const svc = service('dns', 'app: dns\n', '- name: dns\n  port: 53\n  targetPort: dns\n');
    const dep = workload('dns', 'app: dns\n', { ports: '- name: dns\n  containerPort: 53\n  protocol: UDP\n' });
    one(analyze({ 'svc.yaml': svc, 'deploy.yaml': dep }).findings, 'target-port-unresolved');
  });

  test('name and protocol both matching resolves', () => {
    const svc = service('dns', 'app: dns\n', '- name: dns\n  protocol: UDP\n  port: 53\n  targetPort: dns\n');
    const dep = workload('dns', 'app: dns\n', { ports: '- name: dns\n  containerPort: 53\n  protocol: UDP\n' });
    none(analyze({ 'svc.yaml': svc, 'deploy.yaml': dep }).findings, 'target-port-unresolved');
  });

  const sidecar = (restart: string) => `initContainers:
  - name: exporter
    image: ghcr.io/example/exporter:0.3
${restart}    ports:
      - name: metrics
        containerPort: 9090
`;

  test('a port declared by a native sidecar (init container with restartPolicy: Always) resolves', () => {
    const svc = service('web-metrics', 'app: web\n', '- port: 9090\n  targetPort: metrics\n');
    const dep = workload('web', 'app: web\n', { podSpec: sidecar('    restartPolicy: Always\n') });
    const { findings } = analyze({ 'svc.yaml': svc, 'deploy.yaml': dep });
    none(findings, 'target-port-unresolved');
    assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => f.message), []);
  });

  test('a port declared only by a plain init container does not resolve', () => {
    const svc = service('web-metrics', 'app: web\n', '- port: 9090\n  targetPort: metrics\n');
    const dep = workload('web', 'app: web\n', { podSpec: sidecar('') });
    const files = { 'svc.yaml': svc, 'deploy.yaml': dep };
    const f = one(analyze(files).findings, 'target-port-unresolved');
    assert.equal(covered(files, f), 'metrics');
  });

  test('when only some selected workloads declare it, the message names the ones that do not', () => {
    const svc = service('web', 'app: web\n', '- port: 80\n  targetPort: http\n');
    const v1 = workload('web-v1', 'app: web\n', { ports: '- name: http\n  containerPort: 8080\n' });
    const v2 = workload('web-v2', 'app: web\n', { ports: '- name: web\n  containerPort: 8080\n' });
    const files = { 'svc.yaml': svc, 'v1.yaml': v1, 'v2.yaml': v2 };
    const f = one(analyze(files).findings, 'target-port-unresolved');
    assert.match(f.message, /web-v2/);
    assert.doesNotMatch(f.message, /web-v1/);
    assert.deepEqual(f.related.map((r) => r.uri), [WS + 'v2.yaml']);
  });

  test('a Service selecting nothing reports the selector, not its targetPort', () => {
    const svc = service('web', 'app: nothing\n', '- port: 80\n  targetPort: http\n');
    const { findings } = analyze({ 'svc.yaml': svc });
    none(findings, 'target-port-unresolved');
    one(findings, 'service-selects-nothing');
  });
});

describe('target-port-undeclared', () => {
  test('a numeric targetPort matching no declared containerPort is information on the value', () => {
    const svc = service('myapp-nodeport-service', 'app: myapp\n', '- protocol: TCP\n  port: 80\n  targetPort: 9376\n', { spec: 'type: NodePort\n' });
    const dep = workload('myapp', 'app: myapp\n', { ports: '- containerPort: 80\n' });
    const files = { 'svc.yaml': svc, 'deploy.yaml': dep };
    const f = one(analyze(files).findings, 'target-port-undeclared');
    assert.equal(f.severity, 'information');
    assert.equal(f.range.start.line, lineOf(svc, 'targetPort'));
    assert.equal(covered(files, f), '9376');
    assert.match(f.message, /myapp-nodeport-service/);
    assert.match(f.message, /80/);
    assert.equal(f.related[0]!.uri, WS + 'deploy.yaml');
  });

  test('a targetPort defaulted from port is checked at the port value', () => {
    const svc = service('web', 'app: web\n', '- port: 8080\n');
    const files = { 'svc.yaml': svc, 'deploy.yaml': workload('web', 'app: web\n', { ports: '- containerPort: 80\n' }) };
    const f = one(analyze(files).findings, 'target-port-undeclared');
    assert.equal(covered(files, f), '8080');
  });

  test('containers that declare no ports, or declare the target, are fine', () => {
    const svc = service('web', 'app: web\n', '- port: 80\n  targetPort: 9376\n');
    none(analyze({ 's.yaml': svc, 'd.yaml': workload('web', 'app: web\n') }).findings, 'target-port-undeclared');
    none(analyze({ 's.yaml': svc, 'd.yaml': workload('web', 'app: web\n', { ports: '- containerPort: 9376\n' }) }).findings, 'target-port-undeclared');
  });
});

describe('statefulset-service-missing', () => {
  test('a serviceName naming no Service is a warning on the value', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', replicas: 3, serviceName: 'db-headless' });
    const files = { 'sts.yaml': sts };
    const f = one(analyze(files).findings, 'statefulset-service-missing');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, lineOf(sts, 'serviceName'));
    assert.equal(covered(files, f), 'db-headless');
    assert.match(f.message, /StatefulSet `db`/);
    assert.match(f.message, /db-headless/);
  });

  test('a Service of that name in another explicit namespace does not count', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', ns: 'data', serviceName: 'db' });
    const svc = service('db', 'app: db\n', '', { ns: 'web', spec: 'clusterIP: None\n' });
    one(analyze({ 'sts.yaml': sts, 'svc.yaml': svc }).findings, 'statefulset-service-missing');
  });

  test('a headless Service of that name (same or unset namespace) is fine', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', ns: 'data', serviceName: 'db' });
    for (const ns of ['data', undefined]) {
      const svc = service('db', 'app: db\n', '', { ...(ns ? { ns } : {}), spec: 'clusterIP: None\n' });
      const { findings } = analyze({ 'sts.yaml': sts, 'svc.yaml': svc });
      none(findings, 'statefulset-service-missing');
      none(findings, 'statefulset-service-not-headless');
    }
  });
});

describe('statefulset-service-not-headless', () => {
  test('a governing Service with a cluster IP is a warning on serviceName, related to the Service', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', replicas: 3, serviceName: 'db' });
    const svc = service('db', 'app: db\n', '- name: postgres\n  port: 5432\n');
    const files = { 'sts.yaml': sts, 'svc.yaml': svc };
    const f = one(analyze(files).findings, 'statefulset-service-not-headless');
    assert.equal(f.severity, 'warning');
    assert.equal(f.file, 'sts.yaml');
    assert.equal(covered(files, f), 'db');
    assert.equal(f.range.start.line, lineOf(sts, 'serviceName'));
    assert.match(f.message, /StatefulSet `db`/);
    assert.match(f.message, /Service `db`/);
    assert.equal(f.related[0]!.uri, WS + 'svc.yaml');
    assert.equal(f.related[0]!.range.start.line, lineOf(svc, 'name: db'));
  });

  test('related points at the nearest candidate Service (same folder before others)', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', serviceName: 'db' });
    const svc = service('db', 'app: db\n');
    const files = { 'apps/db/sts.yaml': sts, 'aaa/svc.yaml': svc, 'apps/db/svc.yaml': svc, 'zzz/svc.yaml': svc };
    const f = one(analyze(files).findings, 'statefulset-service-not-headless');
    assert.deepEqual(f.related.map((r) => r.uri), [WS + 'apps/db/svc.yaml']);
  });

  test('a NodePort or ExternalName governing Service is not headless either', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', serviceName: 'db' });
    one(analyze({ 'a.yaml': sts, 'b.yaml': service('db', 'app: db\n', undefined, { spec: 'type: NodePort\n' }) }).findings, 'statefulset-service-not-headless');
    one(analyze({ 'a.yaml': sts, 'b.yaml': service('db', '', '', { spec: 'type: ExternalName\nexternalName: db.example.com\n' }) }).findings,
      'statefulset-service-not-headless');
  });

  test('a headless governing Service next to a regular one of another name is fine', () => {
    const sts = workload('db', 'app: db\n', { kind: 'StatefulSet', serviceName: 'db-hl' });
    const files = { 'a.yaml': sts, 'b.yaml': yaml(service('db-hl', 'app: db\n', '', { spec: 'clusterIP: None\n' }), service('db', 'app: db\n')) };
    none(analyze(files).findings, 'statefulset-service-not-headless');
  });
});
