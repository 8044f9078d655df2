import {
  isServiceBackendRef, namespacesCompatible, type Gateway, type GatewayListener, type ParentRef, type Route, type RouteMatch,
} from '../model/resources';
import { sortByLocation } from '../resolve/resolver';
import { crossNamespaceGranted } from '../facts/grants';
import { percent, step, type TraceContext } from './context';
import { gatewayHostMatch, type HostMatch } from '../facts/match';
import { compareRank, describeMatch, matchRank, routeMatchFails } from './routeMatch';
import { blockedService, traceService } from './serviceTrace';
import type { TraceStep } from './types';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export interface GatewayEntries {
  readonly entries: TraceStep[];
  /** Why no Gateway took the request, when there are Gateways at all. */
  readonly miss?: string;
}

interface Candidate {
  readonly route: Route;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: RouteMatch;
  readonly rank: number[];
  readonly hostText: string;
}

/** A request enters at the listener of each Gateway that accepts its port, protocol and host. */
export function traceGateways(ctx: TraceContext): GatewayEntries {
  const gateways = sortByLocation([...ctx.index.gateways()]);
  if (gateways.length === 0) return { entries: [] };
  const entries: TraceStep[] = [];
  for (const gw of gateways) {
    const listener = pickListener(ctx, gw);
    if (listener) entries.push(traceListener(ctx, gw, listener.listener, listener.match));
  }
  if (entries.length > 0) return { entries };
  const { scheme, port, host } = ctx.request;
  const listeners = gateways.flatMap((g) => g.listeners.map((l) => `${g.name}/${l.name ?? '?'} ${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''}`));
  return { entries, miss: `no Gateway listener accepts ${scheme.toUpperCase()} on port ${port} for host ${host} (listeners: ${listeners.join('; ') || 'none'})` };
}

/** The listener for the port and protocol whose hostname matches most specifically (exact, longest wildcard, none). */
function pickListener(ctx: TraceContext, gw: Gateway): { listener: GatewayListener; match: HostMatch } | undefined {
  const { port, scheme, host } = ctx.request;
  const protocol = scheme === 'https' ? 'HTTPS' : 'HTTP';
  const fits = gw.listeners.flatMap((l) => {
    const m = l.port === port && l.protocol?.toUpperCase() === protocol ? gatewayHostMatch(l.hostname, host) : undefined;
    return m ? [{ listener: l, match: m }] : [];
  });
  const score = (f: { listener: GatewayListener; match: HostMatch }) => (f.match === 'exact' ? 100000 : f.match === 'wildcard' ? 50000 : 0) + (f.listener.hostname?.length ?? 0);
  return fits.sort((a, b) => score(b) - score(a))[0];
}

function traceListener(ctx: TraceContext, gw: Gateway, l: GatewayListener, hostMatch: HostMatch): TraceStep {
  const { host } = ctx.request;
  const listenerText = `listener ${l.name ?? '?'} (${l.protocol} ${l.port}${l.hostname ? `, hostname ${l.hostname}` : ', any hostname'}) accepts ${host}${hostMatch === 'any' ? '' : ` (${hostMatch})`}`;
  const hop = ctx.hop('Gateway', gw, listenerText, l.span, {
    listener: { ...(l.name ? { name: l.name } : {}), ...(l.port !== undefined ? { port: l.port } : {}), ...(l.protocol ? { protocol: l.protocol } : {}), ...(l.hostname ? { hostname: l.hostname } : {}) },
  });
  const grpc = ctx.request.headers.some((h) => h.name.toLowerCase() === 'content-type' && h.value.startsWith('application/grpc'));
  const kinds = grpc ? ['GRPCRoute', 'HTTPRoute'] : ['HTTPRoute'];
  const routes = [...ctx.index.routes()].filter((r) => kinds.includes(r.kind) && r.parentRefs.some((p) => attaches(p, r, gw, l)));
  const refused = routes.filter((r) => !allowed(r, gw, l));
  for (const r of refused) ctx.note(`${r.kind} ${r.namespace ?? ''}/${r.name} names listener ${l.name} but the listener allows routes from ${l.allowedRoutesFrom === 'Same' ? 'its own namespace only (allowedRoutes default: Same)' : l.allowedRoutesFrom}.`);
  if (l.allowedRoutesFrom === 'Selector') ctx.note(`Listener ${l.name} selects route namespaces by label; assumed to allow the routes that attach.`);

  const candidates: Candidate[] = [];
  const misses: string[] = [];
  for (const route of routes.filter((r) => allowed(r, gw, l))) {
    const hn = routeHostRank(route, l, host);
    if (!hn) { misses.push(`${route.name}: hostnames ${route.hostnames.join(', ')} do not match ${host}`); continue; }
    route.rules.forEach((rule, ruleIndex) => rule.matches.forEach((match, matchIndex) => {
      const fail = routeMatchFails(match, ctx.request);
      if (fail) misses.push(`${route.name} rule ${ruleIndex}: ${fail}`);
      else candidates.push({ route, ruleIndex, matchIndex, match, rank: [...hn.rank, ...matchRank(match)], hostText: hn.text });
    }));
  }
  const key = (r: Route) => `${r.namespace ?? ''}/${r.name ?? ''}`;
  candidates.sort((a, b) => compareRank(a.rank, b.rank) || (key(a.route) < key(b.route) ? -1 : key(a.route) > key(b.route) ? 1 : 0)
    || a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex);
  const win = candidates[0];
  if (!win) {
    const why = routes.length === 0 ? `no HTTPRoute attaches to Gateway ${gw.name} listener ${l.name ?? '?'}`
      : `no rule of the routes attached to listener ${l.name ?? '?'} matches ${ctx.request.method} ${ctx.request.path} (${misses.slice(0, 6).join('; ')})`;
    return step(hop, [], ctx.stop('no-route-matches', `${why}; the Gateway answers 404`, gw, l.span));
  }
  const beaten = candidates.filter((c) => c !== win).slice(0, 3).map((c) => `${describeMatch(c.match, c.route.rules[c.ruleIndex]!.matchesDefaulted)} (${c.route.name} rule ${c.ruleIndex})`);
  const tie = candidates.find((c) => c !== win && c.route !== win.route && compareRank(c.rank, win.rank) === 0);
  if (tie) ctx.note(`Routes ${key(win.route)} and ${key(tie.route)} match equally; the oldest route wins. Creation times are not in manifests, so the alphabetical namespace/name order (the spec's next tie-break) is used.`);
  const rule = win.route.rules[win.ruleIndex]!;
  const decision = `${win.hostText}; rule ${win.ruleIndex} match ${win.matchIndex}: ${describeMatch(win.match, rule.matchesDefaulted)}${beaten.length ? `, takes precedence over ${beaten.join(', ')}` : ''}`;
  const routeHop = ctx.hop('Route', win.route, decision, rule.matchesDefaulted ? rule.span : win.match.span);
  return step(hop, [step(routeHop, ...backendSteps(ctx, win.route, win.ruleIndex))]);
}

