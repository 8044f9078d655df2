import type { Analyzer } from '../analyzer';
import {
  isServiceBackendRef, namespacesCompatible, resourceId, type Gateway, type Ingress, type Resource, type Route, type Service, type Workload,
} from '../model/resources';
import { landing } from '../resolve/resolver';
import { crossNamespaceGranted } from '../rules/routeRules';
import { ingressEdgeDenial, selectsEdgeDenial } from '../policy/edgePolicy';
import type { Range } from '../types';

export type GraphNodeKind = string;

export interface GraphNode {
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly range?: Range;
  readonly details: Readonly<Record<string, unknown>>;
}

/** `enters`: from an external entry point (kind `Entry`) to an Ingress, Gateway or exposed Service. */
export type GraphEdgeKind = 'routes' | 'attaches' | 'selects' | 'aliases' | 'endpoints' | 'governs' | 'enters';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  readonly label: string;
  readonly broken: boolean;
  /** Why a broken edge is broken (the diagnostic's wording). */
  readonly message?: string;
  /** Route backend weight, when weighted. */
  readonly weight?: number;
  /** Set when NetworkPolicy certainly denies this traffic (Service → pods, Ingress → Service). */
  readonly policy?: 'denied';
  /** Why policy denies it: the isolating policies. */
  readonly policyMessage?: string;
}

