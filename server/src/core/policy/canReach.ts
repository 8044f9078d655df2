import type { IndexReads } from '../index/workspaceIndex';
import { WORKLOAD_KINDS, resourceId, type Resource, type Service, type ServicePort, type Workload } from '../model/resources';
import { landing, sortByLocation, type Resolver } from '../resolve/resolver';
import { closestName } from '../facts/names';
import { isIp } from './cidr';
import { combine, evaluateSide, objectRef } from './evaluate';
import { namedPortNumber, type Party } from './match';
import type { PortQuery, ReachError, ReachResult, ReachTarget } from './reachTypes';

/** What can-reach needs from the analyzer. */
export interface ReachContext {
  readonly index: IndexReads;
  readonly resolver: Resolver;
}

const ALIASES: Record<string, string> = {
  po: 'Pod', pod: 'Pod', deploy: 'Deployment', deployment: 'Deployment', rs: 'ReplicaSet', replicaset: 'ReplicaSet',
  sts: 'StatefulSet', statefulset: 'StatefulSet', ds: 'DaemonSet', daemonset: 'DaemonSet', job: 'Job', cj: 'CronJob',
  cronjob: 'CronJob', rc: 'ReplicationController', replicationcontroller: 'ReplicationController', svc: 'Service', service: 'Service',
};

/** `Kind/name` or `Kind/namespace/name` (kubectl short names allowed), resolved in the workspace. */
export function resolveObject(index: IndexReads, text: string, allowService: boolean): Workload | Service | ReachError {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    return { error: `'${text}' is not Kind/name or Kind/namespace/name`, suggestions: [] };
  }
  const kind = ALIASES[parts[0]!.toLowerCase()] ?? parts[0]!;
  const ns = parts.length === 3 ? parts[1] : undefined;
  const name = parts[parts.length - 1]!;
  if (!WORKLOAD_KINDS.has(kind) && !(allowService && kind === 'Service')) {
    return { error: `${parts[0]} is not a ${allowService ? 'workload kind or Service' : 'workload kind'}`, suggestions: [] };
  }
  const found = sortByLocation(index.named<Resource>(kind, name).filter((r) =>
    (r.type === 'workload' || r.type === 'service') && (ns === undefined || r.namespace === undefined || r.namespace === ns))) as (Workload | Service)[];
  const ids = [...new Set(found.map((r) => resourceId(r)))];
  if (ids.length > 1 && ns === undefined) {
    return { error: `${kind}/${name} is ambiguous: it exists in several namespaces`, suggestions: ids };
  }
  if (found.length > 0) return found.find((r) => r.namespace === ns) ?? found[0]!;
  const candidates: Resource[] = kind === 'Service' ? [...index.services()] : [...index.workloads()].filter((w) => w.kind === kind);
  const near = closestName(name, candidates.map((c) => c.name));
  const suggestions = [...new Set(candidates.filter((c) => c.name === near).map((c) => resourceId(c)))];
  return { error: `${kind}/${ns ? `${ns}/` : ''}${name} is not in the workspace`, suggestions };
}

/** `80`, `http`, `53/UDP`. */
export function parsePort(text: string): { port: number | string; protocol?: string } | undefined {
  const m = /^([^/]+)(?:\/(TCP|UDP|SCTP))?$/i.exec(text.trim());
  if (!m) return undefined;
  const p = /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!;
  if (typeof p === 'number' && (p < 1 || p > 65535)) return undefined;
  return { port: p, ...(m[2] ? { protocol: m[2].toUpperCase() } : {}) };
}

/**
 * May `from` open a connection to `to` (a Service, a pod template, or an IP address) on `port`?
 * Egress of the source pods AND ingress of the destination pods, per NetworkPolicy semantics.
 * For a Service, the port is a Service port (number or name) resolved to each selected pod's
 * container port; without a port every Service port is checked.
 */
