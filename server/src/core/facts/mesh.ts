import type { IndexReads } from '../index/workspaceIndex';
import {
  isServiceParentRef, namespacesCompatible, type ParentRef, type Route, type Service, type ServicePort,
} from '../model/resources';
import { meshRole } from './attachment';
import { code, codeName } from './markdown';

/**
 * GAMMA (Gateway API for service mesh, GEP-1294): routes whose parentRef is a Service take over
 * in-cluster traffic to it. A producer route (the Service's namespace) applies to every client, a
 * consumer route (another namespace) only to clients of its own namespace, which then use their
 * consumer routes instead of the producer's. `parentRef.port` / `sectionName` (a port name) narrow
 * it to one Service port. Of several route kinds on one Service port only the most specific
 * applies: GRPCRoute, HTTPRoute, TLSRoute, TCPRoute (UDPRoute stands apart).
 */

export interface MeshRoute {
  readonly route: Route;
  readonly parent: ParentRef;
  readonly role: 'producer' | 'consumer';
}

/** Every parentRef of a route that names this Service. */
export function meshRoutesOf(index: IndexReads, svc: Service): MeshRoute[] {
  if (!svc.name) return [];
  return index.routesAttachedToService(svc.name, svc.namespace).flatMap((route) => route.parentRefs
    .filter((p) => isServiceParentRef(p) && p.name?.value === svc.name && namespacesCompatible(p.namespace?.value ?? route.namespace, svc.namespace))
    .map((parent) => ({ route, parent, role: meshRole(route, svc) })));
}

/** Does the parentRef cover this Service port (`port`, `sectionName` = the port's name)? Unset: every port. */
export function coversPort(p: ParentRef, port: ServicePort | undefined): boolean {
  if (p.port !== undefined && port?.port?.value !== p.port) return false;
  return p.sectionName === undefined || port?.name?.value === p.sectionName;
}

export const MESH_PRECEDENCE = ['GRPCRoute', 'HTTPRoute', 'TLSRoute', 'TCPRoute'];

export interface MeshSelection {
  /** The routes that decide the request (one kind, one group). Empty: the mesh sends it as plain Service traffic. */
  readonly routes: readonly MeshRoute[];
  readonly role?: 'producer' | 'consumer';
  /** Routes of a less specific kind on the same port: ignored (Accepted: False, Conflicted). */
  readonly conflicted: readonly MeshRoute[];
  /** Consumer routes of other namespaces (or of a client namespace not given): they do not apply here. */
  readonly otherConsumers: readonly MeshRoute[];
  /** Routes that would decide the port but are of a kind the request's protocol cannot use. */
  readonly unusable: readonly MeshRoute[];
}

/**
 * The mesh routes that decide a request from a client in `clientNs` (undefined: not given) to a
 * Service port, among the route kinds the request's protocol can use (`kinds`, most specific first).
 */
export function meshRoutesFor(index: IndexReads, svc: Service, port: ServicePort | undefined, clientNs: string | undefined, kinds: readonly string[]): MeshSelection {
  const onPort = meshRoutesOf(index, svc).filter((m) => coversPort(m.parent, port));
  const consumers = onPort.filter((m) => m.role === 'consumer');
  const mine = clientNs === undefined ? [] : consumers.filter((m) => m.route.namespace === clientNs);
  const group = mine.length ? mine : onPort.filter((m) => m.role === 'producer');
  const otherConsumers = consumers.filter((m) => !mine.includes(m));
  const udp = kinds.includes('UDPRoute');
  const candidates = group.filter((m) => (m.route.kind === 'UDPRoute') === udp);
  const kind = MESH_PRECEDENCE.find((k) => candidates.some((m) => m.route.kind === k)) ?? (udp && candidates.length ? 'UDPRoute' : undefined);
  const role = mine.length ? 'consumer' as const : 'producer' as const;
  if (!kind) return { routes: [], conflicted: [], otherConsumers, unusable: [] };
  const routes = candidates.filter((m) => m.route.kind === kind);
  const conflicted = candidates.filter((m) => m.route.kind !== kind);
  if (!kinds.includes(kind)) return { routes: [], conflicted, otherConsumers, unusable: routes };
  return { routes, role, conflicted, otherConsumers, unusable: [] };
}

/** The Service hover's lines about its mesh routes. */
export function meshRoutesHover(index: IndexReads, svc: Service): string[] {
  const all = meshRoutesOf(index, svc);
  if (all.length === 0) return [];
  const rows = all.map((m) => {
    const port = m.parent.port !== undefined ? `port ${code(m.parent.port)}` : m.parent.sectionName !== undefined ? `port ${code(m.parent.sectionName)}` : 'every port';
    return `- ${m.route.kind} ${codeName(m.route)}, ${port}: ${m.role === 'producer' ? 'producer route, for every client' : `consumer route, for clients in ${code(m.route.namespace ?? '')}`}`;
  });
  return ['Mesh routes (GAMMA): in-cluster requests go where they say; one that matches none of them is rejected.', ...rows];
}