export interface TrafficGraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/** Builds the traffic graph of the whole index: the model the topology view and `kube-traffic graph` share. */
export function buildGraph(analyzer: Analyzer, displayPath: (uri: string) => string = (u) => u): TrafficGraph {
  const { index, resolver } = analyzer;
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();

  const addResource = (r: Resource, details: Record<string, unknown>): string => {
    const id = resourceId(r);
    if (!nodes.has(id)) {
      const file = index.file(r.uri);
      nodes.set(id, {
        id, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name ?? '',
        file: displayPath(r.uri), ...(file ? { range: file.parsed.lines.headRange(r.nameRef?.span ?? r.kindSpan) } : {}),
        details,
      });
    }
    return id;
  };
  const addMissing = (kind: string, namespace: string | undefined, name: string): string => {
    const id = namespace ? `Missing/${kind}/${namespace}/${name}` : `Missing/${kind}/${name}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'Missing', ...(namespace ? { namespace } : {}), name, details: { missingKind: kind } });
    return id;
  };
  const addEdge = (e: GraphEdge): void => {
    const key = `${e.from}\u0000${e.to}\u0000${e.kind}\u0000${e.label}`;
    if (!edges.has(key)) edges.set(key, e);
  };

  const ENTRY_NAMES: Record<string, string> = {
    internet: 'Internet', 'load-balancer': 'Cloud load balancer', nodes: 'Node ports (every node)', 'external-ips': 'External IPs',
  };
  const addEntry = (which: keyof typeof ENTRY_NAMES, to: string, label: string): void => {
    const id = `Entry/${which}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'Entry', name: ENTRY_NAMES[which]!, details: { entry: which } });
    addEdge({ from: id, to, kind: 'enters', label, broken: false });
  };

  // Deterministic: resources in path order, so the first definition of an id wins.
  const resources = [...index.resources()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.span.start - b.span.start));

  for (const r of resources) {
    switch (r.type) {
      case 'service': {
        const id = addResource(r, serviceDetails(r));
        if (!r.headless && r.serviceType !== 'ExternalName') {
          if (r.serviceType === 'LoadBalancer') {
            const ip = typeof r.loadBalancerIP?.value === 'string' && r.loadBalancerIP.value ? ` ${r.loadBalancerIP.value}` : '';
            addEntry('load-balancer', id, `LoadBalancer${ip} → ${r.ports.map((p) => String(p.port?.value ?? '?')).join(', ')}`);
          }
          if (r.serviceType === 'NodePort' || r.serviceType === 'LoadBalancer') {
            addEntry('nodes', id, r.ports.map((p) => `node:${typeof p.nodePort?.value === 'number' && p.nodePort.value > 0 ? p.nodePort.value : 'auto'}`).join(', '));
          }
          if (r.externalIPs.length) addEntry('external-ips', id, r.externalIPs.join(', '));
        }
        if (r.serviceType === 'ExternalName') {
          const host = typeof r.externalName?.value === 'string' ? r.externalName.value : '';
          if (host) {
            const ext = `External/${host}`;
            if (!nodes.has(ext)) nodes.set(ext, { id: ext, kind: 'External', name: host, details: { dns: host } });
            addEdge({ from: id, to: ext, kind: 'aliases', label: 'CNAME', broken: false });
          }
        } else if (!r.selector) {
          for (const e of index.endpointsFor(r.name ?? '\u0000')) {
            if (!namespacesCompatible(e.namespace, r.namespace)) continue;
            addEdge({ from: id, to: addResource(e, {}), kind: 'endpoints', label: '', broken: false });
          }
        } else {
          const selected = resolver.selectedWorkloads(r);
          if (selected.length === 0) {
            const sel = r.selector.map((l) => `${l.key}=${l.value}`).join(',');
            addEdge({
              from: id, to: addMissing('Pod', r.namespace, sel), kind: 'selects', label: sel, broken: true,
              message: `The selector ${sel} matches no pod template in scope.`,
            });
          }
          for (const w of selected) {
            const unresolved = r.ports.filter((p) => typeof p.targetPort?.value === 'string' && p.targetPort.value !== '' && !landing(w, p).containerPort);
            const denied = selectsEdgeDenial(index, r, w);
            addEdge({
              from: id, to: addResource(w, workloadDetails(w)), kind: 'selects', label: portChains(r, w), broken: unresolved.length > 0,
              ...(unresolved.length ? { message: `targetPort ${unresolved.map((p) => String(p.targetPort!.value)).join(', ')} is not declared by ${w.kind} ${w.name ?? ''}.` } : {}),
              ...(denied ? { policy: 'denied' as const, policyMessage: denied } : {}),
            });
          }
        }
        break;
      }
      case 'workload': {
        const id = addResource(r, workloadDetails(r));
        if (r.kind === 'StatefulSet' && typeof r.serviceName?.value === 'string' && r.serviceName.value) {
          const svc = resolver.servicesNamed(r.serviceName.value, r.namespace, r.uri)[0];
          addEdge(svc
            ? { from: id, to: addResource(svc, serviceDetails(svc)), kind: 'governs', label: svc.headless ? 'headless' : 'not headless', broken: !svc.headless, ...(svc.headless ? {} : { message: 'The governing Service is not headless: pods get no per-pod DNS names.' }) }
            : { from: id, to: addMissing('Service', r.namespace, r.serviceName.value), kind: 'governs', label: '', broken: true, message: `Service ${r.serviceName.value} does not exist.` });
        }
        break;
      }
      case 'ingress':
        addIngress(r);
        break;
      case 'route':
        addRoute(r);
        break;
      case 'gateway': {
        const id = addResource(r, gatewayDetails(r));
        addEntry('internet', id, r.listeners.map((l) => `${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''}`).join(', '));
        break;
      }
      case 'endpoints':
      case 'referenceGrant':
      case 'other':
        break;
    }
  }

  function addIngress(ing: Ingress): void {
    const id = addResource(ing, { ingressClassName: ing.ingressClassName, hosts: ing.hosts, tls: ing.tlsHosts });
    addEntry('internet', id, ing.hosts.length ? ing.hosts.join(', ') : '*');
    for (const b of ing.backends) {
      const name = b.serviceName?.value;
      if (!name) continue;
      const portRef = b.port?.number && typeof b.port.number.value === 'number' ? { number: b.port.number.value }
        : b.port?.name && typeof b.port.name.value === 'string' ? { name: b.port.name.value } : undefined;
      const where = b.isDefault ? 'default' : `${b.host ?? '*'}${typeof b.path?.value === 'string' ? b.path.value : ''}`;
      const label = `${where} → ${portRef?.number ?? portRef?.name ?? '?'}`;
      const svc = resolver.servicesNamed(name, ing.namespace, ing.uri)[0];
      if (!svc) {
        addEdge({ from: id, to: addMissing('Service', ing.namespace, name), kind: 'routes', label, broken: true, message: `Service ${name} does not exist.` });
        continue;
      }
      const portOk = !portRef || (svc.serviceType === 'ExternalName' && svc.ports.length === 0) || !!resolver.findServicePort(svc, portRef);
      const denied = portOk ? ingressEdgeDenial(index, svc, portRef ? resolver.findServicePort(svc, portRef) : undefined, resolver.selectedWorkloads(svc)) : undefined;
      addEdge({
        from: id, to: addResource(svc, serviceDetails(svc)), kind: 'routes', label, broken: !portOk,
        ...(portOk ? {} : { message: `Service ${name} has no port ${portRef?.number ?? portRef?.name}.` }),
        ...(denied ? { policy: 'denied' as const, policyMessage: denied } : {}),
      });
    }
  }

  function addRoute(route: Route): void {
    const id = addResource(route, { hostnames: route.hostnames });
    for (const p of route.parentRefs) {
      if (p.kind !== 'Gateway' || !p.name?.value) continue;
      const ns = p.namespace?.value ?? route.namespace;
      const gw = resolver.gatewaysNamed(p.name.value, ns, route.uri)[0];
      const label = p.sectionName ?? '';
      addEdge(gw
        ? { from: id, to: addResource(gw, gatewayDetails(gw)), kind: 'attaches', label, broken: false }
        : { from: id, to: addMissing('Gateway', ns, p.name.value), kind: 'attaches', label, broken: true, message: `Gateway ${p.name.value} is not in the workspace.` });
    }
    // Weights split traffic among the backendRefs of one rule.
    const ruleTotal = new Map<number, number>();
    const ruleWeighted = new Set<number>();
    for (const b of route.backendRefs) {
      ruleTotal.set(b.ruleIndex, (ruleTotal.get(b.ruleIndex) ?? 0) + (b.weight ?? 1));
      if (b.weight !== undefined) ruleWeighted.add(b.ruleIndex);
    }
    for (const b of route.backendRefs) {
      const total = ruleTotal.get(b.ruleIndex) ?? 0;
      const weighted = ruleWeighted.has(b.ruleIndex) && route.backendRefs.filter((x) => x.ruleIndex === b.ruleIndex).length > 1;
      if (!isServiceBackendRef(b) || !b.name?.value) continue;
      const ns = b.namespace?.value ?? route.namespace;
      const port = typeof b.port?.value === 'number' ? b.port.value : undefined;
      const host = (route.hostnames[0] ?? '*') + (b.matchPath ?? '');
      const pct = weighted && total > 0 ? ` (${Math.round(((b.weight ?? 1) / total) * 100)}%)` : '';
      const label = `${host} → ${port ?? '?'}${pct}`;
      const svc = resolver.servicesNamed(b.name.value, ns, route.uri)[0];
      const extra = b.weight !== undefined ? { weight: b.weight } : {};
      if (!svc) {
        addEdge({ from: id, to: addMissing('Service', ns, b.name.value), kind: 'routes', label, broken: true, message: `Service ${b.name.value} does not exist.`, ...extra });
        continue;
      }
      const portOk = port !== undefined && ((svc.serviceType === 'ExternalName' && svc.ports.length === 0) || !!resolver.findServicePort(svc, { number: port }));
      const refused = !!(b.namespace?.value && route.namespace && b.namespace.value !== route.namespace
        && !crossNamespaceGranted(index, route, b.namespace.value, b.name.value));
      const message = refused ? `No ReferenceGrant in ${b.namespace?.value} allows ${route.kind}s from ${route.namespace}.`
        : !portOk ? (port === undefined ? 'The backendRef has no port.' : `Service ${b.name.value} has no port ${port}.`) : undefined;
      addEdge({
        from: id, to: addResource(svc, serviceDetails(svc)), kind: 'routes', label, broken: !!message, ...extra,
        ...(message ? { message } : {}),
      });
    }
  }

  const sortedNodes = [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const sortedEdges = [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind) || cmp(a.label, b.label));
  return { nodes: sortedNodes, edges: sortedEdges };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a Service type really exposes, e.g. ["ClusterIP", "NodePort 30082", "LoadBalancer"]. */
