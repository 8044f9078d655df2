import type { IndexReads } from '../index/workspaceIndex';
import { describe, type Gateway, type GatewayListener, type ParentRef, type Route, type Service } from '../model/resources';
import { namespacesCompatible } from '../model/resources';
import type { Resolver } from '../resolve/resolver';
import type { Span } from '../types';
import { GATEWAY_GROUP } from './grants';
import { hostnameIntersection } from './match';
import { namespaceMatches, selectorText, type Tri } from './namespaces';

/**
 * Route attachment (Gateway API): which listeners of a Gateway a parentRef names (sectionName,
 * port), and whether each takes the route: allowedRoutes.kinds (or the kinds of its protocol),
 * allowedRoutes.namespaces (Same, All, Selector) and hostname intersection. Shared by the checks,
 * trace, the graph and hovers, so that they all say the same.
 */

export type AttachCode =
  | 'route-section-name-missing' | 'route-parent-port-missing'
  | 'route-kind-not-allowed' | 'route-namespace-not-allowed' | 'route-hostname-mismatch';

export interface ListenerVerdict {
  readonly listener: GatewayListener;
  /** Set when the listener refuses the route. */
  readonly refusal?: { readonly code: AttachCode; readonly why: string };
  /** `unknown` when an allowedRoutes selector cannot be decided from the workspace (why in `namespaceWhy`). */
  readonly namespace: Tri;
  readonly namespaceWhy?: string;
}

export interface AttachProblem {
  readonly code: AttachCode;
  readonly message: string;
  /** Where it is reported: the sectionName or port value, else the parentRef's name. */
  readonly span: Span;
  readonly related: readonly { readonly listener: GatewayListener; readonly why: string }[];
}

export interface GatewayAttachment {
  readonly gateway: Gateway;
  readonly parent: ParentRef;
  /** The listeners the parentRef names, with their verdicts. */
  readonly listeners: readonly ListenerVerdict[];
  /** Set when no listener takes the route through this parentRef. */
  readonly problem?: AttachProblem;
}

export const L7_ROUTES = ['HTTPRoute', 'GRPCRoute'];

/** The route kinds a listener takes when `allowedRoutes.kinds` is empty; undefined for a protocol the spec does not define. */
export function defaultRouteKinds(l: GatewayListener): readonly string[] | undefined {
  switch (l.protocol?.toUpperCase()) {
    case 'HTTP': case 'HTTPS': return L7_ROUTES;
    // TLSRoute (Passthrough, core; Terminate, extended); a TCPRoute takes a terminated TLS stream.
    case 'TLS': return (l.tlsMode ?? 'Terminate') === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'];
    case 'TCP': return ['TCPRoute'];
    case 'UDP': return ['UDPRoute'];
    default: return undefined;
  }
}

/** Route kinds whose `hostnames` take part in attachment, on listeners whose protocol has host names. */
const HOSTNAME_ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);
const HOSTNAME_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TLS']);

export const listenerText = (l: GatewayListener): string =>
  `listener \`${l.name ?? '?'}\` (${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? `, ${l.hostname}` : ''})`;

/** The hostnames a route serves on a listener (their intersections); undefined when hostnames do not apply. */
export function intersectedHostnames(route: Route, l: GatewayListener): string[] | undefined {
  if (!HOSTNAME_ROUTES.has(route.kind) || !HOSTNAME_PROTOCOLS.has(l.protocol?.toUpperCase() ?? '')) return undefined;
  const names = route.hostnames.length ? route.hostnames : [undefined];
  return [...new Set(names.flatMap((h) => hostnameIntersection(l.hostname, h) ?? []))];
}

