import type { FeatureContext } from './context';
import {
  namespacesCompatible, resourceId, type BackendRef, type ContainerPort, type Ingress, type IngressBackend, type Route,
  type Service, type ServicePort, type Workload,
} from '../model/resources';
import { landing } from '../resolve/resolver';

/**
 * Reverse traffic relations (who reaches this?), shared by hover, references and code lens.
 * Forward ones (what does this reach?) are the resolver's.
 */

export interface IngressBackendRef { readonly ingress: Ingress; readonly backend: IngressBackend }
export interface RouteBackendRef { readonly route: Route; readonly ref: BackendRef }

/** Ingress backends naming this Service (same name, compatible namespace). */
export function ingressBackendsTo(a: FeatureContext, svc: Service): IngressBackendRef[] {
  if (!svc.name) return [];
  return a.index.ingressBackendsNaming(svc.name, svc.namespace).filter((x) => namespacesCompatible(x.ingress.namespace, svc.namespace));
}

/** Gateway API backendRefs naming this Service. */
export function routeBackendsTo(a: FeatureContext, svc: Service): RouteBackendRef[] {
  if (!svc.name) return [];
  return a.index.routeBackendsNaming(svc.name, svc.namespace).filter((x) => namespacesCompatible(x.ref.namespace?.value ?? x.route.namespace, svc.namespace));
}

/** StatefulSets whose serviceName is this Service. */
export function statefulSetsGovernedBy(a: FeatureContext, svc: Service): Workload[] {
  if (!svc.name) return [];
  return [...a.index.statefulSetsGovernedBy(svc.name, svc.namespace)].filter((w) => namespacesCompatible(w.namespace, svc.namespace));
}

/** The Service ports whose targetPort lands on this container port. */
export function targetPortsOn(a: FeatureContext, w: Workload, cp: ContainerPort): { svc: Service; port: ServicePort }[] {
  const out: { svc: Service; port: ServicePort }[] = [];
  for (const svc of a.resolver.servicesSelecting(w)) {
    for (const port of svc.ports) if (landing(w, port).containerPort === cp) out.push({ svc, port });
  }
  return out;
}

/** Everything that reaches a workload: Services selecting it, and Ingresses/routes reaching those. */
export function reachingWorkload(a: FeatureContext, w: Workload): { services: Service[]; ingresses: Ingress[]; routes: Route[] } {
  const services = a.resolver.servicesSelecting(w);
  const ingresses = new Map<string, Ingress>();
  const routes = new Map<string, Route>();
  for (const s of services) {
    for (const i of ingressBackendsTo(a, s)) ingresses.set(resourceId(i.ingress), i.ingress);
    for (const r of routeBackendsTo(a, s)) routes.set(resourceId(r.route), r.route);
  }
  return { services, ingresses: [...ingresses.values()], routes: [...routes.values()] };
}

export function replicasText(w: Workload): string {
  if (w.kind === 'DaemonSet') return 'one pod per node';
  if (w.kind === 'Pod') return '1 pod';
  if (w.kind === 'Job' || w.kind === 'CronJob') return w.replicas !== undefined ? `${w.replicas} parallel pods` : 'run-to-completion pods';
  if (w.replicasUnknown) return 'replicas set elsewhere';
  const n = w.replicas ?? 1;
  return `${n} replica${n === 1 ? '' : 's'}`;
}

export function podCount(ws: readonly Workload[]): number | undefined {
  let n = 0;
  for (const w of ws) {
    if (w.kind === 'DaemonSet' || w.replicasUnknown) return undefined;
    n += w.kind === 'Pod' ? 1 : w.replicas ?? 1;
  }
  return n;
}
