import { keyedField } from '../model/extract';
import type { ServiceFields } from '../model/resources';
import { asMap, getMap, getPath, type MapNode, type DocRef } from '../model/yamlAccess';

/**
 * The Service fields only the API server's validation reads (rules/serviceFields.ts): addresses,
 * IP families, session affinity, load-balancer-only fields and traffic policies. Kept beside
 * kinds/service.ts, which reads what traffic follows.
 */
export function serviceFieldsOf(root: MapNode, spec: MapNode | undefined, doc: DocRef): ServiceFields {
  const annotations = getMap(getMap(root, 'metadata', doc), 'annotations', doc);
  const clientIP = asMap(getPath(spec, ['sessionAffinityConfig', 'clientIP'], doc));
  return {
    clusterIP: keyedField(spec, 'clusterIP', doc),
    clusterIPs: keyedField(spec, 'clusterIPs', doc),
    ipFamilies: keyedField(spec, 'ipFamilies', doc),
    ipFamilyPolicy: keyedField(spec, 'ipFamilyPolicy', doc),
    sessionAffinity: keyedField(spec, 'sessionAffinity', doc),
    affinityTimeout: keyedField(clientIP, 'timeoutSeconds', doc),
    externalIPs: keyedField(spec, 'externalIPs', doc),
    loadBalancerSourceRanges: keyedField(spec, 'loadBalancerSourceRanges', doc),
    sourceRangesAnnotation: keyedField(annotations, 'service.beta.kubernetes.io/load-balancer-source-ranges', doc),
    allocateLoadBalancerNodePorts: keyedField(spec, 'allocateLoadBalancerNodePorts', doc),
    loadBalancerClass: keyedField(spec, 'loadBalancerClass', doc),
    internalTrafficPolicy: keyedField(spec, 'internalTrafficPolicy', doc),
    trafficDistribution: keyedField(spec, 'trafficDistribution', doc),
    healthCheckNodePort: keyedField(spec, 'healthCheckNodePort', doc),
  };
}
