/**
 * Hover: markdown, concise, on Services, selectors, ports, pod labels, container ports and
 * Ingress / HTTPRoute backends, on the `shop` fixture (namespaces shop and data, several files).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, MarkupKind, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { serverPerFile } from '../helpers/lsp';
import { fixture, posOf, read, uriOf } from './lspTestUtils';

const SHOP = fixture('shop');
const s = serverPerFile(SHOP);

async function hover(rel: string, needle: string, occurrence = 0, delta = 1): Promise<Hover | null> {
  return s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(SHOP, rel) }, position: posOf(read(SHOP, rel), needle, occurrence, delta) });
}

/** The markdown of a hover, checked to be markdown and concise. */
async function md(rel: string, needle: string, occurrence = 0, delta = 1): Promise<string> {
  const h = await hover(rel, needle, occurrence, delta);
  assert.ok(h, `no hover at ${rel} ${needle}#${occurrence}`);
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, MarkupKind.Markdown);
  assert.ok(c.value.length < 1600, `hover is ${c.value.length} characters`);
  assert.ok(c.value.split('\n').length <= 20, `hover is ${c.value.split('\n').length} lines`);
  return c.value;
}

test('hover on a Service (NodePort): type meaning, DNS name, every port as a chain per selected workload with replicas, external entry', async () => {
  const h = await hover('apps/web-service.yaml', 'name: web', 0, 7);
  assert.ok(h);
  // The range is the hovered name token.
  assert.deepEqual(h.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } });
  const v = await md('apps/web-service.yaml', 'name: web', 0, 7);
  assert.match(v, /^\*\*Service `shop\/web`\*\* · NodePort 30080\n/);
  assert.match(v, /port opened on \*\*every node\*\*/);
  assert.match(v, /DNS: `web\.shop\.svc\.cluster\.local`/);
  assert.match(v, /Deployment `shop\/web` \(3 replicas\)/);
  assert.match(v, /Deployment `shop\/web-canary` \(2 replicas\)/);
  // nodePort → port → targetPort → container:containerPort, for each port and each workload.
  const chains = v.split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(chains.sort(), [
    '- `node:(auto)` → `9100 (metrics)` → `metrics` → `nginx:9090` · Deployment `shop/web-canary` (2 replicas)',
    '- `node:(auto)` → `9100 (metrics)` → `metrics` → `nginx:9090` · Deployment `shop/web` (3 replicas)',
    '- `node:30080` → `80 (http)` → `http` → `nginx:8080` · Deployment `shop/web-canary` (2 replicas)',
    '- `node:30080` → `80 (http)` → `http` → `nginx:8080` · Deployment `shop/web` (3 replicas)',
  ]);
  assert.match(v, /External entry: NodePort `30080` on every node\./);
});

test('hover on the type of a LoadBalancer Service: the fixed LoadBalancer IP, NodePort on every node, the chain from the load balancer', async () => {
  const v = await md('edge/lb.yaml', 'type: LoadBalancer', 0, 8);
  assert.match(v, /^\*\*Service `shop\/edge`\*\*/);
  assert.match(v, /external load balancer/);
  assert.match(v, /DNS: `edge\.shop\.svc\.cluster\.local`/);
  assert.match(v, /- `LoadBalancer` → `node:31443` → `443 \(https\)` → `8080` → `nginx:8080` · Deployment `shop\/web` \(3 replicas\)/);
  assert.doesNotMatch(v, /web-canary/, 'the edge selector (track=stable) does not select the canary');
  assert.match(v, /External entry: NodePort `31443` on every node; LoadBalancer at `203\.0\.113\.10`/);
});

test('hover on a headless Service: what headless means, DNS name, pods of the StatefulSet it governs', async () => {
  const v = await md('data/postgres-service.yaml', 'name: postgres', 0, 7);
  assert.match(v, /^\*\*Service `data\/postgres`\*\* · Headless/);
  assert.match(v, /no virtual IP/);
  assert.match(v, /DNS returns the IPs of the ready pods/);
  assert.match(v, /DNS: `postgres\.data\.svc\.cluster\.local`/);
  assert.match(v, /`5432 \(pg\)` → `pg` → `postgres:5432` · StatefulSet `data\/postgres` \(2 replicas\)/);
  assert.doesNotMatch(v, /External entry/);
});

