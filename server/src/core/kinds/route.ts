import { meshRole, parentAttachment } from '../facts/attachment';
import { backendKind, groupText } from '../facts/backends';
import { crossNamespaceGranted, GATEWAY_GROUP } from '../facts/grants';
import type { GraphBuilder } from '../graph/builder';
import {
  ROUTE_KINDS, isRouteKind, isServiceBackendRef, isServiceParentRef, mirrorRefs, type BackendObjectRef, type Route,
} from '../model/resources';
import { hoverOnly, inside, type KindHome } from './kind';
import { backendRefAt, filterHover, parentRefAt, routeHover, routeMatchHover } from './routeHover';
import { routeOf } from './routeModel';

/** Gateway API routes: HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute (extraction in routeModel.ts, hovers in routeHover.ts). */

export const routeHome: KindHome<Route> = {
  type: 'route',
  modelledKinds: [...ROUTE_KINDS],

  extract(base, root, doc) {
    const kind = base.kind;
    return isRouteKind(kind) && base.apiVersion.startsWith(`${GATEWAY_GROUP}/`) ? routeOf({ ...base, kind }, root, doc) : undefined;
  },

  index(r, t, add) {
    t.routes.put(add, r);
    for (const ref of r.backendRefs) {
      if (isServiceBackendRef(ref) && ref.name?.value) t.routeBackends.put(add, ref.namespace?.value ?? r.namespace, ref.name.value, r);
    }
    const parents = new Set<string>();
    for (const p of r.parentRefs) {
      if (!isServiceParentRef(p) || !p.name?.value) continue;
      const key = `${p.namespace?.value ?? r.namespace ?? ''}\u0000${p.name.value}`;
      if (parents.has(key)) continue; // one entry per Service, however many parentRefs name it
      parents.add(key);
      t.routeParentServices.put(add, p.namespace?.value ?? r.namespace, p.name.value, r);
    }
  },

  locate(r, offset) {
    for (const b of r.backendRefs) {
      if (inside(b.name?.span, offset)) return backendRefAt(r, b, 'name', b.name!.span);
      if (inside(b.port?.span, offset)) return backendRefAt(r, b, 'port', b.port!.span);
    }
    for (const f of mirrorRefs(r)) {
      if (inside(f.name?.span, offset)) return backendRefAt(r, f, 'name', f.name!.span, 'RequestMirror backendRef');
      if (inside(f.port?.span, offset)) return backendRefAt(r, f, 'port', f.port!.span, 'RequestMirror backendRef');
    }
    for (const p of r.parentRefs) if (inside(p.name?.span, offset)) return parentRefAt(r, p, p.name!.span);
    for (const span of [r.nameRef?.span, r.kindSpan]) if (inside(span, offset)) return hoverOnly(span, (a) => routeHover(a, r));
    for (const f of [...r.rules.flatMap((rule) => rule.filters), ...r.backendRefs.flatMap((b) => b.filters)]) {
      if (inside(f.span, offset)) return hoverOnly(f.span, () => filterHover(r, f));
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

  node: (r) => ({ kind: r.kind, details: { hostnames: r.hostnames } }),

  graph(route, g) {
    const id = g.resource(route);
    parentEdges(route, g, id);
    backendEdges(route, g, id);
    for (const ref of mirrorRefs(route)) {
      const m = [...route.rules.flatMap((x) => x.filters), ...route.backendRefs.flatMap((b) => b.filters)].find((f) => f.mirror?.ref === ref)!.mirror!;
      serviceEdge(route, g, id, ref, 'mirrors', `mirror ${round(m.percent)}% → ${typeof ref.port?.value === 'number' ? ref.port.value : '?'}`);
    }
  },
};

const round = (n: number) => Math.round(n * 10) / 10;

/** `attaches` edges: to Gateways (broken when no listener takes the route) and, for mesh routes, to Services. */
function parentEdges(route: Route, g: GraphBuilder, id: string): void {
  const { index, resolver } = g.ctx;
  for (const p of route.parentRefs) {
    if (!p.name?.value) continue;
    const ns = p.namespace?.value ?? route.namespace;
    if (p.kind === 'Gateway' && p.group === GATEWAY_GROUP) {
      const att = parentAttachment(index, resolver, route, p);
      const label = p.sectionName ?? (p.port !== undefined ? `port ${p.port}` : '');
      if (!att) {
        g.edge({ from: id, to: g.missing('Gateway', ns, p.name.value), kind: 'attaches', label, broken: true, message: `Gateway ${p.name.value} is not in the workspace.` });
        continue;
      }
      const problem = att.problem;
      g.edge({ from: id, to: g.resource(att.gateway), kind: 'attaches', label, broken: !!problem, ...(problem ? { message: problem.message.replace(/`/g, '') } : {}) });
    } else if (isServiceParentRef(p)) {
      const svc = resolver.servicesNamed(p.name.value, ns, route.uri)[0];
      const where = p.port !== undefined ? ` port ${p.port}` : p.sectionName !== undefined ? ` port ${p.sectionName}` : '';
      if (!svc) {
        g.edge({ from: id, to: g.missing('Service', ns, p.name.value), kind: 'attaches', label: `mesh${where}`, broken: true, message: `Service ${p.name.value} is not in the workspace: the mesh route attaches to nothing.` });
        continue;
      }
      const role = meshRole(route, svc);
      const portOk = (p.port === undefined || svc.ports.some((sp) => sp.port?.value === p.port)) && (p.sectionName === undefined || svc.ports.some((sp) => sp.name?.value === p.sectionName));
      g.edge({
        from: id, to: g.resource(svc), kind: 'attaches', label: `mesh${where} (${role === 'producer' ? 'producer' : `consumer: clients in ${route.namespace}`})`,
        broken: !portOk, ...(portOk ? {} : { message: `Service ${svc.name} has no port ${p.port ?? p.sectionName}.` }),
      });
    }
  }
}

/** `routes` edges to backends, weighted shares in the label; a backend of an unknown kind is a broken edge (500). */
function backendEdges(route: Route, g: GraphBuilder, id: string): void {
  const ruleTotal = new Map<number, number>();
  const ruleWeighted = new Set<number>();
  for (const b of route.backendRefs) {
    ruleTotal.set(b.ruleIndex, (ruleTotal.get(b.ruleIndex) ?? 0) + (b.weight ?? 1));
    if (b.weight !== undefined) ruleWeighted.add(b.ruleIndex);
  }
  for (const b of route.backendRefs) {
    if (!b.name?.value) continue;
    const total = ruleTotal.get(b.ruleIndex) ?? 0;
    const weighted = ruleWeighted.has(b.ruleIndex) && route.backendRefs.filter((x) => x.ruleIndex === b.ruleIndex).length > 1;
    const port = typeof b.port?.value === 'number' ? b.port.value : undefined;
    const host = (route.hostnames[0] ?? '*') + (b.matchPath ?? '');
    const pct = weighted && total > 0 ? ` (${Math.round(((b.weight ?? 1) / total) * 100)}%)` : '';
    const label = `${host} → ${port ?? '?'}${pct}${b.weight === 0 ? ', no traffic' : ''}`;
    const extra = b.weight !== undefined ? { weight: b.weight } : {};
    const ns = b.namespace?.value ?? route.namespace;
    const kind = backendKind(g.ctx.index, b, ns);
    if (kind.kind === 'unknown') {
      g.edge({ from: id, to: g.missing(b.kind, ns, b.name.value), kind: 'routes', label, broken: true, ...extra,
        message: `backendRef kind ${b.kind} (group ${groupText(b.group)}) is not a Service nor a known backend: the Gateway answers 500 for its share.` });
      continue;
    }
    if (kind.kind === 'other') {
      const target = g.ctx.index.named(b.kind, b.name.value, ns)[0];
      if (target) g.edge({ from: id, to: g.resource(target), kind: 'routes', label, broken: false, ...extra });
      continue;
    }
    serviceEdge(route, g, id, b, 'routes', label, extra);
  }
}

function serviceEdge(route: Route, g: GraphBuilder, id: string, b: BackendObjectRef, kind: 'routes' | 'mirrors', label: string, extra: { weight?: number } = {}): void {
  if (!isServiceBackendRef(b) || !b.name?.value) return;
  const { index, resolver } = g.ctx;
  const ns = b.namespace?.value ?? route.namespace;
  const port = typeof b.port?.value === 'number' ? b.port.value : undefined;
  const svc = resolver.servicesNamed(b.name.value, ns, route.uri)[0];
  if (!svc) {
    g.edge({ from: id, to: g.missing('Service', ns, b.name.value), kind, label, broken: true, message: `Service ${b.name.value} does not exist.`, ...extra });
    return;
  }
  const portOk = port !== undefined && ((svc.serviceType === 'ExternalName' && svc.ports.length === 0) || !!resolver.findServicePort(svc, { number: port }));
  const mesh = route.parentRefs.length > 0 && route.parentRefs.every(isServiceParentRef);
  const refused = !mesh && !!(b.namespace?.value && route.namespace && b.namespace.value !== route.namespace
    && !crossNamespaceGranted(index, route, b.namespace.value, b.name.value));
  const message = refused ? `No ReferenceGrant in ${b.namespace?.value} allows ${route.kind}s from ${route.namespace}.`
    : !portOk ? (port === undefined ? 'The backendRef has no port.' : `Service ${b.name.value} has no port ${port}.`) : undefined;
  g.edge({ from: id, to: g.resource(svc), kind, label, broken: !!message, ...extra, ...(message ? { message } : {}) });
}
