import type { IndexReads } from '../index/workspaceIndex';
import type { Service, ServicePort, Workload } from '../model/resources';
import { landing } from '../resolve/resolver';
import { evaluateSide } from './evaluate';
import type { Party } from './match';
import type { PortQuery } from './reachTypes';

/**
 * For the topology view: is the traffic an edge stands for denied by NetworkPolicy? Answers only
 * when certain (a pod isolated for ingress with no rule that can admit the source on the port);
 * "unknown" counts as not denied. Returns the reason, or undefined.
 */

function queryOf(w: Workload, sp: ServicePort): PortQuery {
  const l = landing(w, sp);
  const tp = sp.targetPort?.value ?? sp.port?.value;
  return { ...(l.podPort !== undefined ? { number: l.podPort } : {}), ...(typeof tp === 'string' ? { name: tp } : {}), protocol: sp.effectiveProtocol };
}

function deniedOnEveryPort(index: IndexReads, ports: readonly ServicePort[], w: Workload, source: Party): string | undefined {
  let reason: string | undefined;
  for (const sp of ports.length ? ports : [undefined]) {
    const side = evaluateSide(index, 'ingress', w, source, sp ? queryOf(w, sp) : undefined, w);
    if (side.verdict !== 'denied') return undefined;
    reason ??= side.reason;
  }
  return reason;
}

/** Service → workload `selects` edge: does any client at all get into these pods through the Service's ports? */
export function selectsEdgeDenial(index: IndexReads, svc: Service, w: Workload): string | undefined {
  return deniedOnEveryPort(index, svc.ports, w, { kind: 'anyone' });
}

/**
 * Ingress → Service `routes` edge: can the Ingress controller (a pod the workspace usually does not
 * show) reach any of the Service's pods on this port? Denied only when every selected pod denies it.
 */
export function ingressEdgeDenial(index: IndexReads, svc: Service, port: ServicePort | undefined, selected: readonly Workload[]): string | undefined {
  if (selected.length === 0) return undefined;
  const source: Party = { kind: 'unseen-pod', description: 'the Ingress controller' };
  const reasons: string[] = [];
  for (const w of selected) {
    const r = deniedOnEveryPort(index, port ? [port] : svc.ports, w, source);
    if (!r) return undefined;
    reasons.push(r);
  }
  return reasons[0];
}
