import type { FeatureContext } from '../facts/context';
import { isServiceBackendRef, type Resource } from '../model/resources';
import { NEVER_CANCELLED, type CancellationToken, type Range } from '../types';
import type { Location } from './navigation';
import { ingressBackendsTo, podCount, reachingWorkload, routeBackendsTo } from '../facts/relations';

export interface TrafficLens {
  readonly range: Range;
  readonly title: string;
  /** Where a click leads (shown as a references peek). */
  readonly locations: readonly Location[];
  /** Set for the lens that opens the topology view instead of a peek. */
  readonly action?: 'topology';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function nameLoc(a: FeatureContext, r: Resource): Location[] {
  const f = a.index.file(r.uri);
  return f ? [{ uri: r.uri, range: f.parsed.lines.headRange(r.nameRef?.span ?? r.kindSpan) }] : [];
}

/** Code lenses above Services, workloads and Ingresses: what they select, what reaches them. */
export function codeLenses(a: FeatureContext, uri: string, token: CancellationToken = NEVER_CANCELLED): TrafficLens[] {
  const file = a.index.file(uri);
  if (!file) return [];
  const out: TrafficLens[] = [];
  for (const r of a.index.activeResources(uri)) {
    if (token.isCancellationRequested) return [];
    // Above the first line of the object (its `apiVersion`, usually), not in the middle of it.
    const range = file.parsed.lines.headRange({ start: r.span.start, end: r.span.start });
    if (r.type === 'service') {
      if (r.serviceType === 'ExternalName') {
        out.push({ range, title: `CNAME → ${String(r.externalName?.value ?? '?')}`, locations: [] });
      } else if (!r.selector) {
        const eps = [...a.index.endpointsFor(r.name ?? '\u0000')];
        out.push({ range, title: eps.length ? `no selector · ${plural(eps.length, 'endpoint object')}` : 'no selector · no endpoints', locations: eps.flatMap((e) => nameLoc(a, e)) });
      } else {
        const ws = a.resolver.selectedWorkloads(r);
        const pods = podCount(ws);
        out.push({
          range,
          title: ws.length === 0 ? 'selects nothing' : `selects ${plural(ws.length, 'workload')}${pods !== undefined ? ` · ${plural(pods, 'pod')}` : ''}`,
          locations: ws.flatMap((w) => nameLoc(a, w)),
        });
      }
      out.push({ range, title: 'topology', locations: [], action: 'topology' });
      const ing = ingressBackendsTo(a, r);
      const routes = routeBackendsTo(a, r);
      if (ing.length || routes.length) {
        const parts = [ing.length ? plural(new Set(ing.map((i) => i.ingress)).size, 'Ingress', 'Ingresses') : '', routes.length ? plural(new Set(routes.map((x) => x.route)).size, 'route') : ''].filter(Boolean);
        out.push({ range, title: `reached by ${parts.join(', ')}`, locations: [...ing.map((i) => i.ingress), ...routes.map((x) => x.route)].flatMap((x) => nameLoc(a, x)) });
      }
    } else if (r.type === 'workload') {
      const { services, ingresses, routes } = reachingWorkload(a, r);
      const parts = [
        services.length ? plural(services.length, 'Service') : '',
        ingresses.length ? plural(ingresses.length, 'Ingress', 'Ingresses') : '',
        routes.length ? plural(routes.length, 'route') : '',
      ].filter(Boolean);
      out.push({ range, title: parts.length ? `reached by ${parts.join(', ')}` : 'no Service selects it', locations: [...services, ...ingresses, ...routes].flatMap((x) => nameLoc(a, x)) });
    } else if (r.type === 'ingress' || r.type === 'route') {
      if (r.type === 'ingress') out.push({ range, title: 'topology', locations: [], action: 'topology' });
      const names = r.type === 'ingress'
        ? r.backends.map((b) => ({ name: b.serviceName?.value, ns: r.namespace }))
        : r.backendRefs.filter(isServiceBackendRef).map((b) => ({ name: b.name?.value, ns: b.namespace?.value ?? r.namespace }));
      const found = new Map<string, Resource>();
      let missing = 0;
      for (const n of names) {
        if (!n.name) continue;
        const s = a.resolver.servicesNamed(n.name, n.ns, r.uri)[0];
        if (s) found.set(`${s.namespace ?? ''}/${s.name}`, s);
        else missing++;
      }
      out.push({ range, title: `routes to ${plural(found.size, 'Service')}${missing ? ` · ${missing} missing` : ''}`, locations: [...found.values()].flatMap((s) => nameLoc(a, s)) });
    }
  }
  return out;
}