test('hover on an ExternalName Service: a DNS CNAME, nothing proxied, no port chains', async () => {
  const v = await md('ext/external.yaml', 'name: billing', 0, 7);
  assert.match(v, /ExternalName billing\.payments\.example\.com/);
  assert.match(v, /DNS CNAME to `billing\.payments\.example\.com`/);
  assert.match(v, /nothing is proxied/);
  assert.doesNotMatch(v, /Ports:/);
  assert.doesNotMatch(v, /svc\.cluster\.local/);
});

test('hover on a selector-less Service: endpoints only from the Endpoints objects that exist', async () => {
  const v = await md('ext/external.yaml', 'name: legacy-db', 0, 7);
  assert.match(v, /^\*\*Service `shop\/legacy-db`\*\*/);
  assert.match(v, /No selector: endpoints come only from Endpoints\/EndpointSlices you create \(Endpoints `shop\/legacy-db`\)/);
  assert.match(v, /DNS: `legacy-db\.shop\.svc\.cluster\.local`/);
});

test('hover on a selector: the workloads it matches, with replicas and pod total', async () => {
  const onKey = await md('apps/web-service.yaml', 'selector:', 0, 2);
  const onValue = await md('apps/web-service.yaml', 'app: web', 0, 6);
  for (const v of [onKey, onValue]) {
    assert.match(v, /\*\*Selector `app=web`\*\* matches 2 workloads · 5 pods/);
    assert.match(v, /- Deployment `shop\/web`: 3 replicas \(web-deployment\.yaml\)/);
    assert.match(v, /- Deployment `shop\/web-canary`: 2 replicas \(web-canary\.yaml\)/);
  }
});

test('hover on a selector that matches nothing: the nearest miss', async () => {
  const v = await md('ext/external.yaml', 'app: reportz', 0, 7);
  assert.match(v, /\*\*Selector `app=reportz`\*\* matches no pod template/);
  assert.match(v, /Nearest: Deployment `shop\/reports` \(external\.yaml\) has `app=reports`/);
});

test('hover on a targetPort: the resolved chain of that port only', async () => {
  const v = await md('apps/web-service.yaml', 'targetPort: metrics', 0, 14);
  assert.match(v, /port `9100` → targetPort `metrics`/);
  assert.match(v, /- Deployment `shop\/web` \(3 replicas\): → container `nginx` port `9090` \(`metrics`\)/);
  assert.match(v, /- Deployment `shop\/web-canary` \(2 replicas\): → container `nginx` port `9090` \(`metrics`\)/);
  assert.doesNotMatch(v, /8080|30080|`http`/, 'the other port is not in this hover');
});

test('hover on a nodePort and on a port: the chain from the node port to the containers, that port only', async () => {
  for (const [needle, delta] of [['nodePort: 30080', 12], ['port: 80\n', 7]] as const) {
    const v = await md('apps/web-service.yaml', needle, 0, delta);
    assert.match(v, /nodePort `30080` \(every node\) → port `80` → targetPort `http`/);
    assert.match(v, /- Deployment `shop\/web` \(3 replicas\): → container `nginx` port `8080` \(`http`\)/);
    assert.match(v, /- Deployment `shop\/web-canary` \(2 replicas\): → container `nginx` port `8080` \(`http`\)/);
    assert.doesNotMatch(v, /9090|9100|metrics/);
  }
});

test('hover on a pod template label: the Services, Ingresses and routes that reach it', async () => {
  const v = await md('apps/web-deployment.yaml', 'app: web', 1, 6);
  assert.match(v, /Deployment `shop\/web`\*\* · 3 replicas · label `app=web`/);
  assert.match(v, /- Service `shop\/web` \(NodePort 30080\)$/m); // the type as the Service's own hover and the topology name it
  assert.match(v, /- Service `shop\/edge` \(LoadBalancer 203\.0\.113\.10, NodePort 31443\)$/m);
  assert.match(v, /- Ingress `shop\/storefront`/);
  assert.match(v, /- HTTPRoute `shop\/web-route`/);
  // A label of a pod nobody selects says so.
  const lonely = await md('ext/external.yaml', 'app: reports', 1, 6);
  assert.match(lonely, /No Service selects these pods/);
});

