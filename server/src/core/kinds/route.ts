import type { FeatureContext } from '../facts/context';
import { exampleUrlForRouteMatch } from '../facts/exampleUrl';
import { crossNamespaceGranted, GATEWAY_GROUP } from '../facts/grants';
import { backendHover, backendSummary, curl, noPodsNote } from '../facts/hoverText';
import { loc, nameLoc, type Location } from '../facts/location';
import { code, codeName } from '../facts/markdown';
import {
  ROUTE_KINDS, isServiceBackendRef, type BackendRef, type ParentRef, type ResourceBase, type Route, type RouteMatch,
  type RouteRule, type RouteValueMatch,
} from '../model/resources';
import { asMap, getMap, getScalar, getSeq, getString, getText, nodeSpan, scalarRef, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
import type { Span } from '../types';
import { hoverOnly, inside, type KindHome, type Located } from './kind';

/** Gateway API routes: HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute. */

const name = codeName;

export const routeHome: KindHome<Route> = {
  type: 'route',
  modelledKinds: [...ROUTE_KINDS],

  extract(base, root, doc) {
    return ROUTE_KINDS.has(base.kind) && base.apiVersion.startsWith(`${GATEWAY_GROUP}/`) ? routeOf(base, root, doc) : undefined;
  },

  index(r, t, add) {
    t.routes.put(add, r);
    for (const ref of r.backendRefs) {
      if (isServiceBackendRef(ref) && ref.name?.value) t.routeBackends.put(add, ref.namespace?.value ?? r.namespace, ref.name.value, r);
    }
  },

  locate(r, offset) {
    for (const b of r.backendRefs) {
      if (inside(b.name?.span, offset)) return backendRefAt(r, b, 'name', b.name!.span);
      if (inside(b.port?.span, offset)) return backendRefAt(r, b, 'port', b.port!.span);
    }
    for (const p of r.parentRefs) if (inside(p.name?.span, offset)) return parentRefAt(r, p, p.name!.span);
    for (const span of [r.nameRef?.span, r.kindSpan]) {
      if (inside(span, offset)) {
        return hoverOnly(span, (a) => `**${r.kind} ${name(r)}**${r.hostnames.length ? ` for ${r.hostnames.map(code).join(', ')}` : ''}\n\n${r.backendRefs.map((b) => `- ${backendSummary(a, b.namespace?.value ?? r.namespace, r.uri, b.name?.value, b.port?.value)}${b.weight !== undefined ? ` (weight ${b.weight})` : ''}`).join('\n')}`);
      }
    }
    for (let i = 0; i < r.rules.length; i++) {
      const rule = r.rules[i]!;
      if (rule.matchesDefaulted) continue; // no match is written: nothing to point at
      for (let j = 0; j < rule.matches.length; j++) {
        const span = rule.matches[j]!.span;
        if (inside(span, offset)) return hoverOnly(span, (a) => routeMatchHover(a, r, i, j));
      }
    }
    return undefined;
  },

  details: (r) => routeDetails(r),

  graph(route, g) {
    const { index, resolver } = g.ctx;
    const id = g.resource(route);
    for (const p of route.parentRefs) {
      if (p.kind !== 'Gateway' || !p.name?.value) continue;
      const ns = p.namespace?.value ?? route.namespace;
      const gw = resolver.gatewaysNamed(p.name.value, ns, route.uri)[0];
      const label = p.sectionName ?? '';
      g.edge(gw
        ? { from: id, to: g.resource(gw), kind: 'attaches', label, broken: false }
        : { from: id, to: g.missing('Gateway', ns, p.name.value), kind: 'attaches', label, broken: true, message: `Gateway ${p.name.value} is not in the workspace.` });
    }
    // Weights split traffic among the backendRefs of one rule.
    const ruleTotal = new Map<number, number>();
    const ruleWeighted = new Set<number>();
    for (const b of route.backendRefs) {
      ruleTotal.set(b.ruleIndex, (ruleTotal.get(b.ruleIndex) ?? 0) + (b.weight ?? 1));
      if (b.weight !== undefined) ruleWeighted.add(b.ruleIndex);
    }
    for (const b of route.backendRefs) {
      const total = ruleTotal.get(b.ruleIndex) ?? 0;
      const weighted = ruleWeighted.has(b.ruleIndex) && route.backendRefs.filter((x) => x.ruleIndex === b.ruleIndex).length > 1;
      if (!isServiceBackendRef(b) || !b.name?.value) continue;
      const ns = b.namespace?.value ?? route.namespace;
      const port = typeof b.port?.value === 'number' ? b.port.value : undefined;
      const host = (route.hostnames[0] ?? '*') + (b.matchPath ?? '');
      const pct = weighted && total > 0 ? ` (${Math.round(((b.weight ?? 1) / total) * 100)}%)` : '';
      const label = `${host} → ${port ?? '?'}${pct}`;
      const svc = resolver.servicesNamed(b.name.value, ns, route.uri)[0];
      const extra = b.weight !== undefined ? { weight: b.weight } : {};
      if (!svc) {
        g.edge({ from: id, to: g.missing('Service', ns, b.name.value), kind: 'routes', label, broken: true, message: `Service ${b.name.value} does not exist.`, ...extra });
        continue;
      }
      const portOk = port !== undefined && ((svc.serviceType === 'ExternalName' && svc.ports.length === 0) || !!resolver.findServicePort(svc, { number: port }));
      const refused = !!(b.namespace?.value && route.namespace && b.namespace.value !== route.namespace
        && !crossNamespaceGranted(index, route, b.namespace.value, b.name.value));
      const message = refused ? `No ReferenceGrant in ${b.namespace?.value} allows ${route.kind}s from ${route.namespace}.`
        : !portOk ? (port === undefined ? 'The backendRef has no port.' : `Service ${b.name.value} has no port ${port}.`) : undefined;
      g.edge({
        from: id, to: g.resource(svc), kind: 'routes', label, broken: !!message, ...extra,
        ...(message ? { message } : {}),
      });
    }
  },
};

function backendRefAt(route: Route, ref: BackendRef, field: 'name' | 'port', span: Span): Located {
  const ns = ref.namespace?.value ?? route.namespace;
  const definitions = (a: FeatureContext): Location[] => {
    const svcName = ref.name?.value;
    if (!svcName) return [];
    const services = a.resolver.servicesNamed(svcName, ns, route.uri);
    if (field === 'name') return services.flatMap((s) => nameLoc(a, s));
    const port = ref.port?.value;
    return services.flatMap((s) => {
      const p = typeof port === 'number' ? a.resolver.findServicePort(s, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(s, { name: port }) : undefined;
      return p ? loc(a, s.uri, (typeof port === 'string' ? p.name?.span : p.port?.span) ?? p.span) : [];
    });
  };
  return { span, hover: (a) => backendHover(a, `${route.kind} backendRef`, ns, route.uri, ref.name?.value, ref.port?.value), definitions, references: definitions };
}

function parentRefAt(route: Route, ref: ParentRef, span: Span): Located {
  const definitions = (a: FeatureContext): Location[] => {
    if (ref.kind !== 'Gateway' || !ref.name?.value) return [];
    return a.resolver.gatewaysNamed(ref.name.value, ref.namespace?.value ?? route.namespace, route.uri).flatMap((g) => nameLoc(a, g));
  };
  return {
    span,
    hover: (a) => {
      const ns = ref.namespace?.value ?? route.namespace;
      const gw = ref.kind === 'Gateway' ? a.resolver.gatewaysNamed(String(ref.name?.value ?? ''), ns, route.uri)[0] : undefined;
      if (!gw) return `**${ref.kind} ${code(String(ref.name?.value ?? ''))}** is not in the workspace.`;
      return `**Gateway ${name(gw)}**${gw.gatewayClassName ? ` (class ${code(gw.gatewayClassName)})` : ''}\n\n${gw.listeners.map((l) => `- listener ${code(l.name ?? '?')}: ${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` for ${code(l.hostname)}` : ''}`).join('\n')}`;
    },
    definitions, references: definitions,
  };
}

function routeMatchHover(a: FeatureContext, route: Route, rule: number, match: number): string {
  const ex = exampleUrlForRouteMatch(route, rule, match, a.index.gateways());
  const m = route.rules[rule]!.matches[match]!;
  const conditions = [
    m.path ? `path ${m.path.type} ${code(m.path.value)}` : undefined,
    m.method ? `method ${code(m.method)}` : undefined,
    ...m.headers.map((h) => `header ${code(`${h.name}: ${h.value}`)}${h.type === 'RegularExpression' ? ' (regex)' : ''}`),
    ...m.queryParams.map((q) => `query ${code(`${q.name}=${q.value}`)}${q.type === 'RegularExpression' ? ' (regex)' : ''}`),
  ].filter((x): x is string => !!x);
  const lines = [`**${route.kind} ${name(route)}** rule ${rule + 1}, match ${match + 1}: ${conditions.join(', ') || 'every request'}`, ''];
  // The rule's Service backends, and those that would answer with no pod.
  const backends = route.backendRefs.filter((b) => b.ruleIndex === rule && isServiceBackendRef(b));
  const notes: string[] = [];
  for (const b of backends) {
    const ns = b.namespace?.value ?? route.namespace;
    lines.push(`→ ${backendSummary(a, ns, route.uri, b.name?.value, b.port?.value)}${b.weight !== undefined ? ` (weight ${b.weight})` : ''}`);
    const svc = b.name?.value ? a.resolver.servicesNamed(b.name.value, ns, route.uri)[0] : undefined;
    const note = svc && noPodsNote(a, svc, 'the gateway');
    if (note && !notes.includes(note)) notes.push(note);
  }
  if (backends.length) lines.push('');
  for (const n of notes) lines.push(n, '');
  if (ex) {
    lines.push(`A request that reaches it: ${code(curl(ex))}`);
    if (ex.url.includes('GATEWAY_IP')) lines.push('', '`GATEWAY_IP`: no attached Gateway listener gives a host name, so use the Gateway\'s address.');
  } else {
    lines.push('No example request: a regular expression decides it.');
  }
  lines.push('', 'Run **Kube Traffic: Trace Request…** to follow it hop by hop.');
  return lines.join('\n');
}

export function refGroupKind(m: MapNode, doc: DocRef, defGroup: string, defKind: string): { group: string; kind: string } {
  const g = getScalar(m, 'group', doc);
  const k = getString(m, 'kind', doc);
  return { group: g && typeof g.value === 'string' ? g.value : defGroup, kind: k?.value || defKind };
}

function routeOf(base: ResourceBase, root: MapNode, doc: DocRef): Route {
  const spec = getMap(root, 'spec', doc);
  const parentRefs = seqItems(getSeq(spec, 'parentRefs', doc), doc).flatMap((n): ParentRef[] => {
    const m = asMap(n);
    if (!m) return [];
    const port = getScalar(m, 'port', doc);
    return [{
      span: nodeSpan(m)!, ...refGroupKind(m, doc, GATEWAY_GROUP, 'Gateway'),
      name: getString(m, 'name', doc), namespace: getString(m, 'namespace', doc),
      sectionName: getString(m, 'sectionName', doc)?.value,
      port: port && typeof port.value === 'number' ? port.value : undefined,
    }];
  });
  const backendRefs: BackendRef[] = [];
  const rules: RouteRule[] = [];
  const matchesOf = base.kind === 'HTTPRoute' || base.kind === 'GRPCRoute';
  seqItems(getSeq(spec, 'rules', doc), doc).forEach((ruleNode, ruleIndex) => {
    if (matchesOf) rules.push(routeRuleOf(asMap(ruleNode), base.kind === 'GRPCRoute', doc, nodeSpan(ruleNode) ?? base.span));
    const firstMatch = asMap(seqItems(getSeq(asMap(ruleNode), 'matches', doc), doc)[0]);
    const matchPath = getString(getMap(firstMatch, 'path', doc), 'value', doc)?.value;
    for (const n of seqItems(getSeq(asMap(ruleNode), 'backendRefs', doc), doc)) {
      const m = asMap(n);
      if (!m) continue;
      const weight = getScalar(m, 'weight', doc);
      backendRefs.push({
        span: nodeSpan(m)!, ...refGroupKind(m, doc, '', 'Service'),
        name: getString(m, 'name', doc), namespace: getString(m, 'namespace', doc),
        port: getScalar(m, 'port', doc),
        weight: weight && typeof weight.value === 'number' ? weight.value : undefined,
        ruleIndex,
        ...(matchPath ? { matchPath } : {}),
      });
    }
  });
  const hostnames = seqItems(getSeq(spec, 'hostnames', doc), doc)
    .map((h) => scalarRef(h)?.value).filter((h): h is string => typeof h === 'string');
  return { ...base, type: 'route', hostnames, parentRefs, backendRefs, rules };
}

function routeRuleOf(rule: MapNode | undefined, grpc: boolean, doc: DocRef, span: Span): RouteRule {
  const values = (m: MapNode | undefined, key: string): RouteValueMatch[] => seqItems(getSeq(m, key, doc), doc).flatMap((n) => {
    const v = asMap(n);
    const name = getText(v, 'name', doc)?.value;
    const value = getScalar(v, 'value', doc)?.value;
    if (!name || value === undefined || value === null) return [];
    return [{ type: getString(v, 'type', doc)?.value || 'Exact', name, value: String(value) }];
  });
  const matches = seqItems(getSeq(rule, 'matches', doc), doc).flatMap((n): RouteMatch[] => {
    const m = asMap(n);
    if (!m) return [];
    const headers = values(m, 'headers');
    if (grpc) {
      const gm = getMap(m, 'method', doc);
      return [{
        span: nodeSpan(m)!, path: undefined, headers, queryParams: [], method: undefined,
        ...(gm ? { grpc: { type: getString(gm, 'type', doc)?.value || 'Exact', service: getText(gm, 'service', doc)?.value, method: getText(gm, 'method', doc)?.value } } : {}),
      }];
    }
    const path = getMap(m, 'path', doc);
    const value = getScalar(path, 'value', doc)?.value;
    return [{
      span: nodeSpan(m)!,
      path: { type: getString(path, 'type', doc)?.value || 'PathPrefix', value: value === undefined || value === null ? '/' : String(value) },
      headers, queryParams: values(m, 'queryParams'), method: getString(m, 'method', doc)?.value,
    }];
  });
  if (matches.length > 0) return { span, matches, matchesDefaulted: false };
  const all: RouteMatch = { span, path: grpc ? undefined : { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], method: undefined };
  return { span, matches: [all], matchesDefaulted: true };
}

/** The topology's details of a route node. */
function routeDetails(r: Route): Record<string, unknown> {
  return { hostnames: r.hostnames };
}
