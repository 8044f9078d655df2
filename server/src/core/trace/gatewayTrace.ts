import { routeOnListener, type ListenerVerdict } from '../facts/attachment';
import { GATEWAY_GROUP } from '../facts/grants';
import { gatewayHostMatch, type HostMatch } from '../facts/match';
import { resourceId, type Gateway, type GatewayListener, type Route } from '../model/resources';
import { sortByLocation } from '../resolve/resolver';
import { step, type TraceContext } from './context';
import { traceL4Listener } from './l4Trace';
import { compareRank, describeMatch, matchRank, routeMatchFails } from './routeMatch';
import { candidateSpan, candidateText, rankCandidates, ruleStep } from './routeTrace';
import type { TraceRefusal, TraceStep } from './types';

export interface GatewayEntries {
  readonly entries: TraceStep[];
  /** The Gateways that do not take the request, with why. */
  readonly refused: TraceRefusal[];
  /** Why no Gateway took the request, when there are Gateways at all. */
  readonly miss?: string;
}

/** The listener protocols a request of each scheme can arrive on (an https request also goes to a TLS listener, by SNI). */
const PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  http: ['HTTP'], https: ['HTTPS', 'TLS'], tls: ['TLS'], tcp: ['TCP'], udp: ['UDP'],
};
const HOSTNAME_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TLS']);

/**
 * A request enters at the listener of each Gateway that accepts its port, protocol and host. A TCP
 * or UDP connection has no host name to match: when its host names a Gateway (`name`,
 * `name.namespace` or one of its addresses) only that Gateway is tried, else every one.
 */
export function traceGateways(ctx: TraceContext): GatewayEntries {
  const gateways = sortByLocation([...ctx.index.gateways()]);
  if (gateways.length === 0) return { entries: [], refused: [] };
  const { scheme, port, host } = ctx.request;
  const byHost = scheme === 'tcp' || scheme === 'udp' || scheme === 'tls'
    ? gateways.filter((g) => host === g.name || host === `${g.name}.${g.namespace}` || g.addresses.includes(host)) : [];
  const pool = byHost.length ? byHost : gateways;
  const entries: TraceStep[] = [];
  const refused: TraceRefusal[] = [];
  for (const gw of pool) {
    const pick = pickListener(ctx, gw);
    if ('why' in pick) refused.push(refusal(ctx, gw, pick.why));
    else entries.push(traceListener(ctx, gw, pick.listener, pick.match));
  }
  if (entries.length > 0) return { entries, refused };
  const listeners = gateways.flatMap((g) => g.listeners.map((l) => `${g.name}/${l.name ?? '?'} ${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''}`));
  return { entries, refused, miss: `no Gateway listener accepts ${scheme.toUpperCase()} on port ${port}${scheme === 'tcp' || scheme === 'udp' ? '' : ` for host ${host}`} (listeners: ${listeners.join('; ') || 'none'})` };
}

function refusal(ctx: TraceContext, gw: Gateway, why: string): TraceRefusal {
  const lines = ctx.index.file(gw.uri)?.parsed.lines;
  const span = gw.nameRef?.span ?? gw.kindSpan;
  return { id: resourceId(gw), kind: gw.kind, name: gw.name ?? '', ...(gw.namespace ? { namespace: gw.namespace } : {}), uri: gw.uri, ...(lines ? { range: lines.headRange(span) } : {}), why };
}

/** The listener for the port and protocol whose hostname matches most specifically (exact, longest wildcard, none), or why none does. */
function pickListener(ctx: TraceContext, gw: Gateway): { listener: GatewayListener; match: HostMatch } | { why: string } {
  const { port, scheme, host } = ctx.request;
  const protocols = PROTOCOLS[scheme] ?? [];
  const onPort = gw.listeners.filter((l) => l.port === port);
  if (onPort.length === 0) return { why: `no listener on port ${port} (ports: ${[...new Set(gw.listeners.map((l) => l.port ?? '?'))].join(', ') || 'none'})` };
  const withProtocol = onPort.filter((l) => protocols.includes(l.protocol?.toUpperCase() ?? ''));
  if (withProtocol.length === 0) return { why: `its listeners on port ${port} take ${[...new Set(onPort.map((l) => l.protocol ?? '?'))].join(', ')}, not ${protocols.join(' or ')}` };
  const fits = withProtocol.flatMap((l) => {
    const m = HOSTNAME_PROTOCOLS.has(l.protocol!.toUpperCase()) ? gatewayHostMatch(l.hostname, host) : 'any';
    return m ? [{ listener: l, match: m }] : [];
  });
  if (fits.length === 0) return { why: `no ${protocols.join('/')} listener on port ${port} accepts host ${host} (hostnames: ${withProtocol.map((l) => l.hostname ?? '*').join(', ')})` };
  const score = (f: { listener: GatewayListener; match: HostMatch }) => (f.match === 'exact' ? 100000 : f.match === 'wildcard' ? 50000 : 0) + (f.listener.hostname?.length ?? 0);
  return fits.sort((a, b) => score(b) - score(a))[0]!;
}