/** Does one listener take the route? Kind, then namespace, then hostnames. */
export function listenerVerdict(index: IndexReads, route: Route, gw: Gateway, l: GatewayListener): ListenerVerdict {
  const defaults = defaultRouteKinds(l);
  const explicit = l.allowedKinds;
  const inList = !explicit || explicit.some((k) => k.kind === route.kind && k.group === GATEWAY_GROUP);
  if (!inList || (defaults && !defaults.includes(route.kind))) {
    const why = !inList ? `its allowedRoutes.kinds lists ${explicit!.map((k) => k.kind).join(', ')}, not ${route.kind}`
      : `a ${l.protocol} listener takes ${defaults!.join(' and ')}, not ${route.kind}`;
    return { listener: l, refusal: { code: 'route-kind-not-allowed', why }, namespace: 'yes' };
  }
  const whyNs: string[] = [];
  const ns = namespaceAllowed(index, route, gw, l, whyNs);
  if (ns === 'no') return { listener: l, refusal: { code: 'route-namespace-not-allowed', why: whyNs.join('; ') }, namespace: 'no' };
  const unknown = ns === 'unknown' ? { namespaceWhy: whyNs.join('; ') } : {};
  const hosts = intersectedHostnames(route, l);
  if (hosts && hosts.length === 0) {
    const why = `its hostname ${l.hostname} and the route's hostnames ${route.hostnames.join(', ')} do not intersect`;
    return { listener: l, refusal: { code: 'route-hostname-mismatch', why }, namespace: ns, ...unknown };
  }
  return { listener: l, namespace: ns, ...unknown };
}

function namespaceAllowed(index: IndexReads, route: Route, gw: Gateway, l: GatewayListener, why: string[]): Tri {
  switch (l.allowedRoutesFrom) {
    case 'All': return 'yes';
    case 'Same':
      if (namespacesCompatible(route.namespace, gw.namespace)) return 'yes';
      why.push(`it takes routes from its own namespace \`${gw.namespace}\` only (allowedRoutes.namespaces.from: Same${l.namespaceSelector || l.allowedKinds ? '' : ', the default'}), and the route is in \`${route.namespace}\``);
      return 'no';
    case 'Selector': {
      if (!l.namespaceSelector) { why.push('allowedRoutes.namespaces.from is Selector but no selector is given'); return 'no'; }
      const sub: string[] = [];
      const m = namespaceMatches(index, l.namespaceSelector, route.namespace, sub, 'the route\'s');
      if (m === 'no') why.push(`its allowedRoutes selector \`${selectorText(l.namespaceSelector)}\` does not select namespace \`${route.namespace}\``);
      else if (m === 'unknown') why.push(`its allowedRoutes selector \`${selectorText(l.namespaceSelector)}\` may or may not select the route's namespace: ${sub.join('; ')}`);
      return m;
    }
    default:
      why.push(`allowedRoutes.namespaces.from \`${l.allowedRoutesFrom}\` admits no route`);
      return 'no';
  }
}