export function exposure(s: Service): string[] {
  if (s.serviceType === 'ExternalName') return [`ExternalName ${typeof s.externalName?.value === 'string' ? s.externalName.value : '?'}`];
  if (s.headless) return ['Headless'];
  const out = ['ClusterIP'];
  if (s.serviceType === 'NodePort' || s.serviceType === 'LoadBalancer') {
    const nps = s.ports.map((p) => p.nodePort?.value).filter((v): v is number => typeof v === 'number' && v > 0);
    out.push(nps.length ? nps.map((n) => `NodePort ${n}`).join(', ') : 'NodePort (auto)');
  }
  if (s.serviceType === 'LoadBalancer') out.push(typeof s.loadBalancerIP?.value === 'string' && s.loadBalancerIP.value ? `LoadBalancer ${s.loadBalancerIP.value}` : 'LoadBalancer');
  for (const ip of s.externalIPs) out.push(`ExternalIP ${ip}`);
  return out;
}

export function dnsName(s: Service): string | undefined {
  return s.name ? `${s.name}.${s.namespace ?? '<namespace>'}.svc.cluster.local` : undefined;
}

function serviceDetails(s: Service): Record<string, unknown> {
  return {
    type: s.serviceType,
    exposure: exposure(s),
    dns: dnsName(s),
    selector: s.selector ? Object.fromEntries(s.selector.map((l) => [l.key, l.value])) : null,
    ports: s.ports.map((p) => ({
      name: p.name?.value ?? null, port: p.port?.value ?? null, targetPort: p.targetPort?.value ?? p.port?.value ?? null,
      nodePort: p.nodePort?.value ?? null, protocol: p.effectiveProtocol,
    })),
  };
}