function backendSteps(ctx: TraceContext, route: Route, ruleIndex: number): [TraceStep[], ReturnType<TraceContext['stop']>?] {
  const refs = route.backendRefs.filter((b) => b.ruleIndex === ruleIndex);
  if (refs.length === 0) return [[], ctx.stop('no-backends', `rule ${ruleIndex} of ${route.kind} ${route.name} has no backendRefs; the Gateway answers 500`, route, route.rules[ruleIndex]?.span)];
  const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
  const out = refs.flatMap((b): TraceStep[] => {
    const weight = b.weight ?? 1;
    const weightPercent = refs.length > 1 ? percent(weight, total) : undefined;
    const share = weightPercent !== undefined ? `weight ${weight} of ${total} = ${weightPercent}%` : 'the only backendRef';
    const name = b.name?.value ?? '';
    const ns = b.namespace?.value ?? route.namespace;
    const port = typeof b.port?.value === 'number' ? { number: b.port.value } : undefined;
    const target = { name, namespace: ns, port, viaProxy: true, ref: { resource: route, span: b.name?.span ?? b.span }, ...(weightPercent !== undefined ? { weightPercent } : {}) };
    const why = `backendRef ${ns && ns !== route.namespace ? `${ns}/` : ''}${name}:${port?.number ?? '?'}, ${share}`;
    if (!isServiceBackendRef(b)) return [step({ ...ctx.hop('Route', route, why, b.span), type: 'External', kind: b.kind, id: ns ? `${b.kind}/${ns}/${name}` : `${b.kind}/${name}`, name }, [], ctx.stop('backend-not-service', `backendRef kind ${b.kind} (group ${b.group || 'core'}) is not a Service: not traced`, route, b.span))];
    if (weight === 0) return [blockedService(ctx, target, why, ctx.stop('zero-weight', `weight 0: no request goes to ${name}`, route, b.span))];
    if (b.namespace?.value && route.namespace && b.namespace.value !== route.namespace && !crossNamespaceGranted(ctx.index, route, b.namespace.value, name)) {
      return [blockedService(ctx, target, why, ctx.stop('reference-not-granted',
        `no ReferenceGrant in namespace ${b.namespace.value} allows ${route.kind}s from ${route.namespace} to Service ${name}; the reference is refused (the Gateway answers 500 for this share)`, route, b.namespace.span))];
    }
    if (!port) return [blockedService(ctx, target, why, ctx.stop('service-port-missing', `backendRef to Service ${name} has no port (required for Services)`, route, b.span))];
    return traceService(ctx, target, why);
  });
  return [out];
}

function attaches(p: ParentRef, route: Route, gw: Gateway, l: GatewayListener): boolean {
  if (p.kind !== 'Gateway' || p.group !== GATEWAY_GROUP || p.name?.value !== gw.name) return false;
  if (!namespacesCompatible(p.namespace?.value ?? route.namespace, gw.namespace)) return false;
  if (p.sectionName !== undefined && p.sectionName !== l.name) return false;
  return p.port === undefined || p.port === l.port;
}

/** allowedRoutes.namespaces.from: Same (the default) needs the route in the Gateway's namespace. */
function allowed(route: Route, gw: Gateway, l: GatewayListener): boolean {
  return l.allowedRoutesFrom !== 'Same' || namespacesCompatible(route.namespace, gw.namespace);
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
