import { namespacesCompatible, type Resource, type Service, type ServicePort, type Workload } from '../model/resources';
import type { Span } from '../types';
import { landing } from '../resolve/resolver';
import { neverReadyText } from '../facts/probes';
import { plural, step, type TraceContext } from './context';
import type { TraceHop, TraceStep, TraceStop } from './types';

/** A Service port as a backend names it: by number or by name. */
export interface PortRef {
  readonly number?: number;
  readonly name?: string;
}

export interface ServiceTarget {
  readonly name: string;
  /** undefined: any namespace (a short name traced without `-n`). */
  readonly namespace: string | undefined;
  readonly port: PortRef | undefined;
  /**
   * True when a proxy (Ingress controller, Gateway) forwards to the Service's endpoints, false for a
   * client inside the cluster resolving the Service's DNS name itself (matters for headless Services).
   */
  readonly viaProxy: boolean;
  /** The resource and span naming the Service (where a missing Service is reported); nearest definition wins. */
  readonly ref?: { readonly resource: Resource; readonly span: Span | undefined };
  readonly weightPercent?: number;
  /** More for the Service hop (a backendRef's filters, a mirror). */
  readonly extra?: Partial<TraceHop>;
  /**
   * A client inside the cluster resolving the Service's name: the mesh's routes for the Service
   * (GAMMA) decide first. Returns the Service hop with what they decide, or undefined when none apply.
   */
  readonly frontend?: (svc: Service, port: ServicePort, why: string, extra: Partial<TraceHop>) => TraceStep | undefined;
}

function extraOf(t: ServiceTarget): Partial<TraceHop> {
  return { ...(t.weightPercent !== undefined ? { weightPercent: t.weightPercent } : {}), ...t.extra };
}

/** Cap on per-pod DNS names listed for a StatefulSet. */
const MAX_POD_NAMES = 5;

/** The Service hop(s) of a backend; a missing Service is a hop with the graph's `Missing/` id and a stop. */
export function traceService(ctx: TraceContext, t: ServiceTarget, why: string): TraceStep[] {
  const found = ctx.resolver.servicesNamed(t.name, t.namespace, t.ref?.resource.uri);
  if (found.length === 0) {
    const stop = ctx.stop('service-missing', `Service ${t.name} does not exist${t.namespace ? ` in namespace ${t.namespace}` : ''}`, t.ref?.resource, t.ref?.span);
    return [step(missingServiceHop(ctx, t, why), [], stop)];
  }
  // A short name without a namespace: every namespace defining it is a candidate (the caller's decides).
  const namespaces = [...new Set(found.map((s) => s.namespace ?? ''))];
  const chosen = t.namespace === undefined && namespaces.length > 1
    ? namespaces.map((ns) => found.find((s) => (s.namespace ?? '') === ns)!) : [found[0]!];
  if (chosen.length > 1) ctx.note(`Service ${t.name} exists in namespaces ${namespaces.join(', ')}; each is traced (give -n NAMESPACE to pick the caller's).`);
  else if (found.length > 1) ctx.note(`Service ${t.name} is defined ${found.length} times; the definition nearest to the referring file is used.`);
  return chosen.map((svc) => serviceStep(ctx, svc, t, why));
}

/** A Service hop that goes no further (a refused reference): the Service's node, or its `Missing/` node. */
export function blockedService(ctx: TraceContext, t: ServiceTarget, why: string, stop: TraceStop): TraceStep {
  const svc = ctx.resolver.servicesNamed(t.name, t.namespace, t.ref?.resource.uri)[0];
  return step(svc ? ctx.hop('Service', svc, why, undefined, extraOf(t)) : missingServiceHop(ctx, t, why), [], stop);
}

function missingServiceHop(ctx: TraceContext, t: ServiceTarget, why: string): TraceHop {
  const lines = t.ref ? ctx.index.file(t.ref.resource.uri)?.parsed.lines : undefined;
  return {
    type: 'Service', kind: 'Service', id: t.namespace ? `Missing/Service/${t.namespace}/${t.name}` : `Missing/Service/${t.name}`,
    name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}), decision: why,
    ...(t.ref ? { uri: t.ref.resource.uri } : {}), ...(lines && t.ref?.span ? { range: lines.headRange(t.ref.span) } : {}),
    ...extraOf(t),
  };
}