function workloadDetails(w: Workload): Record<string, unknown> {
  return {
    replicas: w.kind === 'DaemonSet' ? 'one per node' : w.replicas ?? (w.kind === 'Pod' ? 1 : w.replicasUnknown ? null : 1),
    labels: Object.fromEntries(w.podLabels.map((l) => [l.key, l.value])),
    containers: w.containers.filter((c) => c.role !== 'init').map((c) => ({
      name: c.name ?? null,
      ports: c.ports.map((p) => ({ name: p.name?.value ?? null, containerPort: p.containerPort?.value ?? null, protocol: p.effectiveProtocol })),
    })),
  };
}

function gatewayDetails(g: Gateway): Record<string, unknown> {
  return {
    gatewayClassName: g.gatewayClassName ?? null,
    listeners: g.listeners.map((l) => ({ name: l.name ?? null, port: l.port ?? null, protocol: l.protocol ?? null, hostname: l.hostname ?? null })),
  };
}

/** `80 → http (web:8080)` per port of a Service landing in a workload. */
export function portChains(s: Service, w: Workload): string {
  return s.ports.map((p) => {
    const tp = p.targetPort?.value ?? p.port?.value;
    const l = landing(w, p);
    const land = l.containerPort ? `${l.container?.name ?? '?'}:${String(l.containerPort.containerPort?.value ?? '?')}` : typeof tp === 'number' ? 'undeclared' : 'unresolved';
    return `${String(p.port?.value ?? '?')} → ${String(tp ?? '?')} (${land})`;
  }).join(', ');
}
