import type { IndexReads } from '../index/workspaceIndex';
import type { Route } from '../model/resources';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Does a ReferenceGrant in `target` let this route reference Service `name` there? */
export function crossNamespaceGranted(index: IndexReads, route: Route, target: string, name: string): boolean {
  return [...index.referenceGrants()].some((g) => g.namespace === target
    && g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === route.kind && f.namespace === route.namespace)
    && g.to.some((t) => (t.group === '' || t.group === 'core') && t.kind === 'Service' && (t.name === undefined || t.name === name)));
}

