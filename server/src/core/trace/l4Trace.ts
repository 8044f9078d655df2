import { defaultRouteKinds, routeOnListener, type ListenerVerdict } from '../facts/attachment';
import { gatewayHostMatch } from '../facts/match';
import type { Gateway, GatewayListener, Route } from '../model/resources';
import { sortByLocation } from '../resolve/resolver';
import { step, type TraceContext } from './context';
import { compareRank } from './routeMatch';
import { routeName, ruleStep } from './routeTrace';
import type { TraceHop, TraceStep } from './types';

/**
 * TLS, TCP and UDP listeners: a TLSRoute is chosen by SNI (the request's host) among its
 * hostnames, the most specific first; TCPRoute and UDPRoute have nothing to match, so a listener
 * takes one of them (the spec: only one can attach; of several, the oldest, which manifests do not
 * tell: namespace/name order). On a TLS listener that terminates, a TCPRoute takes what no TLSRoute does.
 */
const ROUTES = ['TLSRoute', 'TCPRoute', 'UDPRoute'];

export function traceL4Listener(ctx: TraceContext, gw: Gateway, l: GatewayListener, hop: TraceHop): TraceStep {
  const kinds = (defaultRouteKinds(l) ?? []).filter((k) => !l.allowedKinds || l.allowedKinds.some((a) => a.kind === k));
  // Kinds the listener refuses are refused by routeOnListener (their stop says so), not ignored.
  const attached: Route[] = [];
  const refused: { route: Route; verdict: ListenerVerdict }[] = [];
  for (const r of sortByLocation([...ctx.index.routes()])) {
    if (!ROUTES.includes(r.kind)) continue;
    const v = routeOnListener(ctx.index, r, gw, l);
    if (v && !v.refusal) attached.push(r);
    else if (v) refused.push({ route: r, verdict: v });
  }
  const key = (r: Route) => `${r.namespace ?? ''}/${r.name ?? ''}`;
  const byName = (a: Route, b: Route) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const sni = ctx.request.host;
  const tls = attached.filter((r) => r.kind === 'TLSRoute').flatMap((r) => {
    let best: { rank: number[]; name: string } | undefined;
    for (const h of r.hostnames) {
      const m = gatewayHostMatch(h, sni);
      if (!m) continue;
      const rank = [m === 'exact' ? 1 : 0, h.length];
      if (!best || compareRank(rank, best.rank) < 0) best = { rank, name: h };
    }
    return best ? [{ route: r, ...best }] : [];
  }).sort((a, b) => compareRank(a.rank, b.rank) || byName(a.route, b.route));
  if (tls[0]) {
    const w = tls[0];
    if (tls[1] && compareRank(tls[1].rank, w.rank) === 0) ctx.note(`TLSRoutes ${routeName(w.route)} and ${routeName(tls[1].route)} both take SNI ${sni}; the oldest wins, which manifests do not tell (traced: ${routeName(w.route)}).`);
    return step(hop, [ruleStep(ctx, { route: w.route, ruleIndex: 0, match: undefined }, `attached to listener ${l.name ?? '?'}; SNI ${sni} matches hostname ${w.name}`, w.route.nameRef?.span)]);
  }
  const streams = attached.filter((r) => r.kind === 'TCPRoute' || r.kind === 'UDPRoute').sort(byName);
  if (streams[0]) {
    const w = streams[0];
    if (streams.length > 1) ctx.note(`${streams.length} routes attach to listener ${l.name ?? '?'} (${streams.map(routeName).join(', ')}); a ${l.protocol} listener forwards to one, the oldest, which manifests do not tell (traced: ${routeName(w)}).`);
    return step(hop, [ruleStep(ctx, { route: w, ruleIndex: 0, match: undefined }, `attached to listener ${l.name ?? '?'}; a ${w.kind} has nothing to match: the listener forwards the connection`, w.nameRef?.span)]);
  }
  // A route that would take the connection but is not attached: its own stop says why.
  const blocked = refused.filter(({ route }) => route.kind !== 'TLSRoute' || route.hostnames.some((h) => gatewayHostMatch(h, sni)));
  if (blocked.length) {
    return step(hop, blocked.map(({ route, verdict }) => step(ctx.hop('Route', route, `${route.kind} ${route.name} names this listener but is not attached to it`),
      [], ctx.stop(verdict.refusal!.code, `listener ${l.name ?? '?'} does not take ${route.kind} ${route.namespace ? `${route.namespace}/` : ''}${route.name}: ${verdict.refusal!.why.replace(/`/g, '')}; the Gateway refuses the connection`, route,
        route.parentRefs.find((p) => p.name?.value === gw.name)?.name?.span))));
  }
  const tried = attached.filter((r) => r.kind === 'TLSRoute').map((r) => `${r.name} (${r.hostnames.join(', ')})`);
  const why = tried.length ? `no TLSRoute attached to listener ${l.name ?? '?'} takes SNI ${sni} (tried ${tried.join('; ')})`
    : `no ${kinds.join(' or ')} attaches to listener ${l.name ?? '?'} of Gateway ${gw.name}`;
  return step(hop, [], ctx.stop('no-route-matches', `${why}; the Gateway refuses the connection`, gw, l.span));
}
