import { backendKind, groupText } from '../facts/backends';
import { filterText, percentText } from '../facts/filters';
import { crossNamespaceGranted } from '../facts/grants';
import { meshRoutesOf } from '../facts/mesh';
import {
  isServiceBackendRef, type BackendObjectRef, type Route, type RouteFilter, type RouteMatch,
} from '../model/resources';
import type { Span } from '../types';
import { percent, step, type TraceContext } from './context';
import { modifiedPath, redirectLocation } from './redirect';
import { compareRank, describeMatch, matchRank, routeMatchFails } from './routeMatch';
import { blockedService, traceService, type ServiceTarget } from './serviceTrace';
import type { TraceHop, TraceStep, TraceStop } from './types';

/**
 * A chosen route rule, hop by hop: its filters (a RequestRedirect answers, URLRewrite and header
 * modifiers are shown, RequestMirror copies to a second branch, ExtensionRef is named and not
 * traced), then its backendRefs by weight, each with its own filters. Shared by Gateways and
 * mesh routes (GAMMA).
 */

export interface RuleChoice {
  readonly route: Route;
  /** Index into route.rules (HTTPRoute, GRPCRoute) and the backendRefs' ruleIndex. */
  readonly ruleIndex: number;
  /** The match that chose the rule (ReplacePrefixMatch replaces its PathPrefix); undefined for TCP, TLS and UDP routes. */
  readonly match: RouteMatch | undefined;
  /** A mesh route: no ReferenceGrant is needed for backends in other namespaces (GEP-1294). */
  readonly mesh?: 'producer' | 'consumer';
}

export interface Candidate {
  readonly route: Route;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: RouteMatch;
  readonly rank: number[];
  readonly hostText: string;
}

const key = (r: Route) => `${r.namespace ?? ''}/${r.name ?? ''}`;
/** `ns/name`, or `name` when the namespace is unset: a route as messages name it. */
export const routeName = (r: Route): string => (r.namespace ? `${r.namespace}/${r.name ?? ''}` : r.name ?? '');

/**
 * Every match of the routes' rules that takes the request, best first (the spec's precedence, then
 * the oldest route, which manifests do not tell: namespace/name order, the spec's next tie-break).
 * `hostRank` ranks a route's hostnames for the request (undefined: they do not match).
 */
export function rankCandidates(ctx: TraceContext, routes: readonly Route[], hostRank: (r: Route) => { rank: number[]; text: string } | undefined): { candidates: Candidate[]; misses: string[] } {
  const candidates: Candidate[] = [];
  const misses: string[] = [];
  for (const route of routes) {
    const hn = hostRank(route);
    if (!hn) { misses.push(`${route.name}: hostnames ${route.hostnames.join(', ')} do not match ${ctx.request.host}`); continue; }
    route.rules.forEach((rule, ruleIndex) => rule.matches.forEach((match, matchIndex) => {
      const fail = routeMatchFails(match, ctx.request);
      if (fail) misses.push(`${route.name} rule ${ruleIndex}: ${fail}`);
      else candidates.push({ route, ruleIndex, matchIndex, match, rank: [...hn.rank, ...matchRank(match)], hostText: hn.text });
    }));
  }
  candidates.sort((a, b) => compareRank(a.rank, b.rank) || (key(a.route) < key(b.route) ? -1 : key(a.route) > key(b.route) ? 1 : 0)
    || a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex);
  const win = candidates[0];
  const tie = win && candidates.find((c) => c.route !== win.route && compareRank(c.rank, win.rank) === 0);
  if (win && tie) ctx.note(`Routes ${routeName(win.route)} and ${routeName(tie.route)} match equally; the oldest route wins. Creation times are not in manifests, so the alphabetical namespace/name order (the spec's next tie-break) is used.`);
  return { candidates, misses };
}

/** The decision text of a winning candidate, with the matches it beat. */
export function candidateText(win: Candidate, all: readonly Candidate[]): string {
  const rule = win.route.rules[win.ruleIndex]!;
  const beaten = all.filter((c) => c !== win).slice(0, 3).map((c) => `${describeMatch(c.match, c.route.rules[c.ruleIndex]!.matchesDefaulted)} (${c.route.name} rule ${c.ruleIndex})`);
  return `${win.hostText ? `${win.hostText}; ` : ''}rule ${win.ruleIndex} match ${win.matchIndex}: ${describeMatch(win.match, rule.matchesDefaulted)}${beaten.length ? `, takes precedence over ${beaten.join(', ')}` : ''}`;
}

/** The span a candidate's hop points at: its match, or the rule when it has none written. */
export const candidateSpan = (c: Candidate): Span => (c.route.rules[c.ruleIndex]!.matchesDefaulted ? c.route.rules[c.ruleIndex]!.span : c.match.span);

