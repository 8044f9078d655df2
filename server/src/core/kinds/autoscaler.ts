import type { ResourceBase } from '../model/resources';
import type { HorizontalPodAutoscaler } from '../model/policyResources';
import { findPair, getMap, getScalar, getString, keySpan, nodeSpan, type MapNode, type DocRef } from '../model/yamlAccess';
import type { KindHome } from './kind';

/** HorizontalPodAutoscaler: the workload it scales. */
export const autoscalerHome: KindHome<HorizontalPodAutoscaler> = {
  type: 'autoscaler',
  modelledKinds: ['HorizontalPodAutoscaler'],
  extract(base, root, doc) {
    return base.kind === 'HorizontalPodAutoscaler' && base.apiVersion.startsWith('autoscaling/') ? autoscalerOf(base, root, doc) : undefined;
  },
  index(r, t, add) {
    const kind = r.scaleTarget?.kind?.value;
    const name = r.scaleTarget?.name?.value;
    if (kind && name) t.autoscalersByTarget.put(add, r.namespace, `${kind}\u0000${name}`, r);
  },
  locate: () => undefined,
  graph: () => {},
};

function autoscalerOf(base: ResourceBase, root: MapNode, doc: DocRef): HorizontalPodAutoscaler {
  const spec = getMap(root, 'spec', doc);
  const ref = getMap(spec, 'scaleTargetRef', doc);
  const min = getScalar(spec, 'minReplicas', doc)?.value;
  return {
    ...base, type: 'autoscaler',
    scaleTarget: ref ? {
      apiVersion: getString(ref, 'apiVersion', doc)?.value,
      kind: getString(ref, 'kind', doc),
      name: getString(ref, 'name', doc),
      span: nodeSpan(ref)!,
    } : undefined,
    specKeySpan: keySpan(findPair(root, 'spec', doc)),
    minReplicas: typeof min === 'number' ? min : min === undefined || min === null ? 1 : undefined,
  };
}
