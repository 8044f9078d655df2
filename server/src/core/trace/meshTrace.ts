import { meshRoutesFor, type MeshRoute } from '../facts/mesh';
import type { Route, Service, ServicePort } from '../model/resources';
import { step, type TraceContext } from './context';
import { candidateSpan, candidateText, rankCandidates, routeName, ruleStep } from './routeTrace';
import type { TraceHop, TraceStep } from './types';

/** The route kinds a request of each scheme can meet on a Service port, most specific first. */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  http: ['GRPCRoute', 'HTTPRoute', 'TCPRoute'], https: ['TLSRoute', 'TCPRoute'], tls: ['TLSRoute', 'TCPRoute'], tcp: ['TCPRoute'], udp: ['UDPRoute'],
};

const routeKey = (m: MeshRoute) => `${m.route.kind} ${routeName(m.route)}`;
const routeKeys = (ms: readonly MeshRoute[]) => [...new Set(ms.map(routeKey))].join(', ');

/**
 * GAMMA: a client in the cluster sends to a Service that mesh routes attach to. The routes that
 * apply to the client (its namespace's consumer routes, else the producer routes) decide, as on a
 * Gateway but without hostnames (GEP-1294: meshes ignore them); a request none of them matches is
 * rejected. Returns undefined when no mesh route applies (plain Service traffic).
 */
export function meshFrontend(ctx: TraceContext, svc: Service, port: ServicePort, why: string, extra: Partial<TraceHop>): TraceStep | undefined {
  if (svc.headless || svc.serviceType === 'ExternalName') return undefined; // no frontend to attach to (GEP-1294)
  const client = ctx.request.namespace;
  const sel = meshRoutesFor(ctx.index, svc, port, client, KINDS[ctx.request.scheme] ?? []);
  if (sel.otherConsumers.length) {
    ctx.note(client === undefined
      ? `Consumer routes ${routeKeys(sel.otherConsumers)} attach to Service ${svc.name} and apply only to clients in their own namespace; give -n NAMESPACE to trace as such a client.`
      : `Consumer routes ${routeKeys(sel.otherConsumers)} of Service ${svc.name} apply to clients of their own namespaces, not to ${client}.`);
  }
  if (sel.conflicted.length) ctx.note(`${routeKeys(sel.conflicted)} ${sel.conflicted.length === 1 ? 'is' : 'are'} ignored on port ${String(port.port?.value ?? '?')} of Service ${svc.name}: a more specific route kind attaches there (Accepted: False, Conflicted; GRPCRoute, HTTPRoute, TLSRoute, TCPRoute in that order).`);
  if (sel.unusable.length) ctx.note(`${routeKeys(sel.unusable)} decide port ${String(port.port?.value ?? '?')} of Service ${svc.name}, but a ${ctx.request.scheme} request is not what they route; traced as plain Service traffic.`);
  if (sel.routes.length === 0) return undefined;
  const routes = [...new Set(sel.routes.map((m) => m.route))];
  const role = sel.role ?? 'producer';
  const who = role === 'consumer' ? `consumer route${routes.length > 1 ? 's' : ''} of namespace ${client}` : `producer route${routes.length > 1 ? 's' : ''}`;
  const portText = `port ${String(port.port?.value ?? '?')}${port.name?.value ? ` (${String(port.name.value)})` : ''}`;
  const hop = ctx.hop('Service', svc, `${why}; mesh (GAMMA): on ${portText}, ${routes.map((r) => `${r.kind} ${r.name}`).join(', ')} (${who}) decide${routes.length === 1 ? 's' : ''} where the request goes`, port.span, extra);
  if (routes.some((r) => r.hostnames.length)) ctx.note(`Mesh routes ignore their hostnames (GEP-1294); ${routes.filter((r) => r.hostnames.length).map((r) => r.name).join(', ')} list${routes.length === 1 ? 's' : ''} some.`);

  const l7 = routes.filter((r) => r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute');
  if (l7.length === 0) {
    const w = sortByKey(routes)[0]!;
    if (routes.length > 1) ctx.note(`${routes.length} ${w.kind}s attach to Service ${svc.name}; the oldest applies, which manifests do not tell (traced: ${w.name}).`);
    return step(hop, [ruleStep(ctx, { route: w, ruleIndex: 0, match: undefined, mesh: role }, `${role} mesh route; a ${w.kind} has nothing to match`, w.nameRef?.span)]);
  }
  const { candidates, misses } = rankCandidates(ctx, l7, () => ({ rank: [], text: '' }));
  const win = candidates[0];
  if (!win) {
    return step(hop, [], ctx.stop('mesh-no-route-matches',
      `no rule of the mesh routes of Service ${svc.name} (${l7.map((r) => r.name).join(', ')}) matches ${ctx.request.method} ${ctx.request.path} (${misses.slice(0, 6).join('; ')}); the mesh rejects the request (404)`, svc, port.span));
  }
  return step(hop, [ruleStep(ctx, { route: win.route, ruleIndex: win.ruleIndex, match: win.match, mesh: role }, `${role} mesh route; ${candidateText(win, candidates)}`, candidateSpan(win))]);
}

function sortByKey(routes: Route[]): Route[] {
  const k = (r: Route) => `${r.namespace ?? ''}/${r.name ?? ''}`;
  return [...routes].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