interface Applied {
  readonly extra: Partial<TraceHop>;
  readonly stop?: TraceStop;
  readonly mirrors: RouteFilter[];
}

/** What a list of filters does to the request at a hop. */
function applyFilters(ctx: TraceContext, route: Route, filters: readonly RouteFilter[], match: RouteMatch | undefined, where: string): Applied {
  if (filters.length === 0) return { extra: {}, mirrors: [] };
  const extra: { -readonly [K in keyof TraceHop]?: TraceHop[K] } = { filters: filters.map(filterText) };
  const mirrors: RouteFilter[] = [];
  let stop: TraceStop | undefined;
  for (const f of filters) {
    if (f.redirect && !stop) {
      const loc = redirectLocation(ctx.request, f.redirect, match);
      stop = 'error' in loc
        ? ctx.stop('filter-invalid', `the RequestRedirect filter of ${where} cannot apply: ${loc.error}`, route, f.span)
        : ctx.stop('redirect', `the RequestRedirect filter of ${where} answers ${f.redirect.statusCode} with Location ${loc.location}`, route, f.span,
          { status: 'redirect', location: loc.location, code: f.redirect.statusCode });
    } else if (f.rewrite) {
      const path = modifiedPath(ctx.request.path, f.rewrite.path, match);
      if ('error' in path) stop ??= ctx.stop('filter-invalid', `the URLRewrite filter of ${where} cannot apply: ${path.error}`, route, f.span);
      else extra.rewrite = { host: f.rewrite.hostname ?? ctx.request.host, path: path.path };
    } else if (f.headers) {
      const changes = { set: f.headers.set, add: f.headers.add, remove: f.headers.remove };
      if (f.type === 'RequestHeaderModifier') extra.requestHeaders = changes;
      else extra.responseHeaders = changes;
    } else if (f.mirror) {
      mirrors.push(f);
    } else if (f.extensionRef) {
      const e = f.extensionRef;
      const known = e.name ? ctx.index.named(e.kind, e.name, route.namespace).length > 0 : false;
      ctx.note(`${where}: the ExtensionRef filter ${e.kind} ${e.name ?? '?'} (${groupText(e.group)}) is implementation-specific and not traced; it may change or refuse the request${known ? '' : '. It is not in the workspace: if the implementation cannot resolve it, the requests it would process get an error (the spec forbids skipping it)'}.`);
    } else {
      ctx.note(`${where}: the ${f.type} filter is not modelled by trace.`);
    }
  }
  return { extra, ...(stop ? { stop } : {}), mirrors };
}

/** The Route hop of a chosen rule and everything after it. */
export function ruleStep(ctx: TraceContext, c: RuleChoice, decision: string, at: Span | undefined): TraceStep {
  const { route, ruleIndex } = c;
  const rule = route.rules[ruleIndex];
  const where = `rule ${ruleIndex} of ${route.kind} ${route.name}`;
  const applied = applyFilters(ctx, route, rule?.filters ?? [], c.match, where);
  const hop = ctx.hop('Route', route, decision, at, { ...applied.extra, ...(c.mesh ? { mesh: c.mesh } : {}) });
  if (applied.stop) return step(hop, [], applied.stop);
  const [backends, stop, mirrors] = backendSteps(ctx, c);
  return step(hop, [...backends, ...[...applied.mirrors, ...mirrors].flatMap((f) => mirrorSteps(ctx, c, f))], stop);
}

function backendSteps(ctx: TraceContext, c: RuleChoice): [TraceStep[], TraceStop | undefined, RouteFilter[]] {
  const { route, ruleIndex } = c;
  const refs = route.backendRefs.filter((b) => b.ruleIndex === ruleIndex);
  const l7 = route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute';
  if (ruleIndex === 0 && !l7 && route.backendRefs.some((b) => b.ruleIndex > 0)) ctx.note(`${route.kind} ${route.name} has several rules; trace follows the first (Gateway API v1 allows one).`);
  if (refs.length === 0) {
    return [[], ctx.stop('no-backends', `rule ${ruleIndex} of ${route.kind} ${route.name} has no backendRefs; ${l7 ? 'the Gateway answers 500' : 'the connection is refused'}`, route, route.rules[ruleIndex]?.span ?? route.nameRef?.span), []];
  }
  const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
  const mirrors: RouteFilter[] = [];
  const out = refs.flatMap((b): TraceStep[] => {
    const weight = b.weight ?? 1;
    const weightPercent = weight === 0 ? 0 : refs.length > 1 ? percent(weight, total) : undefined;
    const share = weight === 0 ? 'weight 0: receives no traffic' : weightPercent !== undefined ? `weight ${weight} of ${total} = ${weightPercent}%` : 'the only backendRef';
    const where = `backendRef ${b.name?.value ?? '?'} of ${route.kind} ${route.name}`;
    const applied = applyFilters(ctx, route, b.filters, c.match, where);
    mirrors.push(...applied.mirrors);
    const extra = { ...applied.extra, ...(weightPercent !== undefined ? { weightPercent } : {}) };
    return backendStep(ctx, c, b, `backendRef ${refText(route, b)}, ${share}`, extra, applied.stop);
  });
  // Every weight 0: no request is forwarded (the branches still show where they would go).
  const none = refs.every((b) => b.weight === 0)
    ? ctx.stop('all-weights-zero', `every backendRef of rule ${ruleIndex} of ${route.kind} ${route.name} has weight 0, so no request is forwarded; ${l7 ? 'the Gateway answers 500 (some implementations 503)' : 'the connection is refused'}`, route, route.rules[ruleIndex]?.span ?? route.nameRef?.span)
    : undefined;
  return [out, none, mirrors];
}