function serviceStep(ctx: TraceContext, svc: Service, t: ServiceTarget, why: string): TraceStep {
  const extra = extraOf(t);
  if (svc.serviceType === 'ExternalName') {
    const host = typeof svc.externalName?.value === 'string' ? svc.externalName.value : '';
    const hop = ctx.hop('Service', svc, `${why}; type ExternalName: cluster DNS answers with a CNAME`, svc.externalName?.span, extra);
    if (!host) return step(hop, [], ctx.stop('external-name-missing', `ExternalName Service ${svc.name} has no externalName`, svc));
    const port = t.port?.number ?? (t.port?.name ? svc.ports.find((p) => p.name?.value === t.port!.name)?.port?.value : undefined);
    const external: TraceHop = {
      type: 'External', kind: 'External', id: `External/${host}`, name: host, externalHost: host,
      decision: `the request leaves the cluster for ${host}${typeof port === 'number' ? `:${port}` : ''} (the Host header stays as sent, which the external server must accept)`,
    };
    return step(hop, [step(external)]);
  }

  // A client resolving a headless name gets pod IPs and connects to the port it asked for itself.
  if (svc.headless && !t.viaProxy) {
    const podPort = t.port?.number;
    const hop = ctx.hop('Service', svc, `${why}; headless (clusterIP: None): DNS returns the pod IPs, no Service port mapping applies`, svc.clusterIPRef?.span, extra);
    return step(hop, ...backendsOf(ctx, svc, undefined, podPort));
  }

  const port = t.port ? ctx.resolver.findServicePort(svc, t.port) : undefined;
  if (!port) {
    const hop = ctx.hop('Service', svc, why, undefined, extra);
    const wanted = t.port?.number ?? t.port?.name;
    return step(hop, [], ctx.stop('service-port-missing',
      wanted === undefined ? `the backend names no port of Service ${svc.name}` : `Service ${svc.name} has no port ${wanted} (it has ${portList(svc)})`,
      svc, svc.portsKeySpan));
  }
  const mesh = t.frontend?.(svc, port, why, extra);
  if (mesh) return mesh;
  const target = port.targetPort?.value ?? port.port?.value;
  const portText = `port ${String(port.port?.value ?? '?')}${port.name?.value ? ` (${String(port.name.value)})` : ''} → targetPort ${String(target ?? '?')}`;
  const hop = ctx.hop('Service', svc, `${why}; ${portText}${svc.headless ? '; headless: the proxy sends to the pod endpoints' : ''}`, port.span, {
    ...extra,
    servicePort: {
      ...(typeof port.port?.value === 'number' ? { port: port.port.value } : {}),
      ...(typeof port.name?.value === 'string' ? { name: port.name.value } : {}),
      ...(typeof target === 'number' || typeof target === 'string' ? { targetPort: target } : {}),
    },
  });
  return step(hop, ...backendsOf(ctx, svc, port, undefined));
}

/** Where a Service sends the request: selected workloads, or Endpoints when it has no selector. */
function backendsOf(ctx: TraceContext, svc: Service, port: ServicePort | undefined, podPort: number | undefined): [TraceStep[], TraceStop?] {
  if (!svc.selector) {
    const eps = [...ctx.index.endpointsFor(svc.name ?? '\u0000')].filter((e) => namespacesCompatible(e.namespace, svc.namespace));
    if (eps.length === 0) {
      return [[], ctx.stop('no-endpoints', `Service ${svc.name} has no selector and no Endpoints or EndpointSlice in the workspace names it`, svc, svc.specKeySpan)];
    }
    return [eps.map((e) => step(ctx.hop('Endpoints', e, `${e.kind} ${e.name} lists the addresses of Service ${svc.name} (written by hand: not checked)`)))];
  }
  const selected = ctx.resolver.selectedWorkloads(svc);
  const sel = svc.selector.map((l) => `${l.key}=${l.value}`).join(',');
  if (selected.length === 0) {
    const miss = ctx.resolver.nearestMiss(svc);
    const hint = miss ? `; nearest: ${miss.workload.kind} ${miss.workload.name ?? ''} has ${miss.has.key}=${miss.has.value}${miss.otherNamespace ? ` in namespace ${miss.workload.namespace}` : ''}` : '';
    return [[], ctx.stop('service-selects-nothing', `the selector ${sel} of Service ${svc.name} matches no pod template${hint}`, svc, svc.selectorKeySpan)];
  }
  return [selected.map((w) => workloadStep(ctx, svc, w, port, podPort, sel))];
}

