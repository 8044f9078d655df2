import type { EndpointsResource } from '../model/resources';
import type { KindHome } from './kind';

/** Endpoints and EndpointSlices: the endpoints of a Service without a selector. */
export const endpointsHome: KindHome<EndpointsResource> = {
  type: 'endpoints',
  modelledKinds: ['Endpoints', 'EndpointSlice'],
  extract(base) {
    if (base.kind === 'Endpoints' && base.apiVersion === 'v1') return { ...base, type: 'endpoints', serviceName: base.name };
    if (base.kind === 'EndpointSlice' && base.apiVersion.startsWith('discovery.k8s.io/')) {
      const label = base.labels.find((l) => l.key === 'kubernetes.io/service-name');
      return { ...base, type: 'endpoints', serviceName: label?.value };
    }
    return undefined;
  },
  index(r, t, add) {
    if (r.serviceName !== undefined) t.endpointsByService.put(add, r.serviceName, r);
  },
  locate: () => undefined,
  graph: () => {},
  node: (r) => ({ kind: r.kind === 'EndpointSlice' ? 'EndpointSlice' : 'Endpoints', details: { service: r.serviceName ?? null } }),
};