function refText(route: Route, b: BackendObjectRef): string {
  const ns = b.namespace?.value;
  const port = typeof b.port?.value === 'number' ? b.port.value : '?';
  return `${ns && ns !== route.namespace ? `${ns}/` : ''}${b.name?.value ?? ''}:${port}`;
}

/** One backend (or mirror target): the Service it names, or why it goes nowhere. */
function backendStep(ctx: TraceContext, c: RuleChoice, b: BackendObjectRef, why: string, extra: Partial<TraceHop>, filterStop?: TraceStop): TraceStep[] {
  const { route } = c;
  const name = b.name?.value ?? '';
  const ns = b.namespace?.value ?? route.namespace;
  const port = typeof b.port?.value === 'number' ? { number: b.port.value } : undefined;
  const target: ServiceTarget = { name, namespace: ns, port, viaProxy: true, ref: { resource: route, span: b.name?.span ?? b.span }, extra };
  const l7 = route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute';
  if (!isServiceBackendRef(b)) {
    const kind = backendKind(ctx.index, b, ns);
    const hop: TraceHop = { ...ctx.hop('Route', route, why, b.span, extra), type: 'External', kind: b.kind, id: ns ? `${b.kind}/${ns}/${name}` : `${b.kind}/${name}`, name };
    const stop = kind.kind === 'unknown'
      ? ctx.stop('backend-kind-unknown', `backendRef kind ${b.kind} (group ${groupText(b.group)}) is neither a Service nor a backend kind Kube Traffic knows: the implementation sets ResolvedRefs False (InvalidKind) and ${l7 ? 'answers 500' : 'refuses the connection'} for this share`, route, b.span)
      : ctx.stop('backend-not-traced', `${kind.kind === 'other' ? kind.why : ''}: not traced`, route, b.span);
    return [step(hop, [], stop)];
  }
  if (filterStop) return [blockedService(ctx, target, why, filterStop)];
  if (!c.mesh && b.namespace?.value && route.namespace && b.namespace.value !== route.namespace && !crossNamespaceGranted(ctx.index, route, b.namespace.value, name)) {
    return [blockedService(ctx, target, why, ctx.stop('reference-not-granted',
      `no ReferenceGrant in namespace ${b.namespace.value} allows ${route.kind}s from ${route.namespace} to Service ${name}; the reference is refused (${l7 ? 'the Gateway answers 500 for this share' : 'connections are refused'})`, route, b.namespace.span))];
  }
  if (!port) return [blockedService(ctx, target, why, ctx.stop('service-port-missing', `backendRef to Service ${name} has no port (required for Services)`, route, b.span))];
  if (!c.mesh) {
    const svc = ctx.resolver.servicesNamed(name, ns, route.uri)[0];
    if (svc && meshRoutesOf(ctx.index, svc).length > 0) {
      ctx.note(`Service ${svc.name} has mesh routes (GAMMA). Trace assumes the Gateway sends to the Service's endpoints (its backend), so they do not apply to this hop: GEP-1294 applies only the first level of routes. The spec leaves it to the implementation; one that sends Gateway traffic through the mesh's routing may differ.`);
    }
  }
  return traceService(ctx, target, why);
}

function mirrorSteps(ctx: TraceContext, c: RuleChoice, f: RouteFilter): TraceStep[] {
  const m = f.mirror!;
  const why = `RequestMirror: a copy of ${percentText(m.percent)} of the requests goes to ${refText(c.route, m.ref)}; its answers are ignored`;
  return backendStep(ctx, c, m.ref, why, { mirror: { percent: Math.round(m.percent * 10) / 10 } });
}
