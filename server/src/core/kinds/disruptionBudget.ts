import { selectorOf } from '../model/extract';
import type { PodDisruptionBudget } from '../model/policyResources';
import { getMap } from '../model/yamlAccess';
import type { KindHome } from './kind';

/** PodDisruptionBudget: the pods it protects. */
export const disruptionBudgetHome: KindHome<PodDisruptionBudget> = {
  type: 'disruptionBudget',
  modelledKinds: ['PodDisruptionBudget'],
  extract(base, root, doc) {
    if (base.kind !== 'PodDisruptionBudget' || !base.apiVersion.startsWith('policy/')) return undefined;
    return { ...base, type: 'disruptionBudget', selector: selectorOf(getMap(root, 'spec', doc), doc, false) };
  },
  index: () => {},
  locate: () => undefined,
  graph: () => {},
};
