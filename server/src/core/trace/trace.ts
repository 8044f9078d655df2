import type { FeatureContext } from '../facts/context';
import type { Service, Workload } from '../model/resources';
import { step, TraceContext } from './context';
import { traceGateways } from './gatewayTrace';
import { traceIngresses } from './ingressTrace';
import { podNames, portList, traceService } from './serviceTrace';
import { meshFrontend } from './meshTrace';
import { finish } from './result';
import type { TraceRequest, TraceResult, TraceStep } from './types';
import { clusterName, type ClusterName, type RequestInput } from './url';

/**
 * Follows one request through the manifests, hop by hop, as the cluster would route it: from
 * outside through Ingress controllers and Gateways, or from inside through cluster DNS names.
 */
export function traceRequest(analyzer: FeatureContext, input: RequestInput): TraceResult {
  const ctx = new TraceContext(analyzer, input);
  const cluster = inClusterName(ctx, input);
  const request: TraceRequest = { ...input, inCluster: !!cluster };
  if (analyzer.index.resources().next().done) return finish(ctx, request, [], ctx.stop('empty-workspace', 'no Kubernetes manifests were found'));

  if (cluster) {
    const entries = cluster.form === 'pod' ? tracePod(ctx, cluster) : traceService(ctx, {
      name: cluster.service, namespace: cluster.namespace, port: { number: input.port }, viaProxy: false,
      frontend: (svc, port, why, extra) => meshFrontend(ctx, svc, port, why, extra),
    }, `cluster DNS: ${input.host} names Service ${cluster.service}${cluster.namespace ? ` in namespace ${cluster.namespace}` : ' (any namespace; give -n for the caller\'s)'}`);
    return finish(ctx, request, entries);
  }

  const ingress = L4.has(input.scheme) ? { entries: [] } : traceIngresses(ctx);
  const gateway = traceGateways(ctx);
  const entries = [...ingress.entries, ...gateway.entries];
  if (entries.length > 1) ctx.note(`${entries.length} entry points accept ${input.host}; which one receives the request depends on DNS (each controller and Gateway has its own address).`);
  if (entries.length === 0) {
    const why = [ingress.miss, gateway.miss].filter((m): m is string => !!m);
    return finish(ctx, request, [], ctx.stop('no-entry',
      why.length ? why.join('; ') : `${input.host} is not a cluster DNS name and the workspace has no ${L4.has(input.scheme) ? 'Gateway' : 'Ingress or Gateway'}`), gateway.refused);
  }
  // The Gateways that refuse the request matter when it could have gone through several.
  const several = gateway.refused.length + gateway.entries.length > 1;
  return finish(ctx, request, entries, undefined, several ? gateway.refused : []);
}

/** Schemes only Gateways take (TLSRoute, TCPRoute, UDPRoute); Ingress is HTTP only. */
const L4 = new Set(['tls', 'tcp', 'udp']);

/** A cluster DNS name, when the host is one: `.svc` names and bare names always, `name.namespace` when such a Service exists. */
function inClusterName(ctx: TraceContext, input: RequestInput): ClusterName | undefined {
  const c = clusterName(input.host, input.namespace);
  if (!c) return undefined;
  // tcp://gateway:5432: a name that is a Gateway's (and no Service's) goes to the Gateway.
  if (L4.has(input.scheme) && c.form === 'service' && ctx.resolver.servicesNamed(c.service, c.namespace).length === 0
    && [...ctx.index.gateways()].some((g) => g.name === c.service && (c.namespace === undefined || g.namespace === c.namespace))) return undefined;
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
