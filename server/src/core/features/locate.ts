import type { IndexedFile } from '../index/workspaceIndex';
import type {
  BackendRef, Container, ContainerPort, Ingress, IngressBackend, IngressPath, LabelEntry, ParentRef, Resource, Route, Service,
  ServicePort, Workload,
} from '../model/resources';
import type { Span } from '../types';

/** What the cursor is on, in model terms. */
export type Target =
  | { readonly type: 'service'; readonly svc: Service; readonly span: Span }
  | { readonly type: 'serviceSelector'; readonly svc: Service; readonly span: Span }
  | { readonly type: 'serviceSelectorEntry'; readonly svc: Service; readonly entry: LabelEntry; readonly span: Span }
  | { readonly type: 'servicePort'; readonly svc: Service; readonly port: ServicePort; readonly field: 'port' | 'targetPort' | 'nodePort' | 'name'; readonly span: Span }
  | { readonly type: 'workload'; readonly workload: Workload; readonly span: Span }
  | { readonly type: 'podLabel'; readonly workload: Workload; readonly label: LabelEntry; readonly span: Span }
  | { readonly type: 'containerPort'; readonly workload: Workload; readonly container: Container; readonly port: ContainerPort; readonly span: Span }
  | { readonly type: 'statefulSetServiceName'; readonly workload: Workload; readonly span: Span }
  | { readonly type: 'ingress'; readonly ingress: Ingress; readonly span: Span }
  | { readonly type: 'ingressBackend'; readonly ingress: Ingress; readonly backend: IngressBackend; readonly field: 'name' | 'port'; readonly span: Span }
  | { readonly type: 'route'; readonly route: Route; readonly span: Span }
  | { readonly type: 'routeBackend'; readonly route: Route; readonly ref: BackendRef; readonly field: 'name' | 'port'; readonly span: Span }
  | { readonly type: 'parentRef'; readonly route: Route; readonly ref: ParentRef; readonly span: Span }
  | { readonly type: 'ingressPath'; readonly ingress: Ingress; readonly path: IngressPath; readonly span: Span }
  | { readonly type: 'routeMatch'; readonly route: Route; readonly rule: number; readonly match: number; readonly span: Span };

const inside = (span: Span | undefined, offset: number): span is Span => !!span && span.start <= offset && offset <= span.end;

/** The resource whose document contains the offset. */
export function resourceAt(resources: readonly Resource[], offset: number): Resource | undefined {
  let best: Resource | undefined;
  for (const r of resources) {
    if (r.span.start <= offset && offset <= r.span.end && (!best || r.span.end - r.span.start < best.span.end - best.span.start)) best = r;
  }
  return best;
}

/** Finds the most specific model element at an offset of a file. */
export function locate(file: IndexedFile, resources: readonly Resource[], offset: number): Target | undefined {
  const r = resourceAt(resources, offset);
  if (!r) return undefined;
  switch (r.type) {
    case 'service': {
      for (const e of r.selector ?? []) {
        if (inside(e.keySpan, offset) || inside(e.valueSpan, offset)) return { type: 'serviceSelectorEntry', svc: r, entry: e, span: inside(e.keySpan, offset) ? e.keySpan : e.valueSpan };
      }
      if (inside(r.selectorKeySpan, offset)) return { type: 'serviceSelector', svc: r, span: r.selectorKeySpan };
      for (const p of r.ports) {
        for (const field of ['port', 'targetPort', 'nodePort', 'name'] as const) {
          const ref = p[field];
          if (inside(ref?.span, offset)) return { type: 'servicePort', svc: r, port: p, field, span: ref!.span };
        }
      }
      for (const span of [r.nameRef?.span, r.kindSpan, r.typeRef?.span, r.clusterIPRef?.span, r.externalName?.span]) {
        if (inside(span, offset)) return { type: 'service', svc: r, span };
      }
      return undefined;
    }
    case 'workload': {
      for (const l of r.podLabels) {
        if (inside(l.keySpan, offset) || inside(l.valueSpan, offset)) return { type: 'podLabel', workload: r, label: l, span: inside(l.keySpan, offset) ? l.keySpan : l.valueSpan };
      }
      for (const c of r.containers) {
        for (const p of c.ports) {
          for (const span of [p.name?.span, p.containerPort?.span]) {
            if (inside(span, offset)) return { type: 'containerPort', workload: r, container: c, port: p, span };
          }
        }
      }
      if (inside(r.serviceName?.span, offset)) return { type: 'statefulSetServiceName', workload: r, span: r.serviceName!.span };
      for (const span of [r.nameRef?.span, r.kindSpan]) if (inside(span, offset)) return { type: 'workload', workload: r, span };
      return undefined;
    }
    case 'ingress': {
      for (const b of r.backends) {
        if (inside(b.serviceName?.span, offset)) return { type: 'ingressBackend', ingress: r, backend: b, field: 'name', span: b.serviceName!.span };
        const portSpan = b.port?.number?.span ?? b.port?.name?.span;
        if (inside(portSpan, offset)) return { type: 'ingressBackend', ingress: r, backend: b, field: 'port', span: portSpan };
      }
      for (const p of r.paths) {
        for (const span of [p.path?.span, p.pathKeySpan, p.pathType?.span]) if (inside(span, offset)) return { type: 'ingressPath', ingress: r, path: p, span };
      }
      for (const span of [r.nameRef?.span, r.kindSpan]) if (inside(span, offset)) return { type: 'ingress', ingress: r, span };
      return undefined;
    }
    case 'route': {
      for (const b of r.backendRefs) {
        if (inside(b.name?.span, offset)) return { type: 'routeBackend', route: r, ref: b, field: 'name', span: b.name!.span };
        if (inside(b.port?.span, offset)) return { type: 'routeBackend', route: r, ref: b, field: 'port', span: b.port!.span };
      }
      for (const p of r.parentRefs) if (inside(p.name?.span, offset)) return { type: 'parentRef', route: r, ref: p, span: p.name!.span };
      for (const span of [r.nameRef?.span, r.kindSpan]) if (inside(span, offset)) return { type: 'route', route: r, span };
      for (let i = 0; i < r.rules.length; i++) {
        const rule = r.rules[i]!;
        if (rule.matchesDefaulted) continue; // no match is written: nothing to point at
        for (let j = 0; j < rule.matches.length; j++) {
          const span = rule.matches[j]!.span;
          if (inside(span, offset)) return { type: 'routeMatch', route: r, rule: i, match: j, span };
        }
      }
      return undefined;
    }
    default:
      void file;
      return undefined;
  }
}
