import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule } from '../model/policyResources';
import { describe, namespacesCompatible, type LabelSelector, type Workload } from '../model/resources';
import { isEmptySelector, labelListLookup, matchesLabelSelector } from '../resolve/labels';
import { sortByLocation } from '../resolve/resolver';
import { namedPortNumber, NAME_LABEL, peerMatches, podSelectorTargets } from '../policy/match';
import type { Reporter } from './context';

/** Custom resources in scope that may create pods the workspace does not show (see service-selects-nothing). */
export function podCreatorKinds(r: Reporter, namespace: string | undefined): string[] {
  const kinds = [...r.index.possiblePodCreators()].filter((o) => namespacesCompatible(o.namespace, namespace)).map((o) => o.kind);
  return [...new Set(kinds)].sort();
}

/**
 * Why the pods may exist although no manifest shows them: custom resources in scope, or
 * CustomResourceDefinitions (an operator installed by these manifests creates pods at runtime).
 */
export function creatorsNote(r: Reporter, namespace: string | undefined): string {
  const kinds = podCreatorKinds(r, namespace);
  if (kinds.length) return ` Custom resources in scope (${kinds.slice(0, 4).join(', ')}${kinds.length > 4 ? ', …' : ''}) may create such pods at runtime.`;
  for (const o of r.index.otherResources()) {
    if (o.kind === 'CustomResourceDefinition') return ' The workspace installs CustomResourceDefinitions: an operator may create such pods at runtime.';
  }
  return '';
}

export function selectorText(s: LabelSelector): string {
  const parts = [...s.matchLabels.map((m) => `${m.key}=${m.value}`), ...s.matchExpressions.map((e) => `${e.key} ${e.operator}${e.values.length ? ` (${e.values.join(', ')})` : ''}`)];
  return parts.join(', ');
}

/** The rules a policy enforces: ingress rules only with Ingress in policyTypes, egress with Egress. */
function activeRules(p: NetworkPolicy): { dir: 'ingress' | 'egress'; rule: NetworkPolicyRule }[] {
  return [
    ...(p.policyTypes.includes('Ingress') ? p.ingress.map((rule) => ({ dir: 'ingress' as const, rule })) : []),
    ...(p.policyTypes.includes('Egress') ? p.egress.map((rule) => ({ dir: 'egress' as const, rule })) : []),
  ];
}

export function checkNetworkPolicy(p: NetworkPolicy, r: Reporter): void {
  const who = describe(p);
  const selected = podSelectorTargets(r.index, p.podSelector, p.namespace);
  if (p.podSelector && !isEmptySelector(p.podSelector) && selected.length === 0) {
    const note = creatorsNote(r, p.namespace);
    r.report('network-policy-selects-nothing', p.podSelector.keySpan,
      `${who}: podSelector ${selectorText(p.podSelector)} matches no pod template in scope, so the policy isolates nothing and its rules apply to no pod.${note}`,
      note ? { severity: 'information' } : {});
    return; // its peers and ports apply to no pod: one finding is enough
  }
  for (const { dir, rule } of activeRules(p)) {
    for (const peer of rule.peers) checkPeer(p, dir, rule, peer, r);
    checkNamedPorts(p, dir, rule, selected, r);
  }
}

