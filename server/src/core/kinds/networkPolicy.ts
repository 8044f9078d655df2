import { selectorOf } from '../model/extract';
import type { ResourceBase } from '../model/resources';
import type { IpBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule, PolicyType } from '../model/policyResources';
import { asMap, findPair, getMap, getScalar, getSeq, getString, keySpan, nodeSpan, scalarRef, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
import type { Span } from '../types';
import type { KindHome } from './kind';

/** NetworkPolicy: who may talk to whom (policy/ evaluates it; can-reach and the graph use it). */
export const networkPolicyHome: KindHome<NetworkPolicy> = {
  type: 'networkPolicy',
  modelledKinds: ['NetworkPolicy'],
  extract(base, root, doc) {
    return base.kind === 'NetworkPolicy' && /^(networking\.k8s\.io|extensions)\//.test(base.apiVersion) ? networkPolicyOf(base, root, doc) : undefined;
  },
  index(r, t, add) {
    t.policies.put(add, r);
  },
  locate: () => undefined,
  graph: () => {},
};

function networkPolicyOf(base: ResourceBase, root: MapNode, doc: DocRef): NetworkPolicy {
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

function rulesOf(spec: MapNode | undefined, key: string, peersKey: string, doc: DocRef): NetworkPolicyRule[] {
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

function ipBlockOf(m: MapNode | undefined, doc: DocRef): IpBlock | undefined {
  if (!m) return undefined;
  const cidr = getString(m, 'cidr', doc)?.value ?? '';
  const except = seqItems(getSeq(m, 'except', doc), doc).map((n) => scalarRef(n)?.value).filter((v): v is string => typeof v === 'string');
  return { cidr, except, span: nodeSpan(m)! };
}
