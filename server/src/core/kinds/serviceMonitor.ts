import { selectorOf } from '../model/extract';
import type { ResourceBase } from '../model/resources';
import type { ServiceMonitor } from '../model/policyResources';
import { asMap, getMap, getScalar, getSeq, getString, nodeSpan, scalarRef, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
import type { KindHome } from './kind';

/** Prometheus-operator ServiceMonitor: the Services (and their port names) it scrapes. */
export const serviceMonitorHome: KindHome<ServiceMonitor> = {
  type: 'serviceMonitor',
  modelledKinds: ['ServiceMonitor'],
  extract(base, root, doc) {
    return base.kind === 'ServiceMonitor' && base.apiVersion.startsWith('monitoring.coreos.com/') ? serviceMonitorOf(base, root, doc) : undefined;
  },
  index: () => {},
  locate: () => undefined,
  graph: () => {},
};

function serviceMonitorOf(base: ResourceBase, root: MapNode, doc: DocRef): ServiceMonitor {
  const spec = getMap(root, 'spec', doc);
  const nsSel = getMap(spec, 'namespaceSelector', doc);
  return {
    ...base, type: 'serviceMonitor',
    selector: selectorOf(spec, doc, false),
    anyNamespace: getScalar(nsSel, 'any', doc)?.value === true,
    matchNames: seqItems(getSeq(nsSel, 'matchNames', doc), doc).map((n) => scalarRef(n)?.value).filter((v): v is string => typeof v === 'string'),
    endpoints: seqItems(getSeq(spec, 'endpoints', doc), doc).flatMap((n) => {
      const m = asMap(n);
      return m ? [{ port: getString(m, 'port', doc), span: nodeSpan(m)! }] : [];
    }),
  };
}