/** A parentRef to a Gateway: the listeners it names and whether any takes the route. */
export function gatewayAttachment(index: IndexReads, route: Route, p: ParentRef, gw: Gateway): GatewayAttachment {
  const gwName = describe(gw);
  const byName = p.sectionName !== undefined ? gw.listeners.filter((l) => l.name === p.sectionName) : gw.listeners;
  if (byName.length === 0) {
    return { gateway: gw, parent: p, listeners: [], problem: {
      code: 'route-section-name-missing', span: p.sectionNameSpan ?? p.name?.span ?? p.span,
      message: `${describe(route)} names listener \`${p.sectionName}\` of ${gwName}, which has no such listener (it has ${gw.listeners.map((l) => `\`${l.name ?? '?'}\``).join(', ') || 'none'}); the route does not attach there (Accepted: False, NoMatchingParent).`,
      related: gw.listeners.map((l) => ({ listener: l, why: listenerText(l) })),
    } };
  }
  const selected = p.port !== undefined ? byName.filter((l) => l.port === p.port) : byName;
  if (selected.length === 0) {
    const message = p.sectionName !== undefined
      ? `${describe(route)} names listener \`${p.sectionName}\` of ${gwName} on port ${p.port}, but that listener listens on ${byName[0]!.port ?? '?'}; the route does not attach there (Accepted: False, NoMatchingParent).`
      : `${describe(route)} attaches to port ${p.port} of ${gwName}, which has no listener on that port (ports: ${[...new Set(gw.listeners.map((l) => l.port ?? '?'))].join(', ')}); the route does not attach there (Accepted: False, NoMatchingParent).`;
    return { gateway: gw, parent: p, listeners: [], problem: {
      code: 'route-parent-port-missing', span: p.portSpan ?? p.name?.span ?? p.span, message,
      related: byName.map((l) => ({ listener: l, why: listenerText(l) })),
    } };
  }
  const listeners = selected.map((l) => listenerVerdict(index, route, gw, l));
  if (listeners.some((v) => !v.refusal)) return { gateway: gw, parent: p, listeners };
  // Every listener refuses: report the first reason of the cascade that all of them give.
  const kindOk = listeners.filter((v) => v.refusal!.code !== 'route-kind-not-allowed');
  const nsOk = kindOk.filter((v) => v.refusal!.code !== 'route-namespace-not-allowed');
  const code: AttachCode = kindOk.length === 0 ? 'route-kind-not-allowed' : nsOk.length === 0 ? 'route-namespace-not-allowed' : 'route-hostname-mismatch';
  const reason = code === 'route-hostname-mismatch' ? 'NoMatchingListenerHostname' : 'NotAllowedByListeners';
  const whys = listeners.map((v) => `${listenerText(v.listener)}: ${v.refusal!.why}`);
  return { gateway: gw, parent: p, listeners, problem: {
    code, span: p.name?.span ?? p.span,
    message: `${describe(route)} cannot attach to ${gwName}: ${whys.join('; ')} (Accepted: False, ${reason}).`,
    related: listeners.map((v) => ({ listener: v.listener, why: `${listenerText(v.listener)}: ${v.refusal!.why}` })),
  } };
}

/**
 * A parentRef to a Gateway, resolved as references are (rules.md): of the Gateways of that name in
 * scope, one that takes the route satisfies it; else the nearest, with its problem. Undefined when
 * no such Gateway is in the workspace.
 */
export function parentAttachment(index: IndexReads, resolver: Resolver, route: Route, p: ParentRef): GatewayAttachment | undefined {
  if (p.kind !== 'Gateway' || p.group !== GATEWAY_GROUP || !p.name?.value) return undefined;
  const all = resolver.gatewaysNamed(p.name.value, p.namespace?.value ?? route.namespace, route.uri).map((gw) => gatewayAttachment(index, route, p, gw));
  return all.find((a) => !a.problem) ?? all[0];
}

/** The Gateways a route's parentRefs name (in the workspace), with their attachment. */
export function routeGatewayAttachments(index: IndexReads, resolver: Resolver, route: Route): GatewayAttachment[] {
  return route.parentRefs.flatMap((p) => parentAttachment(index, resolver, route, p) ?? []);
}

/**
 * How a route stands with one listener of a Gateway: `attached` (possibly with the namespace
 * `unknown`), `refused` (a parentRef names the listener, which refuses the route), or undefined
 * when no parentRef names that listener.
 */
export function routeOnListener(index: IndexReads, route: Route, gw: Gateway, l: GatewayListener): ListenerVerdict | undefined {
  let refused: ListenerVerdict | undefined;
  for (const p of route.parentRefs) {
    if (p.kind !== 'Gateway' || p.group !== GATEWAY_GROUP || p.name?.value !== gw.name) continue;
    if (!namespacesCompatible(p.namespace?.value ?? route.namespace, gw.namespace)) continue;
    if ((p.sectionName !== undefined && p.sectionName !== l.name) || (p.port !== undefined && p.port !== l.port)) continue;
    const v = listenerVerdict(index, route, gw, l);
    if (!v.refusal) return v;
    refused ??= v;
  }
  return refused;
}

/** GAMMA: is a parentRef to a Service a producer route (same namespace) or a consumer route? */
export function meshRole(route: Route, svc: Service): 'producer' | 'consumer' {
  return namespacesCompatible(route.namespace, svc.namespace) ? 'producer' : 'consumer';
}
