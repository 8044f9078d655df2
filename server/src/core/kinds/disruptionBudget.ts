import { selectorOf } from '../model/extract';
import type { PodDisruptionBudget } from '../model/policyResources';
import { findPair, getMap, getScalar, keySpan, type MapNode, type DocRef } from '../model/yamlAccess';
import type { KindHome } from './kind';

/** PodDisruptionBudget: the pods it protects, and how many may be evicted. */
export const disruptionBudgetHome: KindHome<PodDisruptionBudget> = {
  type: 'disruptionBudget',
  modelledKinds: ['PodDisruptionBudget'],
  extract(base, root, doc) {
    if (base.kind !== 'PodDisruptionBudget' || !base.apiVersion.startsWith('policy/')) return undefined;
    const spec = getMap(root, 'spec', doc);
    return {
      ...base, type: 'disruptionBudget', selector: selectorOf(spec, doc, false),
      minAvailable: budgetField(spec, 'minAvailable', doc), maxUnavailable: budgetField(spec, 'maxUnavailable', doc),
    };
  },
  index: () => {},
  locate: () => undefined,
  graph: () => {},
};

function budgetField(spec: MapNode | undefined, key: string, doc: DocRef): PodDisruptionBudget['minAvailable'] {
  const pair = findPair(spec, key, doc);
  return pair ? { keySpan: keySpan(pair)!, value: getScalar(spec, key, doc) } : undefined;
}
