import type { FeatureContext } from '../facts/context';
import type { Service, Workload } from '../model/resources';
import { step, TraceContext } from './context';
import { traceGateways } from './gatewayTrace';
import { traceIngresses } from './ingressTrace';
import { podNames, portList, traceService } from './serviceTrace';
import type { TraceEdge, TraceRequest, TraceResult, TraceStep, TraceStop } from './types';
import { clusterName, type ClusterName, type RequestInput } from './url';

/**
 * Follows one request through the manifests, hop by hop, as the cluster would route it: from
 * outside through Ingress controllers and Gateways, or from inside through cluster DNS names.
 */
export function traceRequest(analyzer: FeatureContext, input: RequestInput): TraceResult {
  const ctx = new TraceContext(analyzer, input);
  const cluster = inClusterName(ctx, input);
  const request: TraceRequest = { ...input, inCluster: !!cluster };
  if (analyzer.index.resources().next().done) return finish(ctx, request, [], { reason: 'empty-workspace', rule: 'no Kubernetes manifests were found' });

  if (cluster) {
    const entries = cluster.form === 'pod' ? tracePod(ctx, cluster) : traceService(ctx, {
      name: cluster.service, namespace: cluster.namespace, port: { number: input.port }, viaProxy: false,
    }, `cluster DNS: ${input.host} names Service ${cluster.service}${cluster.namespace ? ` in namespace ${cluster.namespace}` : ' (any namespace; give -n for the caller\'s)'}`);
    return finish(ctx, request, entries);
  }

  const ingress = traceIngresses(ctx);
  const gateway = traceGateways(ctx);
  const entries = [...ingress.entries, ...gateway.entries];
  if (entries.length > 1) ctx.note(`${entries.length} entry points accept ${input.host}; which one receives the request depends on DNS (each controller and Gateway has its own address).`);
  if (entries.length === 0) {
    const why = [ingress.miss, gateway.miss].filter((m): m is string => !!m);
    return finish(ctx, request, [], {
      reason: 'no-entry',
      rule: why.length ? why.join('; ') : `${input.host} is not a cluster DNS name and the workspace has no Ingress or Gateway`,
    });
  }
  return finish(ctx, request, entries);
}

/** A cluster DNS name, when the host is one: `.svc` names and bare names always, `name.namespace` when such a Service exists. */
function inClusterName(ctx: TraceContext, input: RequestInput): ClusterName | undefined {
  const c = clusterName(input.host, input.namespace);
  if (!c) return undefined;
  const dnsForm = input.host.endsWith('.svc') || input.host.endsWith('.svc.cluster.local') || !input.host.includes('.');
  if (dnsForm || c.form === 'pod') return c;
  return ctx.resolver.servicesNamed(c.service, c.namespace).length > 0 ? c : undefined;
}

/** `web-0.web.shop.svc.cluster.local`: a StatefulSet pod behind its headless governing Service. */
function tracePod(ctx: TraceContext, c: Extract<ClusterName, { form: 'pod' }>): TraceStep[] {
  const port = ctx.request.port;
  const svc = ctx.resolver.servicesNamed(c.service, c.namespace)[0];
  if (!svc) {
    return traceService(ctx, { name: c.service, namespace: c.namespace, port: { number: port }, viaProxy: false }, `cluster DNS: ${ctx.request.host} is a pod name under Service ${c.service}`);
  }
  const hop = ctx.hop('Service', svc, `cluster DNS: ${ctx.request.host} is a per-pod name under Service ${c.service}`, svc.clusterIPRef?.span);
  if (!svc.headless) return [step(hop, [], ctx.stop('not-headless', `Service ${svc.name} is not headless (clusterIP: None), so it gives pods no DNS names`, svc, svc.specKeySpan))];
  const sets = ctx.resolver.selectedWorkloads(svc).filter((w) => w.kind === 'StatefulSet' && w.serviceName?.value === svc.name);
  const owner = sets.find((w) => podNames(w, svc).names.some((n) => n.startsWith(`${c.pod}.`)) || ordinalOf(w, c.pod) !== undefined);
  if (!owner) {
    const known = sets.flatMap((w) => podNames(w, svc).names.map((n) => n.split('.')[0]!));
    return [step(hop, [], ctx.stop('pod-missing', `no StatefulSet governed by ${svc.name} has a pod ${c.pod}${known.length ? ` (pods: ${known.join(', ')})` : ''}`, svc))];
  }
  return [step(hop, [podStep(ctx, svc, owner, c.pod, port)])];
}

