import type { Resource } from '../model/resources';
import type { Resolver } from '../resolve/resolver';
import { isControllerLabel } from '../resolve/labels';
import { mayCreatePods } from '../rules/kinds';
import { isValidPortNumber } from '../rules/validation';

/**
 * What a file offers to other files' cross-resource findings (exports), and what its own
 * cross-resource findings depend on (imports). When a file changes, every symbol it exported
 * before or exports now counts as changed, and only files importing one of them are re-checked.
 *
 * Symbols: `svc:<name>`, `gw:<name>`, `ep:<service>`, `grant:<namespace>`, `np:<nodePort>`,
 * `label:<key>=<value>`, `labelkey:<key>`, `labelvalue:<value>`, `anyworkload`, `cr` (custom
 * resources that may create pods), `split:<service>` (TrafficSplit apex), `svcnames` (the set of all
 * Service names, for "did you mean" suggestions on missing backends).
 */
export function exportsOf(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    switch (r.type) {
      case 'service':
        if (r.name !== undefined) out.add(`svc:${r.name}`);
        out.add('svcnames'); // "did you mean" suggestions of missing backends look at every name
        for (const p of r.ports) if (isValidPortNumber(p.nodePort?.value)) out.add(`np:${String(p.nodePort!.value)}`);
        break;
      case 'workload':
        out.add('anyworkload');
        for (const l of r.podLabels) {
          out.add(`label:${l.key}=${l.value}`);
          out.add(`labelkey:${l.key}`);
          out.add(`labelvalue:${l.value}`);
        }
        break;
      case 'endpoints':
        if (r.serviceName !== undefined) out.add(`ep:${r.serviceName}`);
        break;
      case 'gateway':
        if (r.name !== undefined) out.add(`gw:${r.name}`);
        break;
      case 'referenceGrant':
        out.add(`grant:${r.namespace ?? ''}`);
        break;
      case 'other':
        if (mayCreatePods(r.kind, r.apiVersion)) out.add('cr');
        if (r.trafficSplitService !== undefined) out.add(`split:${r.trafficSplitService}`);
        break;
      case 'ingress':
      case 'route':
        break;
    }
  }
  return out;
}

/** The symbols the cross-resource findings of these resources were computed from. */
export function importsOf(resources: readonly Resource[], resolver: Resolver): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    switch (r.type) {
      case 'service':
        for (const p of r.ports) if (isValidPortNumber(p.nodePort?.value)) out.add(`np:${String(p.nodePort!.value)}`);
        if (r.serviceType === 'ExternalName') break;
        if (!r.selector) {
          out.add(`ep:${r.name ?? ''}`);
          break;
        }
        for (const e of r.selector) out.add(isControllerLabel(e.key) ? 'anyworkload' : `label:${e.key}=${e.value}`);
        if (resolver.selectedWorkloads(r).length === 0) {
          // The nearest miss and the custom-resource downgrade look wider.
          for (const e of r.selector) {
            out.add(`labelkey:${e.key}`);
            out.add(`labelvalue:${e.value}`);
          }
          out.add('cr');
          out.add(`split:${r.name ?? ''}`);
        }
        break;
      case 'workload':
        if (r.kind === 'StatefulSet' && typeof r.serviceName?.value === 'string') out.add(`svc:${r.serviceName.value}`);
        break;
      case 'ingress':
        for (const b of r.backends) {
          if (!b.serviceName?.value) continue;
          out.add(`svc:${b.serviceName.value}`);
          if (resolver.servicesNamed(b.serviceName.value, r.namespace).length === 0) out.add('svcnames');
        }
        break;
      case 'route':
        for (const p of r.parentRefs) if (p.name?.value) out.add(`gw:${p.name.value}`);
        for (const b of r.backendRefs) {
          if (!b.name?.value) continue;
          out.add(`svc:${b.name.value}`);
          if (b.namespace?.value) out.add(`grant:${b.namespace.value}`);
          if (resolver.servicesNamed(b.name.value, b.namespace?.value ?? r.namespace).length === 0) out.add('svcnames');
        }
        break;
      case 'endpoints':
      case 'gateway':
      case 'referenceGrant':
      case 'other':
        break;
    }
  }
  return out;
}