function traceListener(ctx: TraceContext, gw: Gateway, l: GatewayListener, hostMatch: HostMatch): TraceStep {
  const { host } = ctx.request;
  const named = HOSTNAME_PROTOCOLS.has(l.protocol?.toUpperCase() ?? '');
  const listenerText = `listener ${l.name ?? '?'} (${l.protocol} ${l.port}${named ? (l.hostname ? `, hostname ${l.hostname}` : ', any hostname') : ''}) accepts ${named ? `${host}${hostMatch === 'any' ? '' : ` (${hostMatch})`}` : 'the connection'}`;
  const hop = ctx.hop('Gateway', gw, listenerText, l.span, {
    listener: { ...(l.name ? { name: l.name } : {}), ...(l.port !== undefined ? { port: l.port } : {}), ...(l.protocol ? { protocol: l.protocol } : {}), ...(l.hostname ? { hostname: l.hostname } : {}) },
  });
  const protocol = l.protocol?.toUpperCase();
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return traceL4Listener(ctx, gw, l, hop);

  const grpc = ctx.request.headers.some((h) => h.name.toLowerCase() === 'content-type' && h.value.startsWith('application/grpc'));
  const kinds = grpc ? ['GRPCRoute', 'HTTPRoute'] : ['HTTPRoute'];
  const attached: Route[] = [];
  const refused: { route: Route; verdict: ListenerVerdict }[] = [];
  for (const r of sortByLocation([...ctx.index.routes()])) {
    if (!kinds.includes(r.kind)) continue;
    const v = routeOnListener(ctx.index, r, gw, l);
    if (!v) continue;
    if (v.refusal) refused.push({ route: r, verdict: v });
    else {
      attached.push(r);
      if (v.namespace === 'unknown') ctx.note(`Whether listener ${l.name} takes ${r.kind} ${r.namespace ?? ''}/${r.name} is unknown (${v.namespaceWhy}); trace assumes it does.`);
    }
  }
  const { candidates, misses } = rankCandidates(ctx, attached, (r) => routeHostRank(r, l, host));
  const win = candidates[0];
  const blocked = refusedMatches(ctx, refused, l);
  if (!win) {
    if (blocked.length) return step(hop, blocked.map((b) => b.step));
    const names = refused.map(({ route, verdict }) => `${route.name}: ${verdict.refusal!.why.replace(/`/g, '')}`);
    const why = attached.length === 0 ? `no ${kinds.join(' or ')} attaches to Gateway ${gw.name} listener ${l.name ?? '?'}${names.length ? ` (not taken: ${names.slice(0, 4).join('; ')})` : ''}`
      : `no rule of the routes attached to listener ${l.name ?? '?'} matches ${ctx.request.method} ${ctx.request.path} (${misses.slice(0, 6).join('; ')})`;
    return step(hop, [], ctx.stop('no-route-matches', `${why}; the Gateway answers 404`, gw, l.span));
  }
  const outranking = blocked.filter((b) => compareRank(b.rank, win.rank) < 0).map((b) => `${b.route.kind} ${b.route.name} would take precedence but is not attached (${b.why})`);
  const decision = `attached to listener ${l.name ?? '?'}; ${candidateText(win, candidates)}${outranking.length ? `; ${outranking.join('; ')}` : ''}`;
  return step(hop, [ruleStep(ctx, { route: win.route, ruleIndex: win.ruleIndex, match: win.match }, decision, candidateSpan(win))]);
}

/** Refused routes whose rules would take the request: a hop each, whose stop says why the route is not attached. */
function refusedMatches(ctx: TraceContext, refused: { route: Route; verdict: ListenerVerdict }[], l: GatewayListener): { route: Route; rank: number[]; why: string; step: TraceStep }[] {
  return refused.flatMap(({ route, verdict }) => {
    const hosts = route.hostnames.length ? route.hostnames : [undefined];
    if (!hosts.some((h) => gatewayHostMatch(h, ctx.request.host))) return [];
    const hit = route.rules.flatMap((rule, i) => rule.matches.map((m) => ({ rule, i, m }))).find((x) => !routeMatchFails(x.m, ctx.request));
    if (!hit) return [];
    const why = verdict.refusal!.why;
    const parent = route.parentRefs.find((p) => p.kind === 'Gateway' && p.group === GATEWAY_GROUP && (p.sectionName === undefined || p.sectionName === l.name));
    const hop = ctx.hop('Route', route, `rule ${hit.i} match: ${describeMatch(hit.m, hit.rule.matchesDefaulted)}, but the route is not attached to listener ${l.name ?? '?'}`, hit.rule.matchesDefaulted ? hit.rule.span : hit.m.span);
    const stop = ctx.stop(verdict.refusal!.code, `listener ${l.name ?? '?'} does not take ${route.kind} ${route.namespace ? `${route.namespace}/` : ''}${route.name}: ${why.replace(/`/g, '')}; the Gateway answers 404`, route, parent?.name?.span ?? parent?.span);
    const hostRank = routeHostRank(route, l, ctx.request.host)?.rank ?? [0, 0];
    return [{ route, rank: [...hostRank, ...matchRank(hit.m)], why: why.replace(/`/g, ''), step: step(hop, [], stop) }];
  });
}

/**
 * Route hostname precedence (HTTPRouteSpec.hostnames): more characters of a matching non-wildcard
 * hostname first, then more characters of a matching hostname. A route without hostnames takes the listener's.
 */
function routeHostRank(route: Route, l: GatewayListener, host: string): { rank: number[]; text: string } | undefined {
  const names = route.hostnames.length ? route.hostnames : [l.hostname];
  let best: { rank: number[]; text: string } | undefined;
  for (const n of names) {
    const m = gatewayHostMatch(n, host);
    if (!m) continue;
    // A route hostname must also fit the listener's: both match the request host, so they intersect.
    const len = n?.length ?? 0;
    const cand = {
      rank: [m === 'exact' ? len : 0, len],
      text: route.hostnames.length ? `hostname ${n} matches ${host} (${m})` : `no hostnames: takes the listener's (${l.hostname ?? 'any'})`,
    };
    if (!best || compareRank(cand.rank, best.rank) < 0) best = cand;
  }
  return best;
}