export function canReach(
  ctx: ReachContext, from: Workload, to: Workload | Service | { ip: string }, port?: { port: number | string; protocol?: string },
): ReachResult | ReachError {
  const { index } = ctx;
  const targets: ReachTarget[] = [];
  const source: Party = { kind: 'workload', workload: from };
  const toRef = 'ip' in to ? { ip: to.ip } : objectRef(index, to);
  let note = '';
  if ('ip' in to) {
    if (!isIp(to.ip)) return { error: `'${to.ip}' is not an IP address`, suggestions: [] };
    const q: PortQuery | undefined = port ? portQueryOf(port) : undefined;
    const egress = evaluateSide(index, 'egress', from, { kind: 'ip', ip: to.ip }, q, undefined);
    const ingress = {
      direction: 'ingress' as const, verdict: 'allowed' as const, isolated: false, isolatedBy: [], allowedBy: [], unknownBecause: [],
      reason: `${to.ip} is taken as an address outside the cluster: no NetworkPolicy of the workspace governs its ingress.`,
    };
    return finish(ctx, from, toRef, port, [], egress, ingress);
  }
  if (to.type === 'workload') {
    const q = port ? portQueryOf(port, to) : undefined;
    targets.push(target(ctx, from, source, to, q));
  } else {
    const svc = to;
    if (svc.serviceType === 'ExternalName') return result(ctx, from, toRef, port, [], `Service ${svc.name ?? ''} is an ExternalName alias: its destination is outside the workspace.`);
    if (!svc.selector) return result(ctx, from, toRef, port, [], `Service ${svc.name ?? ''} has no selector: its endpoints are not known from the manifests.`);
    let ports: readonly ServicePort[] = svc.ports;
    if (port) {
      const sp = svc.ports.find((p) => (typeof port.port === 'number' ? p.port?.value === port.port : p.name?.value === port.port)
        && (!port.protocol || p.effectiveProtocol === port.protocol));
      if (!sp) {
        return {
          error: `Service ${svc.name ?? ''} has no port ${String(port.port)}`,
          suggestions: svc.ports.map((p) => `${String(p.port?.value ?? '?')}${p.name?.value ? ` (${String(p.name.value)})` : ''}`),
        };
      }
      ports = [sp];
    }
    const selected = ctx.resolver.selectedWorkloads(svc);
    if (selected.length === 0) note = `Service ${svc.name ?? ''} selects no pod template in the workspace.`;
    for (const sp of ports) {
      for (const w of selected) {
        const l = landing(w, sp);
        const tp = sp.targetPort?.value ?? sp.port?.value;
        const q: PortQuery = {
          ...(l.podPort !== undefined ? { number: l.podPort } : {}),
          ...(typeof tp === 'string' ? { name: tp } : {}),
          protocol: sp.effectiveProtocol,
        };
        targets.push(target(ctx, from, source, w, q, {
          service: objectRef(index, svc),
          servicePort: (sp.port?.value as number | string | null | undefined) ?? null,
          targetPort: typeof tp === 'number' || typeof tp === 'string' ? tp : null,
          ...(l.podPort !== undefined ? { containerPort: l.podPort } : {}),
          ...(l.container?.name ? { container: l.container.name } : {}),
        }));
      }
    }
  }
  return result(ctx, from, toRef, port, targets, note);
}

function portQueryOf(port: { port: number | string; protocol?: string }, dest?: Workload): PortQuery {
  const protocol = port.protocol ?? 'TCP';
  if (typeof port.port === 'number') return { number: port.port, protocol };
  const n = dest ? namedPortNumber(dest, port.port, protocol) : undefined;
  return { name: port.port, ...(typeof n === 'number' ? { number: n } : {}), protocol };
}

function target(ctx: ReachContext, from: Workload, source: Party, w: Workload, q: PortQuery | undefined, via?: ReachTarget['via']): ReachTarget {
  const egress = evaluateSide(ctx.index, 'egress', from, { kind: 'workload', workload: w }, q, w);
  const ingress = evaluateSide(ctx.index, 'ingress', w, source, q, w);
  return {
    workload: objectRef(ctx.index, w), ...(q ? { port: q } : {}), ...(via ? { via } : {}),
    verdict: combine([egress.verdict, ingress.verdict]), egress, ingress,
  };
}

function result(
  ctx: ReachContext, from: Workload, to: ReachResult['to'], port: { port: number | string } | undefined,
  targets: ReachTarget[], note: string,
): ReachResult {
  const verdict = combine(targets.map((t) => t.verdict));
  const deciding = targets.find((t) => t.verdict === 'denied') ?? targets.find((t) => t.verdict === 'unknown') ?? targets[0];
  const reason = note || (deciding ? [deciding.egress, deciding.ingress].filter((s) => s.verdict === verdict || verdict === 'allowed').map((s) => s.reason).join(' ') : '');
  return {
    verdict, from: objectRef(ctx.index, from), to, ...(port ? { port: port.port } : {}), targets,
    ...(deciding ? { egress: deciding.egress, ingress: deciding.ingress } : {}), reason,
  };
}

function finish(
  ctx: ReachContext, from: Workload, to: ReachResult['to'], port: { port: number | string } | undefined,
  targets: ReachTarget[], egress: ReachResult['egress'] & object, ingress: ReachResult['ingress'] & object,
): ReachResult {
  return {
    verdict: egress.verdict, from: objectRef(ctx.index, from), to, ...(port ? { port: port.port } : {}), targets,
    egress, ingress, reason: egress.reason,
  };
}

/**
 * can-reach from what a user types (the CLI's arguments, the editor command's picks): FROM a
 * workload, TO a Service, a workload or an IP address, an optional port (`80`, `http`, `53/UDP`).
 */
export function canReachByName(ctx: ReachContext, fromText: string, toText: string, portText?: string): ReachResult | ReachError {
  const port = portText === undefined || portText.trim() === '' ? undefined : parsePort(portText);
  if (portText !== undefined && portText.trim() !== '' && !port) {
    return { error: `port '${portText}' is not a port number (1-65535), a port name, or P/TCP|UDP|SCTP`, suggestions: [] };
  }
  const from = resolveObject(ctx.index, fromText, false);
  if ('error' in from) return { error: `FROM: ${from.error}`, suggestions: from.suggestions };
  const to = isIp(toText) ? { ip: toText } : resolveObject(ctx.index, toText, true);
  if ('error' in to) return { error: `TO: ${to.error}`, suggestions: to.suggestions };
  return canReach(ctx, from as Workload, to, port);
}
