import type { IndexReads } from '../index/workspaceIndex';
import type { LabelSelector } from '../model/resources';
import { isEmptySelector, labelListLookup, matchesLabelSelector } from '../resolve/labels';

/** Three-valued answers: the workspace may not say (namespace labels it lacks, pod IPs). */
export type Tri = 'yes' | 'no' | 'unknown';

export function triAnd(a: Tri, b: Tri): Tri {
  return a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
}

export function triOr(list: Iterable<Tri>): Tri {
  let unknown = false;
  for (const t of list) {
    if (t === 'yes') return 'yes';
    if (t === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Every namespace carries this label automatically (Kubernetes 1.21+). */
export const NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Does a namespace selector (a NetworkPolicy namespaceSelector, a Gateway listener's
 * allowedRoutes selector) select namespace `ns`? Decided from the Namespace object in the
 * workspace, or from the automatic name label alone when the selector only uses that label.
 */
export function namespaceMatches(index: IndexReads, sel: LabelSelector, ns: string | undefined, why: string[], whose = 'the pod\'s'): Tri {
  if (isEmptySelector(sel)) return 'yes';
  if (ns === undefined) {
    why.push(`${whose} namespace is not set in its manifest, so a namespace selector cannot be evaluated`);
    return 'unknown';
  }
  const obj = index.named('Namespace', ns).find((r) => r.type === 'other' && r.apiVersion === 'v1');
  const auto = { key: NAME_LABEL, value: ns };
  if (obj) return matchesLabelSelector(sel, labelListLookup([...obj.labels, auto])) ? 'yes' : 'no';
  const keys = [...sel.matchLabels.map((m) => m.key), ...sel.matchExpressions.map((e) => e.key)];
  if (keys.every((k) => k === NAME_LABEL)) return matchesLabelSelector(sel, labelListLookup([auto])) ? 'yes' : 'no';
  why.push(`namespace \`${ns}\` is not declared in the workspace, so its labels are unknown`);
  return 'unknown';
}

/** `a=b,c In (d,e)`: a selector in one line, `{}` when empty. */
export function selectorText(s: LabelSelector): string {
  const parts = [...s.matchLabels.map((m) => `${m.key}=${m.value}`), ...s.matchExpressions.map((e) => `${e.key} ${e.operator}${e.values.length ? ` (${e.values.join(',')})` : ''}`)];
  return parts.length ? parts.join(',') : '{}';
}
