import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../helpers/workspace';
import { branches, firstPath, trace } from '../helpers/trace';

const WEB = yaml(`
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: admin, port: 9000, targetPort: 9090}
`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: server
          ports: [{name: http, containerPort: 8080}]
`);

test('Service: in-cluster names (short with -n, name.ns, .svc, .svc.cluster.local)', () => {
  const files = { 'web.yaml': WEB };
  for (const url of ['web:80', 'web.shop:80', 'http://web.shop.svc/', 'http://web.shop.svc.cluster.local:80/x']) {
    const r = trace(files, url, { namespace: 'shop' });
    assert.equal(r.request.inCluster, true, url);
    assert.deepEqual(branches(r), ['Service/shop/web > Deployment/shop/web'], url);
  }
  assert.equal(trace(files, 'web:80', { namespace: 'other' }).stop?.reason, 'service-missing');
  assert.equal(trace(files, 'http://web.other.svc.cluster.local/').stop?.reason, 'service-missing');
});

test('Service: port by number → named targetPort → container port, with replicas', () => {
  const r = trace({ 'web.yaml': WEB }, 'web.shop:80');
  const [svc, wl] = firstPath(r);
  assert.deepEqual(svc!.hop.servicePort, { port: 80, name: 'http', targetPort: 'http' });
  assert.equal(wl!.hop.container, 'server');
  assert.equal(wl!.hop.podPort, 8080);
  assert.equal(wl!.hop.replicas, 3);
});

test('Service: a port the Service does not have stops, naming its ports', () => {
  const r = trace({ 'web.yaml': WEB }, 'web.shop:8080');
  assert.equal(r.stop?.reason, 'service-port-missing');
  assert.match(r.stop!.rule, /no port 8080 \(it has 80\/http, 9000\/admin\)/);
});

test('Service: an undeclared numeric targetPort still reaches the pod (it may listen)', () => {
  const r = trace({ 'web.yaml': WEB }, 'web.shop:9000');
  assert.equal(r.outcome, 'reached');
  assert.equal(firstPath(r)[1]!.hop.podPort, 9090);
  assert.match(firstPath(r)[1]!.hop.decision, /no container declares it/);
});

test('Service: Ingress backend by port name', () => {
  const files = { 'web.yaml': WEB, 'i.yaml': `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {name: admin}}}
` };
  const r = trace(files, 'http://any.host/');
  assert.equal(firstPath(r)[1]!.hop.servicePort?.port, 9000);
});

test('Service: named targetPort no container declares stops on that workload', () => {
  const files = { 'web.yaml': WEB.replace('targetPort: http}', 'targetPort: web}') };
  const r = trace(files, 'web.shop:80');
  assert.equal(r.stop?.reason, 'target-port-unresolved');
});

test('Service: selector matching nothing stops with the nearest miss', () => {
  const files = { 'web.yaml': WEB.replace('selector: {app: web}', 'selector: {app: wbe}') };
  const r = trace(files, 'web.shop:80');
  assert.equal(r.outcome, 'stopped');
  assert.equal(r.stop?.reason, 'service-selects-nothing');
  assert.match(r.stop!.rule, /app=wbe.*nearest: Deployment web has app=web/);
});

test('Service: replicas 0, unknown replicas, DaemonSet', () => {
  assert.equal(trace({ 'web.yaml': WEB.replace('replicas: 3', 'replicas: 0') }, 'web.shop:80').stop?.reason, 'no-replicas');
  const unknown = trace({ 'web.yaml': WEB.replace('replicas: 3', 'replicas: ${REPLICAS}') }, 'web.shop:80');
  assert.equal(firstPath(unknown)[1]!.hop.replicas, 'unknown');
  const ds = trace({ 'web.yaml': WEB.replace('kind: Deployment', 'kind: DaemonSet').replace('replicas: 3', '') }, 'web.shop:80');
  assert.equal(firstPath(ds)[1]!.hop.replicas, 'one per node');
});

const DB = yaml(`
apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432, targetPort: pg}]
`, `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  serviceName: db
  replicas: 7
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, ports: [{name: pg, containerPort: 5432}]}]
`);

test('Service: headless → per-pod DNS names of the StatefulSet (capped)', () => {
  const r = trace({ 'db.yaml': DB }, 'db.data:5432');
  const wl = firstPath(r)[1]!.hop;
  assert.equal(r.outcome, 'reached');
  assert.equal(wl.podDns?.[0], 'db-0.db.data.svc.cluster.local');
  assert.equal(wl.podDns?.length, 5);
  assert.equal(wl.podDnsTruncated, true);
  assert.equal(wl.podPort, 5432);
});

test('Service: pod DNS name of a headless Service reaches that pod', () => {
  const r = trace({ 'db.yaml': DB }, 'http://db-6.db.data.svc.cluster.local:5432/');
  assert.equal(r.outcome, 'reached');
  assert.equal(firstPath(r)[1]!.hop.type, 'Pod');
  assert.equal(trace({ 'db.yaml': DB }, 'http://db-7.db.data.svc.cluster.local:5432/').stop?.reason, 'pod-missing');
});

test('Service: ExternalName → External host', () => {
  const files = { 'ext.yaml': `
apiVersion: v1
kind: Service
metadata: {name: stripe, namespace: pay}
spec:
  type: ExternalName
  externalName: api.stripe.com
` };
  const r = trace(files, 'https://stripe.pay.svc.cluster.local/v1');
  assert.equal(r.outcome, 'reached');
  assert.deepEqual(branches(r), ['Service/pay/stripe > External/api.stripe.com']);
  assert.deepEqual(r.edges, [{ from: 'Service/pay/stripe', to: 'External/api.stripe.com', kind: 'aliases' }]);
});

test('Service: no selector → Endpoints, or a stop when there are none', () => {
  const svc = `
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  ports: [{port: 80}]
`;
  assert.equal(trace({ 's.yaml': svc }, 'legacy.shop:80').stop?.reason, 'no-endpoints');
  const eps = yaml(svc, `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: legacy-1, namespace: shop, labels: {kubernetes.io/service-name: legacy}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.5]}]
`);
  assert.deepEqual(branches(trace({ 's.yaml': eps }, 'legacy.shop:80')), ['Service/shop/legacy > EndpointSlice/shop/legacy-1']);
});

test('Service: a short name without -n is traced in every namespace defining it', () => {
  const r = trace({ 'a.yaml': WEB, 'b.yaml': WEB.replaceAll('namespace: shop', 'namespace: staging') }, 'web:80');
  assert.equal(r.entries.length, 2);
  assert.ok(r.notes.some((n) => /-n/.test(n)));
});

test('Trace: an empty workspace and an unknown outside host stop clearly', () => {
  assert.equal(trace({}, 'https://x.example.com/').stop?.reason, 'empty-workspace');
  const r = trace({ 'web.yaml': WEB }, 'https://x.example.com/');
  assert.equal(r.stop?.reason, 'no-entry');
  assert.equal(r.request.inCluster, false);
});
