import { describe, namespacesCompatible, type Service, type ServicePort } from '../model/resources';
import type { Reporter } from './context';
import { isValidPortNumber } from './validation';
import { basename } from './trafficRules';

/** The Services that really claim a nodePort (not ClusterIP, ExternalName or headless ones). */
function claims(r: Reporter, nodePort: number): { svc: Service; port: ServicePort }[] {
  return r.index.nodePortUsers(nodePort).filter((u) => !(u.svc.serviceType === 'ClusterIP' || u.svc.serviceType === 'ExternalName' || u.svc.headless));
}

/** Same Service (namespace + name) defined in several files is one object, not a conflict. */
function sameObject(a: Service, b: Service): boolean {
  return a.name !== undefined && a.name === b.name && namespacesCompatible(a.namespace, b.namespace);
}

/**
 * nodePorts are allocated cluster-wide by number: namespaces do not separate them, and the
 * allocator does not look at the protocol either (one Service may reuse a number for TCP and UDP,
 * two Services may not).
 */
export function checkNodePortConflicts(svc: Service, r: Reporter): void {
  if (svc.serviceType === 'ClusterIP' || svc.serviceType === 'ExternalName' || svc.headless) return;
  for (const port of svc.ports) {
    const np = port.nodePort?.value;
    if (!isValidPortNumber(np)) continue;
    const others = claims(r, np).filter((u) => u.svc !== svc && !sameObject(u.svc, svc))
      .sort((a, b) => (a.svc.uri < b.svc.uri ? -1 : a.svc.uri > b.svc.uri ? 1 : a.svc.span.start - b.svc.span.start));
    if (others.length === 0) continue;
    const names = others.slice(0, 3).map((o) => `${describe(o.svc)} (${basename(o.svc.uri)})`).join(', ');
    r.report('node-port-conflict', port.nodePort!.span,
      `${describe(svc)}: nodePort ${np} is also claimed by ${names}${others.length > 3 ? ` and ${others.length - 3} more` : ''}. nodePorts are cluster-wide, so whichever is applied second fails with "provided port is already allocated".`,
      { related: others.map((o) => ({ uri: o.svc.uri, span: o.port.nodePort!.span, message: `nodePort ${np} of ${describe(o.svc)}` })) });
  }
}
