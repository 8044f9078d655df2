import type { Document, YAMLMap } from 'yaml';
import type { Span } from '../types';
import { selectorOf } from './extract';
import type {
  HorizontalPodAutoscaler, IpBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule, PodDisruptionBudget,
  PolicyResource, PolicyType, ServiceMonitor,
} from './policyResources';
import type { ResourceBase } from './resources';
import {
  asMap, findPair, getMap, getScalar, getSeq, getString, keySpan, nodeSpan, scalarRef, seqItems,
} from './yamlAccess';

/** The model of NetworkPolicy, HPA, PDB and ServiceMonitor objects; undefined for any other kind. */
export function policyResourceOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): PolicyResource | undefined {
  const { kind, apiVersion } = base;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (kind === 'NetworkPolicy' && (group === 'networking.k8s.io' || group === 'extensions')) return networkPolicyOf(base, root, doc);
  if (kind === 'HorizontalPodAutoscaler' && group === 'autoscaling') return autoscalerOf(base, root, doc);
  if (kind === 'PodDisruptionBudget' && group === 'policy') {
    return { ...base, type: 'disruptionBudget', selector: selectorOf(getMap(root, 'spec', doc), doc, false) } satisfies PodDisruptionBudget;
  }
  if (kind === 'ServiceMonitor' && group === 'monitoring.coreos.com') return serviceMonitorOf(base, root, doc);
  return undefined;
}

function networkPolicyOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): NetworkPolicy {
  const spec = getMap(root, 'spec', doc);
  const ingressPair = findPair(spec, 'ingress', doc);
  const egressPair = findPair(spec, 'egress', doc);
  const written = getSeq(spec, 'policyTypes', doc);
  let policyTypes: PolicyType[];
  if (written) {
    policyTypes = seqItems(written, doc).map((n) => scalarRef(n)?.value)
      .filter((v): v is PolicyType => v === 'Ingress' || v === 'Egress');
  } else {
    // Defaulted by the API server: Ingress always, Egress when the policy has egress rules.
    policyTypes = egressPair ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  return {
    ...base, type: 'networkPolicy',
    podSelector: selectorOf(spec, doc, false, 'podSelector'),
    policyTypes,
    ingress: rulesOf(spec, 'ingress', 'from', doc),
    egress: rulesOf(spec, 'egress', 'to', doc),
    ingressKeySpan: keySpan(ingressPair),
    egressKeySpan: keySpan(egressPair),
  };
}

function rulesOf(spec: YAMLMap | undefined, key: string, peersKey: string, doc: Document.Parsed): NetworkPolicyRule[] {
  const out: NetworkPolicyRule[] = [];
  seqItems(getSeq(spec, key, doc), doc).forEach((node, index) => {
    const m = asMap(node);
    // A null item (`- `) is an empty rule: it allows everything, as `{}` does.
    const span: Span = nodeSpan(node) ?? { start: 0, end: 0 };
    out.push({
      index, span,
      peers: seqItems(getSeq(m, peersKey, doc), doc).flatMap((p): NetworkPolicyPeer[] => {
        const pm = asMap(p);
        if (!pm) return [];
        return [{
          podSelector: selectorOf(pm, doc, false, 'podSelector'),
          namespaceSelector: selectorOf(pm, doc, false, 'namespaceSelector'),
          ipBlock: ipBlockOf(getMap(pm, 'ipBlock', doc), doc),
          span: nodeSpan(pm)!,
        }];
      }),
      ports: seqItems(getSeq(m, 'ports', doc), doc).flatMap((p): NetworkPolicyPort[] => {
        const pm = asMap(p);
        if (!pm) return [];
        const protocol = getString(pm, 'protocol', doc)?.value;
        const endPort = getScalar(pm, 'endPort', doc)?.value;
        const port = getScalar(pm, 'port', doc);
        return [{
          protocol: protocol || 'TCP',
          port: port && (typeof port.value === 'number' || (typeof port.value === 'string' && port.value !== '')) ? port : undefined,
          endPort: typeof endPort === 'number' ? endPort : undefined,
          span: nodeSpan(pm)!,
        }];
      }),
    });
  });
  return out;
}

function ipBlockOf(m: YAMLMap | undefined, doc: Document.Parsed): IpBlock | undefined {
  if (!m) return undefined;
  const cidr = getString(m, 'cidr', doc)?.value ?? '';
  const except = seqItems(getSeq(m, 'except', doc), doc).map((n) => scalarRef(n)?.value).filter((v): v is string => typeof v === 'string');
  return { cidr, except, span: nodeSpan(m)! };
}

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

function serviceMonitorOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): ServiceMonitor {
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