test('hover on a container port: the Service ports that target it', async () => {
  const v = await md('apps/web-deployment.yaml', 'containerPort: 8080', 0, 16);
  assert.match(v, /`nginx` port `8080`\*\* named `http` \(TCP\) of Deployment `shop\/web`/);
  assert.match(v, /- Service `shop\/web` port `80` → targetPort `http`/);
  assert.match(v, /- Service `shop\/edge` port `443` → targetPort `8080`/);
  const metrics = await md('apps/web-canary.yaml', 'name: metrics', 0, 8);
  assert.match(metrics, /- Service `shop\/web` port `9100` → targetPort `metrics`/);
  assert.doesNotMatch(metrics, /shop\/edge/);
});

test('hover on a container port: the Ingresses and routes that reach it through a Service', async () => {
  // Ingress shop/storefront sends / to Service web port `http`, which targets container port `http` (8080);
  // HTTPRoute shop/web-route sends to Service web port 80, the same port.
  const v = await md('apps/web-deployment.yaml', 'containerPort: 8080', 0, 16);
  assert.match(v, /Ingress `shop\/storefront`/, `container-port hover does not name the Ingress that reaches it:\n${v}`);
  assert.match(v, /HTTPRoute `shop\/web-route`/, `container-port hover does not name the route that reaches it:\n${v}`);
});

test('hover on an Ingress backend: the Service, port and pods it resolves to', async () => {
  const byName = await md('apps/ingress.yaml', 'name: web', 0, 7);
  const byPort = await md('apps/ingress.yaml', 'name: http', 0, 8);
  for (const v of [byName, byPort]) {
    assert.match(v, /^\*\*Ingress backend\*\* → Service `shop\/web` \(web-service\.yaml\)/);
    assert.match(v, /port `80` → targetPort `http`/);
    assert.match(v, /- Deployment `shop\/web` \(3 replicas\): → container `nginx` port `8080`/);
    assert.match(v, /- Deployment `shop\/web-canary` \(2 replicas\): → container `nginx` port `8080`/);
  }
  const num = await md('apps/ingress.yaml', 'number: 8080', 0, 9);
  assert.match(num, /Service `shop\/api` \(api\.yaml\)/);
  assert.match(num, /- Deployment `shop\/api` \(4 replicas\): → container `api` port `8080`/);
});

test('hover on an Ingress backend that does not resolve: why', async () => {
  const v = await md('apps/ingress.yaml', 'name: legacy-web', 0, 7);
  assert.match(v, /Service `legacy-web`: \*\*does not exist\*\* in namespace `shop`/);
});

test('hover on HTTPRoute backends: resolved to Service, port and pods, or the missing port explained', async () => {
  const ok = await md('gateway/route.yaml', 'name: web', 1, 7);
  assert.match(ok, /^\*\*HTTPRoute backendRef\*\* → Service `shop\/web`/);
  assert.match(ok, /- Deployment `shop\/web` \(3 replicas\): → container `nginx` port `8080`/);
  const bad = await md('gateway/route.yaml', 'port: 9999', 0, 7);
  assert.match(bad, /Service `shop\/api`/);
  assert.match(bad, /has no port `9999` \(it has `8080`\)/);
});

test('hover on a StatefulSet serviceName and on a parentRef: the governing Service and the Gateway', async () => {
  const sts = await md('data/postgres.yaml', 'serviceName: postgres', 0, 14);
  assert.match(sts, /\*\*Governing Service\*\* `data\/postgres`: headless/);
  assert.match(sts, /`postgres-0\.postgres\.data\.svc\.cluster\.local`/);
  const gw = await md('gateway/route.yaml', 'name: shop-gw', 0, 7);
  assert.match(gw, /\*\*Gateway `shop\/shop-gw`\*\* \(class `istio`\)/);
  assert.match(gw, /listener `http`: HTTP 80 for `www\.example\.com`/);
});
