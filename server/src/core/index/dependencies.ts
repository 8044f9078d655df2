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
 * Symbols are namespaced like lookups (`svc:<namespace>:<name>`, with `*` for "any namespace" and
 * '' for "unset"): `svc`, `gw`, `ep:<service>`, `label:<key>=<value>`, `labelkey`, `labelvalue`;
 * global ones: `grant:<namespace>`, `np:<nodePort>`, `anyworkload`, `cr` (custom
 * resources that may create pods), `split:<service>` (TrafficSplit apex), `svcnames` (the set of all
 * Service names, for "did you mean" suggestions on missing backends), `anysvc` (any Service:
 * ServiceMonitors match their labels and port names), `namespaces` (Namespace objects and their
 * labels, for NetworkPolicy namespaceSelectors).
 */
/** An exported symbol, under the resource's namespace ('' when unset) and under `*` (seen by everyone). */
function exported(out: Set<string>, prefix: string, namespace: string | undefined, key: string): void {
  out.add(`${prefix}:${namespace ?? ''}:${key}`);
  out.add(`${prefix}:*:${key}`);
}

/** What a resource in `namespace` can see (rules.md): its namespace and unset ones, or all when unset. */
function imported(out: Set<string>, prefix: string, namespace: string | undefined, key: string): void {
  if (namespace === undefined) out.add(`${prefix}:*:${key}`);
  else {
    out.add(`${prefix}:${namespace}:${key}`);
    out.add(`${prefix}::${key}`);
  }
}

export function exportsOf(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    switch (r.type) {
      case 'service':
        if (r.name !== undefined) exported(out, 'svc', r.namespace, r.name);
        out.add('svcnames'); // "did you mean" suggestions of missing backends look at every name
        out.add('anysvc');
        for (const p of r.ports) if (isValidPortNumber(p.nodePort?.value)) out.add(`np:${String(p.nodePort!.value)}`);
        break;
      case 'workload':
        out.add('anyworkload');
        for (const l of r.podLabels) {
          exported(out, 'label', r.namespace, `${l.key}=${l.value}`);
          exported(out, 'labelkey', r.namespace, l.key);
          exported(out, 'labelvalue', r.namespace, l.value);
        }
        break;
      case 'endpoints':
        if (r.serviceName !== undefined) exported(out, 'ep', r.namespace, r.serviceName);
        break;
      case 'gateway':
        if (r.name !== undefined) exported(out, 'gw', r.namespace, r.name);
        break;
      case 'referenceGrant':
        out.add(`grant:${r.namespace ?? ''}`);
        break;
      case 'other':
        if (mayCreatePods(r.kind, r.apiVersion)) out.add('cr');
        if (r.trafficSplitService !== undefined) out.add(`split:${r.trafficSplitService}`);
        if (r.kind === 'Namespace') out.add('namespaces');
        if (r.kind === 'CustomResourceDefinition') out.add('cr'); // an operator: policy rules downgrade

        break;
      case 'ingress':
      case 'route':
      case 'networkPolicy':
      case 'autoscaler':
      case 'disruptionBudget':
      case 'serviceMonitor':
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
          imported(out, 'ep', r.namespace, r.name ?? '');
          break;
        }
        for (const e of r.selector) {
          if (isControllerLabel(e.key)) out.add('anyworkload');
          else imported(out, 'label', r.namespace, `${e.key}=${e.value}`);
        }
        if (resolver.selectedWorkloads(r).length === 0) {
          // The nearest miss (which may look into other namespaces) and the custom-resource downgrade look wider.
          for (const e of r.selector) {
            out.add(`labelkey:*:${e.key}`);
            out.add(`labelvalue:*:${e.value}`);
            out.add(`label:*:${e.key}=${e.value}`);
          }
          out.add('cr');
          out.add(`split:${r.name ?? ''}`);
        }
        break;
      case 'workload':
        if (r.kind === 'StatefulSet' && typeof r.serviceName?.value === 'string') imported(out, 'svc', r.namespace, r.serviceName.value);
        break;
      case 'ingress':
        for (const b of r.backends) {
          if (!b.serviceName?.value) continue;
          imported(out, 'svc', r.namespace, b.serviceName.value);
          if (resolver.servicesNamed(b.serviceName.value, r.namespace).length === 0) out.add('svcnames');
        }
        break;
      case 'route':
        for (const p of r.parentRefs) if (p.name?.value) imported(out, 'gw', p.namespace?.value ?? r.namespace, p.name.value);
        for (const b of r.backendRefs) {
          if (!b.name?.value) continue;
          const ns = b.namespace?.value ?? r.namespace;
          imported(out, 'svc', ns, b.name.value);
          if (b.namespace?.value) out.add(`grant:${b.namespace.value}`);
          if (resolver.servicesNamed(b.name.value, ns).length === 0) out.add('svcnames');
        }
        break;
      case 'networkPolicy':
        // Pod labels of every namespace (peers may select any), namespace labels, pod-creating CRs.
        out.add('anyworkload');
        out.add('namespaces');
        out.add('cr');
        break;
      case 'autoscaler':
        out.add('anyworkload');
        break;
      case 'disruptionBudget':
        out.add('anyworkload');
        out.add('cr');
        break;
      case 'serviceMonitor':
        out.add('anysvc');
        out.add('cr');
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
