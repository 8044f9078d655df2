import type { OtherResource } from '../model/resources';
import { getMap, getString } from '../model/yamlAccess';
import { mayCreatePods } from '../rules/kinds';
import type { KindHome } from './kind';

/**
 * Every other object with apiVersion and kind, kept by kind for scope questions: custom resources
 * that may create pods, Namespaces (their labels), SMI TrafficSplits (their apex Service).
 */
export const otherHome: KindHome<OtherResource> = {
  type: 'other',
  modelledKinds: ['TrafficSplit'],
  extract(base, root, doc) {
    // SMI TrafficSplit: its apex Service selects nothing on purpose (see service-selects-nothing).
    const splitService = base.kind === 'TrafficSplit' ? getString(getMap(root, 'spec', doc), 'service', doc)?.value : undefined;
    return { ...base, type: 'other', ...(splitService ? { trafficSplitService: splitService } : {}) };
  },
  index(r, t, add) {
    t.others.put(add, r);
    if (mayCreatePods(r.kind, r.apiVersion)) t.podCreators.put(add, r);
    if (r.trafficSplitService !== undefined) t.splits.put(add, r.trafficSplitService, r);
    if (r.kind === 'Namespace' && r.apiVersion === 'v1' && r.name !== undefined) t.namespaces.put(add, r);
  },
  locate: () => undefined,
  graph: () => {},
};
