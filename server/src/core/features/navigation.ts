import type { Analyzer } from '../analyzer';
import type { LabelEntry, Resource } from '../model/resources';
import { landing } from '../resolve/resolver';
import { NEVER_CANCELLED, type CancellationToken, type Position, type Range, type Span } from '../types';
import { locate, type Target } from './locate';
import { ingressBackendsTo, routeBackendsTo, statefulSetsGovernedBy, targetPortsOn } from './relations';

export interface Location {
  readonly uri: string;
  readonly range: Range;
}

function loc(a: Analyzer, uri: string, span: Span | undefined): Location[] {
  const f = a.index.file(uri);
  return f && span ? [{ uri, range: f.parsed.lines.range(span) }] : [];
}

function labelSpan(l: LabelEntry): Span {
  return { start: l.keySpan.start, end: Math.max(l.valueSpan.end, l.keySpan.end) };
}

function nameLoc(a: Analyzer, r: Resource): Location[] {
  return loc(a, r.uri, r.nameRef?.span ?? r.kindSpan);
}

function targetAt(a: Analyzer, uri: string, pos: Position): Target | undefined {
  const file = a.index.file(uri);
  if (!file) return undefined;
  return locate(file, a.index.activeResources(uri), file.parsed.lines.offsetAt(pos));
}

/** Go to definition: from a reference to what it names (selector → pod labels, backend → Service, …). */
export function definition(a: Analyzer, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): Location[] {
  const t = targetAt(a, uri, pos);
  if (!t || token.isCancellationRequested) return [];
  return definitionsOf(a, t);
}

function definitionsOf(a: Analyzer, t: Target): Location[] {
  switch (t.type) {
    case 'serviceSelectorEntry':
      return a.resolver.selectedWorkloads(t.svc).flatMap((w) => {
        const l = w.podLabels.find((x) => x.key === t.entry.key);
        return l ? loc(a, w.uri, labelSpan(l)) : nameLoc(a, w); // controller-added label: the workload itself
      });
    case 'serviceSelector':
      return a.resolver.selectedWorkloads(t.svc).flatMap((w) => loc(a, w.uri, w.podLabelsSpan ?? w.nameRef?.span ?? w.kindSpan));
    case 'servicePort':
      if (t.field !== 'targetPort' && t.field !== 'port') return [];
      return a.resolver.selectedWorkloads(t.svc).flatMap((w) => {
        const l = landing(w, t.port);
        return l.containerPort ? loc(a, w.uri, l.containerPort.name?.span && typeof t.port.targetPort?.value === 'string' ? l.containerPort.name.span : l.containerPort.containerPort?.span ?? l.containerPort.span) : [];
      });
    case 'ingressBackend':
    case 'routeBackend': {
      const ns = t.type === 'ingressBackend' ? t.ingress.namespace : t.ref.namespace?.value ?? t.route.namespace;
      const from = t.type === 'ingressBackend' ? t.ingress.uri : t.route.uri;
      const name = t.type === 'ingressBackend' ? t.backend.serviceName?.value : t.ref.name?.value;
      if (!name) return [];
      const services = a.resolver.servicesNamed(name, ns, from);
      if (t.field === 'name') return services.flatMap((s) => nameLoc(a, s));
      const port = t.type === 'ingressBackend'
        ? (t.backend.port?.number?.value ?? t.backend.port?.name?.value)
        : t.ref.port?.value;
      return services.flatMap((s) => {
        const p = typeof port === 'number' ? a.resolver.findServicePort(s, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(s, { name: port }) : undefined;
        return p ? loc(a, s.uri, (typeof port === 'string' ? p.name?.span : p.port?.span) ?? p.span) : [];
      });
    }
    case 'statefulSetServiceName':
      return a.resolver.servicesNamed(String(t.workload.serviceName?.value ?? ''), t.workload.namespace, t.workload.uri).flatMap((s) => nameLoc(a, s));
    case 'parentRef': {
      if (t.ref.kind !== 'Gateway' || !t.ref.name?.value) return [];
      return a.resolver.gatewaysNamed(t.ref.name.value, t.ref.namespace?.value ?? t.route.namespace, t.route.uri).flatMap((g) => nameLoc(a, g));
    }
    default:
      return [];
  }
}

/** Find references: from a definition to everything that points at it (pod label → selectors, …). */
export function references(a: Analyzer, uri: string, pos: Position, includeDeclaration: boolean, token: CancellationToken = NEVER_CANCELLED): Location[] {
  const t = targetAt(a, uri, pos);
  if (!t || token.isCancellationRequested) return [];
  const refs = referencesOf(a, t);
  const self = loc(a, uri, t.span);
  return dedupe(includeDeclaration ? [...self, ...refs] : refs);
}

function referencesOf(a: Analyzer, t: Target): Location[] {
  switch (t.type) {
    case 'podLabel':
      return a.resolver.servicesSelecting(t.workload).flatMap((s) => {
        const e = s.selector?.find((x) => x.key === t.label.key);
        return e ? loc(a, s.uri, labelSpan(e)) : [];
      });
    case 'workload':
      return a.resolver.servicesSelecting(t.workload).flatMap((s) => loc(a, s.uri, s.selectorKeySpan));
    case 'service':
      return [
        ...ingressBackendsTo(a, t.svc).flatMap((b) => loc(a, b.ingress.uri, b.backend.serviceName?.span)),
        ...routeBackendsTo(a, t.svc).flatMap((b) => loc(a, b.route.uri, b.ref.name?.span)),
        ...statefulSetsGovernedBy(a, t.svc).flatMap((w) => loc(a, w.uri, w.serviceName?.span)),
      ];
    case 'servicePort': {
      // Backends that use this Service port (by number or name).
      const out: Location[] = [];
      for (const b of ingressBackendsTo(a, t.svc)) {
        const p = b.backend.port;
        if ((p?.number && p.number.value === t.port.port?.value) || (p?.name && p.name.value === t.port.name?.value)) out.push(...loc(a, b.ingress.uri, (p.number ?? p.name)!.span));
      }
      for (const r of routeBackendsTo(a, t.svc)) if (r.ref.port?.value === t.port.port?.value) out.push(...loc(a, r.route.uri, r.ref.port!.span));
      return out;
    }
    case 'containerPort':
      return targetPortsOn(a, t.workload, t.port).flatMap(({ svc, port }) => loc(a, svc.uri, (port.targetPort ?? port.port)?.span));
    default:
      // Forward references: show what they resolve to.
      return definitionsOf(a, t);
  }
}

/** Document highlights: the element and everything related to it in the same file. */
export function documentHighlights(a: Analyzer, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): Range[] {
  const t = targetAt(a, uri, pos);
  if (!t || token.isCancellationRequested) return [];
  const all = [...loc(a, uri, t.span), ...referencesOf(a, t), ...definitionsOf(a, t)];
  return dedupe(all.filter((l) => l.uri === uri)).map((l) => l.range);
}

function dedupe(list: Location[]): Location[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const k = `${l.uri}#${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
