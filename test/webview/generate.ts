/**
 * Generates a realistic large traffic graph (the shape `kube-traffic graph` produces) for the
 * webview's scale test: namespaces of varied size, each with an Ingress, Services and workloads,
 * HTTPRoutes with weighted backends on a shared Gateway, NodePort Services, ExternalName targets,
 * and a few broken references. Deterministic for a given size and seed.
 *
 *   node --import tsx test/webview/generate.ts 1000 > /tmp/big.graph.json
 */
import type { EntryDetails, GraphEdge, GraphNode, TrafficGraph } from '../../server/src/protocol/webview';

export function generateGraph(target = 1000, seed = 42): TrafficGraph {
  let s = seed >>> 0;
  const rnd = (): number => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new Set<string>();
  const range = (line: number) => ({ start: { line, character: 6 }, end: { line, character: 20 } });
  const add = (n: GraphNode): string => { if (!ids.has(n.id)) { ids.add(n.id); nodes.push(n); } return n.id; };
  const entry = (which: EntryDetails['entry'], name: string): string => add({ id: `Entry/${which}`, kind: 'Entry', name, details: { entry: which } });

  const gw = add({
    id: 'Gateway/gateway-system/public', kind: 'Gateway', namespace: 'gateway-system', name: 'public', file: 'gateway-system/gateway.yaml', range: range(4),
    details: { gatewayClassName: 'envoy', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com' }] },
  });
  edges.push({ from: entry('internet', 'Internet'), to: gw, kind: 'enters', label: 'HTTPS 443 *.example.com', broken: false });

  const teams = ['orders', 'billing', 'search', 'catalog', 'users', 'auth', 'inventory', 'shipping', 'reviews', 'media', 'notify', 'analytics', 'pricing', 'cart', 'checkout', 'ads', 'recs', 'support', 'ledger', 'gateway-int'];
  const svcWords = ['api', 'web', 'worker', 'cache', 'db', 'grpc', 'admin', 'events', 'metrics', 'sync', 'export', 'import', 'proxy', 'auth', 'jobs', 'feed', 'store', 'query', 'index', 'ingest'];
  let t = 0;
  let nodePort = 30000;
  while (nodes.length < target) {
    const ns = t < teams.length ? teams[t]! : `team-${t}`;
    // Varied sizes: a few big namespaces, most small.
    const services = t % 7 === 0 ? 30 + Math.floor(rnd() * 20) : 6 + Math.floor(rnd() * 10);
    t++;
    const file = (f: string) => `${ns}/${f}.yaml`;
    const ing = add({ id: `Ingress/${ns}/${ns}`, kind: 'Ingress', namespace: ns, name: ns, file: file('ingress'), range: range(3), details: { ingressClassName: 'nginx', hosts: [`${ns}.example.com`], tls: [`${ns}.example.com`] } });
    edges.push({ from: 'Entry/internet', to: ing, kind: 'enters', label: `${ns}.example.com`, broken: false });
    const route = add({ id: `HTTPRoute/${ns}/${ns}-public`, kind: 'HTTPRoute', namespace: ns, name: `${ns}-public`, file: file('route'), range: range(3), details: { hostnames: [`${ns}.example.com`] } });
    edges.push({ from: route, to: gw, kind: 'attaches', label: 'https', broken: false });
    const svcIds: string[] = [];
    for (let i = 0; i < services && nodes.length < target; i++) {
      const name = `${ns}-${svcWords[i % svcWords.length]}${i >= svcWords.length ? `-${Math.floor(i / svcWords.length)}` : ''}`;
      const nodePortSvc = rnd() < 0.08;
      const ext = rnd() < 0.05;
      const svc = add({
        id: `Service/${ns}/${name}`, kind: 'Service', namespace: ns, name, file: file(name), range: range(2),
        details: ext
          ? { type: 'ExternalName', exposure: [`ExternalName ${name}.partner.example.net`], dns: `${name}.${ns}.svc.cluster.local`, selector: null, ports: [] }
          : {
            type: nodePortSvc ? 'NodePort' : 'ClusterIP', exposure: nodePortSvc ? ['ClusterIP', `NodePort ${nodePort}`] : ['ClusterIP'], dns: `${name}.${ns}.svc.cluster.local`,
            selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: nodePortSvc ? nodePort : null, protocol: 'TCP' }],
          },
      });
      svcIds.push(svc);
      if (nodePortSvc) edges.push({ from: entry('nodes', 'Node ports (every node)'), to: svc, kind: 'enters', label: `node:${nodePort++}`, broken: false });
      if (ext) {
        const host = `${name}.partner.example.net`;
        const e = add({ id: `External/${host}`, kind: 'External', name: host, details: { dns: host } });
        edges.push({ from: svc, to: e, kind: 'aliases', label: 'CNAME', broken: false });
        continue;
      }
      if (rnd() < 0.03) {
        const miss = add({ id: `Missing/Pod/${ns}/app=${name}-v2`, kind: 'Missing', namespace: ns, name: `app=${name}-v2`, details: { missingKind: 'Pod' } });
        edges.push({ from: svc, to: miss, kind: 'selects', label: `app=${name}-v2`, broken: true, message: `The selector app=${name}-v2 matches no pod template in scope.` });
        continue;
      }
      const kind = pick(['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet'] as const);
      const w = add({
        id: `${kind}/${ns}/${name}`, kind, namespace: ns, name, file: file(name), range: range(20),
        details: { replicas: kind === 'DaemonSet' ? 'one per node' : 1 + Math.floor(rnd() * 5), labels: { app: name }, containers: [{ name: 'main', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
      });
      const bad = rnd() < 0.03;
      edges.push({ from: svc, to: w, kind: 'selects', label: bad ? '80 → http (unresolved)' : '80 → http (main:8080)', broken: bad, ...(bad ? { message: `targetPort http is not declared by ${kind} ${name}.` } : {}) });
    }
    // The Ingress sends a few paths to the first Services; the route splits one path by weight.
    for (let i = 0; i < Math.min(3, svcIds.length); i++) edges.push({ from: ing, to: svcIds[i]!, kind: 'routes', label: `${ns}.example.com/${svcWords[i]} → 80`, broken: false });
    if (rnd() < 0.4) {
      const miss = add({ id: `Missing/Service/${ns}/${ns}-legacy`, kind: 'Missing', namespace: ns, name: `${ns}-legacy`, details: { missingKind: 'Service' } });
      edges.push({ from: ing, to: miss, kind: 'routes', label: `${ns}.example.com/legacy → 80`, broken: true, message: `Service ${ns}-legacy does not exist.` });
    }
    if (svcIds.length >= 2) {
      edges.push({ from: route, to: svcIds[0]!, kind: 'routes', label: `${ns}.example.com/ → 80 (80%)`, broken: false, weight: 80 });
      edges.push({ from: route, to: svcIds[1]!, kind: 'routes', label: `${ns}.example.com/ → 80 (20%)`, broken: false, weight: 20 });
    }
    // Some cross-namespace calls through routes.
    if (t > 2 && rnd() < 0.5) {
      const other = pick(nodes.filter((n) => n.kind === 'Service' && n.namespace !== ns));
      edges.push({ from: route, to: other.id, kind: 'routes', label: `${ns}.example.com/${other.name} → 80`, broken: false });
    }
  }
  return { nodes: nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), edges };
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) {
  process.stdout.write(JSON.stringify(generateGraph(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 42)), null, 1));
}