function checkPeer(p: NetworkPolicy, dir: 'ingress' | 'egress', rule: NetworkPolicyRule, peer: NetworkPolicyPeer, r: Reporter): void {
  if (peer.ipBlock) return;
  const where = `${dir}[${rule.index}] ${dir === 'ingress' ? 'from' : 'to'}`;
  const who = describe(p);
  const podSel = peer.podSelector && !isEmptySelector(peer.podSelector) ? peer.podSelector : undefined;
  const nsSel = peer.namespaceSelector && !isEmptySelector(peer.namespaceSelector) ? peer.namespaceSelector : undefined;
  if (podSel && !peer.namespaceSelector) {
    // Pods of the policy's own namespace: decidable from the workspace.
    if (podSelectorTargets(r.index, podSel, p.namespace).length > 0) return;
    const note = creatorsNote(r, p.namespace);
    r.report('network-policy-peer-selects-nothing', podSel.keySpan,
      `${who}: the ${where} podSelector ${selectorText(podSel)} matches no pod template in ${p.namespace ? `namespace \`${p.namespace}\`` : 'scope'}, so this peer allows nothing.${note}`,
      note ? { severity: 'information' } : {});
    return;
  }
  if (!nsSel) return; // `namespaceSelector: {}`: every namespace, including ones not in the workspace
  // Namespaces are judged only against Namespace objects the workspace declares.
  const declared = sortByLocation([...r.index.namespaceObjects()]);
  const matching = declared.filter((n) => matchesLabelSelector(nsSel, labelListLookup([...n.labels, { key: NAME_LABEL, value: n.name! }])));
  const onlyName = [...nsSel.matchLabels, ...nsSel.matchExpressions].every((m) => m.key === NAME_LABEL);
  if (matching.length === 0) {
    if (declared.length === 0 || onlyName) return; // a namespace of the cluster the workspace does not show
    r.report('network-policy-peer-selects-nothing', nsSel.keySpan,
      `${who}: the ${where} namespaceSelector ${selectorText(nsSel)} matches none of the Namespaces declared in the workspace (${declared.slice(0, 4).map((n) => n.name).join(', ')}${declared.length > 4 ? ', …' : ''}); check the namespace labels.`,
      { severity: 'information', related: declared.slice(0, 3).map((n) => ({ uri: n.uri, span: n.nameRef?.span ?? n.kindSpan, message: `Namespace \`${n.name}\`` })) });
    return;
  }
  if (!podSel) return;
  // Both: the pods of the matching declared namespaces that the workspace shows.
  const inMatching = [...r.index.workloads()].filter((w) => w.namespace !== undefined && matching.some((n) => n.name === w.namespace));
  if (inMatching.length === 0) return;
  if (inMatching.some((w) => peerMatches(r.index, p, peer, { kind: 'workload', workload: w }, []) !== 'no')) return;
  const note = matching.map((n) => creatorsNote(r, n.name)).find((x) => x) ?? '';
  r.report('network-policy-peer-selects-nothing', podSel.keySpan,
    `${who}: the ${where} podSelector ${selectorText(podSel)} matches no pod template in the namespaces its namespaceSelector selects (${matching.map((n) => n.name).join(', ')}).${note}`,
    note ? { severity: 'information' } : {});
}

/** Named ports resolve against the destination pods: the selected pods (ingress) or the peer pods (egress). */
function checkNamedPorts(p: NetworkPolicy, dir: 'ingress' | 'egress', rule: NetworkPolicyRule, selected: readonly Workload[], r: Reporter): void {
  const named = rule.ports.filter((e) => typeof e.port?.value === 'string');
  if (named.length === 0) return;
  let dests: readonly Workload[] = selected;
  if (dir === 'egress') {
    if (rule.peers.length === 0 || rule.peers.some((peer) => peer.ipBlock)) return;
    const out = new Set<Workload>();
    for (const peer of rule.peers) {
      for (const w of r.index.workloads()) {
        const t = peerMatches(r.index, p, peer, { kind: 'workload', workload: w }, []);
        if (t === 'unknown') return; // the peer pods are not all known
        if (t === 'yes') out.add(w);
      }
    }
    dests = sortByLocation([...out]);
  }
  if (dests.length === 0) return;
  for (const e of named) {
    const name = String(e.port!.value);
    if (dests.some((w) => namedPortNumber(w, name, e.protocol) !== undefined)) continue;
    const names = new Set<string>();
    for (const w of dests) for (const c of w.containers) for (const cp of c.ports) if (typeof cp.name?.value === 'string') names.add(`${cp.name.value}${cp.effectiveProtocol !== 'TCP' ? `/${cp.effectiveProtocol}` : ''}`);
    const whom = dir === 'ingress' ? 'the pods this policy selects' : 'the peer pods of this rule';
    const list = dests.slice(0, 3).map((w) => describe(w)).join(', ') + (dests.length > 3 ? ', …' : '');
    r.report('network-policy-port-undeclared', e.port!.span,
      `${describe(p)}: named port \`${name}\` (${e.protocol}) in ${dir}[${rule.index}] is not declared by ${whom} (${list}${names.size ? `; declared names: ${[...names].slice(0, 6).join(', ')}` : '; they declare no named ports'}), so this port entry matches nothing.`,
      { related: dests.slice(0, 3).map((w) => ({ uri: w.uri, span: w.nameRef?.span ?? w.kindSpan, message: `${describe(w)} does not declare \`${name}\`` })) });
  }
}
