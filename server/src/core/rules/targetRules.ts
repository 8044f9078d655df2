import type { HorizontalPodAutoscaler, PodDisruptionBudget, ServiceMonitor } from '../model/policyResources';
import { WORKLOAD_KINDS, describe, namespacesCompatible, type Service, type Workload } from '../model/resources';
import { isEmptySelector, labelListLookup, matchesLabelSelector } from '../resolve/labels';
import { sortByLocation } from '../resolve/resolver';
import { podSelectorTargets } from '../policy/match';
import type { Reporter } from './context';
import { closestName } from '../facts/names';
import { creatorsNote, selectorText } from './policyRules';

/** HPA scaleTargetRef → a workload of that kind and name in scope. */
export function checkAutoscaler(h: HorizontalPodAutoscaler, r: Reporter): void {
  const t = h.scaleTarget;
  const kind = t?.kind?.value;
  const name = t?.name?.value;
  if (!t || !kind || !name || !WORKLOAD_KINDS.has(kind)) return; // custom scalable kinds (Rollout, ...) are not modelled
  const group = t.apiVersion?.split('/')[0];
  if (t.apiVersion && t.apiVersion.includes('/') && !['apps', 'extensions'].includes(group!)) return;
  const found = r.index.named<Workload>(kind, name, h.namespace).filter((w) => w.type === 'workload' && namespacesCompatible(w.namespace, h.namespace));
  if (found.length > 0) return;
  const sameName = sortByLocation([...r.index.workloads()]).find((w) => w.name === name && namespacesCompatible(w.namespace, h.namespace));
  const near = closestName(name, [...r.index.workloads()].filter((w) => w.kind === kind && namespacesCompatible(w.namespace, h.namespace)).map((w) => w.name));
  const hint = sameName ? ` There is a ${sameName.kind} of that name: check \`kind\`.` : near ? ` Did you mean \`${near}\`?` : '';
  r.report('scale-target-missing', t.name!.span,
    `${describe(h)}: scaleTargetRef ${kind} \`${name}\` is not in scope${h.namespace ? ` (namespace \`${h.namespace}\`)` : ''}, so the autoscaler scales nothing.${hint}`,
    sameName ? { related: [{ uri: sameName.uri, span: sameName.kindSpan, message: `${describe(sameName)}` }] } : {});
}

/** PDB selector → some pod template in scope. */
export function checkDisruptionBudget(b: PodDisruptionBudget, r: Reporter): void {
  const sel = b.selector;
  if (!sel || isEmptySelector(sel)) return; // policy/v1: `{}` selects every pod of the namespace
  if (podSelectorTargets(r.index, sel, b.namespace).length > 0) return;
  const note = creatorsNote(r, b.namespace);
  r.report('disruption-budget-selects-nothing', sel.keySpan,
    `${describe(b)}: selector ${selectorText(sel)} matches no pod template in scope, so the budget protects no pods from eviction.${note}`,
    note ? { severity: 'information' } : {});
}

/** Services a ServiceMonitor selects: its own labels selector, in its namespaceSelector's namespaces. */
export function monitoredServices(m: ServiceMonitor, services: Iterable<Service>): Service[] {
  const out: Service[] = [];
  for (const s of services) {
    const inScope = m.anyNamespace ? true
      : m.matchNames.length ? s.namespace === undefined || m.matchNames.includes(s.namespace)
        : namespacesCompatible(m.namespace, s.namespace);
    if (inScope && (!m.selector || matchesLabelSelector(m.selector, labelListLookup(s.labels)))) out.push(s);
  }
  return sortByLocation(out);
}

export function checkServiceMonitor(m: ServiceMonitor, r: Reporter): void {
  const sel = m.selector;
  if (!sel) return;
  const selected = monitoredServices(m, r.index.services());
  if (selected.length === 0) {
    const note = creatorsNote(r, m.namespace).replace('such pods', 'such Services');
    const scope = m.anyNamespace ? 'any namespace' : m.matchNames.length ? `namespaces ${m.matchNames.join(', ')}` : m.namespace ? `namespace \`${m.namespace}\`` : 'scope';
    // An empty selector selects every Service of its namespaces: it selects nothing only when there is none.
    r.report('service-monitor-selects-nothing', sel.keySpan, isEmptySelector(sel)
      ? `${describe(m)}: the empty selector selects every Service in ${scope}, and there is none there, so nothing is scraped.${note}`
      : `${describe(m)}: selector ${selectorText(sel)} matches the labels of no Service in ${scope} (it matches Service labels, not pod labels), so nothing is scraped.${note}`,
    note ? { severity: 'information' } : {});
    return;
  }
  for (const e of m.endpoints) {
    const port = e.port?.value;
    if (!port) continue;
    if (selected.some((s) => s.ports.some((p) => p.name?.value === port))) continue;
    const names = [...new Set(selected.flatMap((s) => s.ports.map((p) => p.name?.value).filter((n): n is string => typeof n === 'string')))];
    r.report('service-monitor-port-missing', e.port!.span,
      `${describe(m)}: endpoint port \`${port}\` is not a port name of the selected Services (${selected.slice(0, 3).map((s) => describe(s)).join(', ')}${selected.length > 3 ? ', …' : ''}${names.length ? `; port names: ${names.slice(0, 6).join(', ')}` : '; their ports have no names'}), so that endpoint is not scraped.`,
      { related: selected.slice(0, 3).map((s) => ({ uri: s.uri, span: s.portsKeySpan ?? s.kindSpan, message: `${describe(s)} ports` })) });
  }
}