function ordinalOf(w: Workload, pod: string): number | undefined {
  const prefix = `${w.name}-`;
  if (!pod.startsWith(prefix)) return undefined;
  const rest = pod.slice(prefix.length);
  if (!/^(0|[1-9]\d*)$/.test(rest)) return undefined;
  const n = Number(rest);
  return w.replicasUnknown || n < (w.replicas ?? 1) ? n : undefined;
}

function podStep(ctx: TraceContext, svc: Service, w: Workload, pod: string, port: number): TraceStep {
  const found = w.containers.filter((c) => c.role !== 'init').flatMap((c) => c.ports.map((p) => ({ c, p }))).find(({ p }) => p.containerPort?.value === port);
  const where = found ? `container ${found.c.name ?? '?'}:${port}` : `port ${port} (no container declares it; it may still listen)`;
  const replicas = w.replicasUnknown ? 'unknown' : w.replicas ?? 1;
  const hop = ctx.hop('Pod', w, `pod ${pod} of ${w.kind} ${w.name} (ordinal ${ordinalOf(w, pod)}); the name resolves to that pod's IP, so port ${port} goes straight to it: ${where}`, found?.p.span, {
    replicas, podPort: port, ...(found?.c.name ? { container: found.c.name } : {}),
    podDns: [`${pod}.${svc.name}.${svc.namespace ?? '<namespace>'}.svc.cluster.local`],
  });
  if (!found && svc.ports.length > 0 && !svc.ports.some((p) => p.port?.value === port)) ctx.note(`Service ${svc.name} lists ports ${portList(svc)}; port ${port} is neither a Service port nor declared by the pod.`);
  return step(hop);
}

const REACHED = new Set(['Workload', 'Pod', 'Endpoints', 'External']);

function finish(ctx: TraceContext, request: TraceRequest, entries: TraceStep[], topStop?: TraceStop): TraceResult {
  let reached = false;
  let firstStop: TraceStop | undefined;
  const nodeIds: string[] = [];
  const edges: TraceEdge[] = [];
  const addEdge = (e: TraceEdge) => { if (!edges.some((x) => x.from === e.from && x.to === e.to && x.kind === e.kind)) edges.push(e); };
  const walk = (s: TraceStep, parent: TraceStep | undefined) => {
    if (!nodeIds.includes(s.hop.id)) nodeIds.push(s.hop.id);
    if (parent) addEdge(edgeBetween(parent, s));
    else if (!request.inCluster) addEdge({ from: 'Entry/internet', to: s.hop.id, kind: 'enters' });
    if (s.stop) firstStop ??= s.stop;
    else if (s.next.length === 0 && REACHED.has(s.hop.type)) reached = true;
    for (const n of s.next) walk(n, s);
  };
  for (const e of entries) walk(e, undefined);
  if (!request.inCluster && entries.length) nodeIds.unshift('Entry/internet');
  const stop = reached ? undefined : topStop ?? firstStop ?? { reason: 'no-backend', rule: 'the request reaches no pod, endpoint or external host' };
  return { request, entries, outcome: reached ? 'reached' : 'stopped', ...(stop ? { stop } : {}), notes: ctx.notes, nodeIds, edges };
}

/** The topology graph's edge for a parent → child hop (a route attaches *to* its Gateway). */
function edgeBetween(parent: TraceStep, child: TraceStep): TraceEdge {
  const from = parent.hop.id;
  const to = child.hop.id;
  if (parent.hop.type === 'Gateway') return { from: to, to: from, kind: 'attaches' };
  if (child.hop.type === 'External') return { from, to, kind: parent.hop.type === 'Service' ? 'aliases' : 'routes' };
  if (child.hop.type === 'Endpoints') return { from, to, kind: 'endpoints' };
  if (child.hop.type === 'Workload') return { from, to, kind: 'selects' };
  if (child.hop.type === 'Pod') return { from: to, to: from, kind: 'governs' };
  return { from, to, kind: 'routes' };
}
