import type { Document, YAMLMap } from 'yaml';
import type { ResourceBase } from '../model/resources';
import type { HorizontalPodAutoscaler } from '../model/policyResources';
import { getMap, getString, nodeSpan } from '../model/yamlAccess';
import type { KindHome } from './kind';

/** HorizontalPodAutoscaler: the workload it scales. */
export const autoscalerHome: KindHome<HorizontalPodAutoscaler> = {
  type: 'autoscaler',
  modelledKinds: ['HorizontalPodAutoscaler'],
  extract(base, root, doc) {
    return base.kind === 'HorizontalPodAutoscaler' && base.apiVersion.startsWith('autoscaling/') ? autoscalerOf(base, root, doc) : undefined;
  },
  index: () => {},
  locate: () => undefined,
  graph: () => {},
};

function autoscalerOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): HorizontalPodAutoscaler {
  const ref = getMap(getMap(root, 'spec', doc), 'scaleTargetRef', doc);
  return {
    ...base, type: 'autoscaler',
    scaleTarget: ref ? {
      apiVersion: getString(ref, 'apiVersion', doc)?.value,
      kind: getString(ref, 'kind', doc),
      name: getString(ref, 'name', doc),
      span: nodeSpan(ref)!,
    } : undefined,
  };
}