function workloadStep(ctx: TraceContext, svc: Service, w: Workload, port: ServicePort | undefined, podPort: number | undefined, sel: string): TraceStep {
  const replicas: TraceHop['replicas'] = w.kind === 'DaemonSet' ? 'one per node' : w.kind === 'Pod' ? 1 : w.replicasUnknown ? 'unknown' : w.replicas ?? 1;
  const replicaText = typeof replicas === 'number' ? plural(replicas, 'replica') : replicas === 'unknown' ? 'replicas unknown (not a number)' : 'one pod per node';
  const pods = svc.headless && w.kind === 'StatefulSet' && w.serviceName?.value === svc.name ? podNames(w, svc) : undefined;
  const podExtra: Partial<TraceHop> = pods ? { podDns: pods.names, ...(pods.truncated ? { podDnsTruncated: true } : {}) } : {};
  const unready = neverReadyText(w);
  const base = `selector ${sel} matches its pods${unready ? ` but they never become ready (${unready}), so the Service has no ready endpoints among them` : ''}`;
  if (replicas === 0) {
    return step(ctx.hop('Workload', w, `${base}; 0 replicas`, undefined, { replicas }), [], ctx.stop('no-replicas', `${w.kind} ${w.name} has replicas: 0, so there is no pod to receive the request`, w));
  }
  if (!port) {
    // Headless, in-cluster: the client's port goes straight to the pod.
    const cp = podPort === undefined ? undefined : w.containers.filter((c) => c.role !== 'init')
      .flatMap((c) => c.ports.map((p) => ({ c, p }))).find(({ p }) => p.containerPort?.value === podPort);
    const where = cp ? `container ${cp.c.name ?? '?'}:${podPort}` : `port ${podPort ?? '?'} (no container declares it; it may still listen)`;
    return step(ctx.hop('Workload', w, `${base}; ${where}; ${replicaText}`, cp?.p.span, {
      replicas, ...(cp?.c.name ? { container: cp.c.name } : {}), ...(podPort !== undefined ? { podPort } : {}), ...podExtra,
    }));
  }
  const l = landing(w, port);
  const target = port.targetPort?.value;
  if (typeof target === 'string' && !l.containerPort) {
    return step(ctx.hop('Workload', w, `${base}; ${replicaText}`, undefined, { replicas }), [], ctx.stop('target-port-unresolved',
      `targetPort ${target}: no container of ${w.kind} ${w.name} declares a port named ${target} (${port.effectiveProtocol})`, svc, port.targetPort?.span));
  }
  const where = l.containerPort ? `container ${l.container?.name ?? '?'}:${l.podPort ?? '?'}`
    : `pod port ${l.podPort ?? '?'} (no container declares it; it may still listen)`;
  return step(ctx.hop('Workload', w, `${base}; ${where}; ${replicaText}`, l.containerPort?.span, {
    replicas, ...(l.container?.name ? { container: l.container.name } : {}), ...(l.podPort !== undefined ? { podPort: l.podPort } : {}), ...podExtra,
  }));
}

/** Per-pod DNS names of a StatefulSet under its headless governing Service. */
export function podNames(w: Workload, svc: Service): { names: string[]; truncated: boolean } {
  const n = w.replicasUnknown ? 1 : w.replicas ?? 1;
  const names: string[] = [];
  for (let i = 0; i < Math.min(n, MAX_POD_NAMES); i++) names.push(`${w.name}-${i}.${svc.name}.${svc.namespace ?? '<namespace>'}.svc.cluster.local`);
  return { names, truncated: n > MAX_POD_NAMES || w.replicasUnknown };
}

export function portList(svc: Service): string {
  if (svc.ports.length === 0) return 'no ports';
  return svc.ports.map((p) => `${String(p.port?.value ?? '?')}${p.name?.value ? `/${String(p.name.value)}` : ''}`).join(', ');
}
