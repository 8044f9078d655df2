import type { Service, Workload } from '../model/resources';
import { landing } from '../resolve/resolver';
import type { FeatureContext } from './context';
import { code, codeName, text } from './markdown';

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

/** What a Service type really does, in one or two sentences. */
export function serviceMeaning(svc: Service, a: FeatureContext): string {
  if (svc.serviceType === 'ExternalName') {
    const host = String(svc.externalName?.value ?? '?');
    return `DNS CNAME to ${code(host)}: the cluster DNS answers with that name; nothing is proxied, no pods are selected${svc.ports.length ? ', and the ports are informational only' : ''}.`;
  }
  const selectorNote = !svc.selector
    ? svc.selectorKeySpan ? '`selector: {}` is the same as no selector: it selects **no** pods (not all of them); ' : 'No selector: '
    : '';
  if (!svc.selector) {
    const eps = [...a.index.endpointsFor(svc.name ?? '\u0000')];
    return `${selectorNote}endpoints come only from Endpoints/EndpointSlices you create${eps.length ? ` (${eps.map((e) => `${e.kind} ${codeName(e)}`).join(', ')})` : ' (none in the workspace)'}.`;
  }
  if (svc.headless) return 'Headless (`clusterIP: None`): no virtual IP and no kube-proxy load balancing; DNS returns the IPs of the ready pods directly' + (svc.serviceType === 'LoadBalancer' || svc.serviceType === 'NodePort' ? '. (The type is ignored/rejected for a headless Service.)' : '.');
  switch (svc.serviceType) {
    case 'NodePort': return 'A cluster IP, plus a port opened on **every node**: traffic to `<any node IP>:<nodePort>` is forwarded to the pods.';
    case 'LoadBalancer': return 'A cluster IP and node ports, plus an external load balancer from the cloud provider in front of the nodes.';
    default: return 'A virtual IP reachable only inside the cluster; kube-proxy balances connections across the selected pods.';
  }
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

/**
 * The Service's type as every hover names it: the manifest's `type` first, with what it opens
 * (`NodePort 30080`, `LoadBalancer 203.0.113.10 · NodePort 31443`, `ClusterIP`, `Headless`), as
 * the topology names it. The cluster IP that NodePort and LoadBalancer Services also get is not
 * repeated. (The graph's `exposure` list keeps every entry, ClusterIP first.)
 */
export function serviceTypeParts(svc: Service): string[] {
  const parts = exposure(svc);
  if (svc.headless || (svc.serviceType !== 'NodePort' && svc.serviceType !== 'LoadBalancer')) return parts;
  const rest = parts.filter((p) => p !== 'ClusterIP');
  const lb = rest.findIndex((p) => p === 'LoadBalancer' || p.startsWith('LoadBalancer '));
  if (lb > 0) rest.unshift(...rest.splice(lb, 1));
  return rest;
}

/** serviceTypeParts as markdown text. */
export function typeText(svc: Service, sep: string): string {
  return serviceTypeParts(svc).map(text).join(sep);
}
