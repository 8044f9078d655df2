import type { IndexReads } from '../index/workspaceIndex';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from '../model/policyResources';
import { namespacesCompatible, type LabelSelector, type Workload } from '../model/resources';
import { sortByLocation } from '../resolve/resolver';
import { isEmptySelector, matchesLabelSelector, podLabelLookup } from '../resolve/labels';
import { namespaceMatches, selectorText, triAnd, triOr, type Tri } from '../facts/namespaces';
import { cidrContains, isWholeFamily } from './cidr';
import type { PortQuery } from './reachTypes';

export { NAME_LABEL, triAnd, triOr, type Tri } from '../facts/namespaces';

/**
 * The other end of a connection, as a policy peer sees it: a pod template of the workspace, an
 * address outside the cluster, or a pod the workspace does not show (an Ingress controller).
 */
export type Party =
  | { readonly kind: 'workload'; readonly workload: Workload }
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'unseen-pod'; readonly description: string }
  /** Any client at all: "does anything get in?" */
  | { readonly kind: 'anyone' };

/** Does a policy select this workload's pods? A policy with namespace unset applies wherever it is applied. */
export function policySelects(p: NetworkPolicy, w: Workload): boolean {
  return namespacesCompatible(p.namespace, w.namespace) && (!p.podSelector || matchesLabelSelector(p.podSelector, podLabelLookup(w)));
}

/** Pod templates a selector picks among the given namespaces' workloads. */
export function podSelectorTargets(index: IndexReads, sel: LabelSelector | undefined, namespace: string | undefined): Workload[] {
  const out: Workload[] = [];
  for (const w of index.workloads()) {
    if (namespacesCompatible(namespace, w.namespace) && (!sel || matchesLabelSelector(sel, podLabelLookup(w)))) out.push(w);
  }
  return sortByLocation(out);
}

/** Does one peer (`from`/`to` element) of policy `p` match the other party? */
export function peerMatches(index: IndexReads, p: NetworkPolicy, peer: NetworkPolicyPeer, party: Party, why: string[]): Tri {
  if (peer.ipBlock) {
    const block = peer.ipBlock;
    if (party.kind === 'anyone') return 'yes';
    if (party.kind === 'ip') {
      const inside = cidrContains(block.cidr, party.ip);
      if (inside === undefined) { why.push(`ipBlock \`${block.cidr}\` is not a valid CIDR`); return 'unknown'; }
      if (!inside) return 'no';
      return block.except.some((e) => cidrContains(e, party.ip) === true) ? 'no' : 'yes';
    }
    // Pod IPs are not in manifests; a whole-family block without exceptions contains them anyway.
    if (isWholeFamily(block.cidr) && block.except.length === 0) return 'yes';
    why.push(`ipBlock \`${block.cidr}\`${block.except.length ? ` (except ${block.except.join(', ')})` : ''} may or may not contain the pod IPs, which manifests do not say`);
    return 'unknown';
  }
  if (!peer.podSelector && !peer.namespaceSelector) return 'no';
  switch (party.kind) {
    case 'anyone': return 'yes';
    case 'ip': return 'no'; // an address outside the cluster is matched only by ipBlocks
    case 'unseen-pod':
      // All pods of all namespaces: `namespaceSelector: {}` with no (or an empty) podSelector.
      if (peer.namespaceSelector && isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector)) return 'yes';
      why.push(`${party.description} is not in the workspace, so whether \`${peerText(peer)}\` matches it is unknown`);
      return 'unknown';
    case 'workload': {
      const w = party.workload;
      const ns: Tri = peer.namespaceSelector
        ? namespaceMatches(index, peer.namespaceSelector, w.namespace, why)
        : namespacesCompatible(p.namespace, w.namespace) ? 'yes' : 'no';
      const pod: Tri = !peer.podSelector || matchesLabelSelector(peer.podSelector, podLabelLookup(w)) ? 'yes' : 'no';
      return triAnd(ns, pod);
    }
  }
}

/** The container port a named port resolves to on a pod (name and protocol), if declared. */
export function namedPortNumber(w: Workload, name: string, protocol: string): number | undefined | null {
  for (const c of w.containers) {
    if (c.role === 'init') continue;
    for (const cp of c.ports) {
      if (cp.name?.value === name && cp.effectiveProtocol === protocol) {
        return typeof cp.containerPort?.value === 'number' ? cp.containerPort.value : null;
      }
    }
  }
  return undefined;
}

/** Does a policy port entry admit this port on the destination pod (undefined: an address outside)? */
export function portMatches(entry: NetworkPolicyPort, q: PortQuery | undefined, dest: Workload | undefined, why: string[]): Tri {
  if (q && entry.protocol !== q.protocol) return 'no';
  if (!entry.port || !q || (q.number === undefined && q.name === undefined)) return 'yes';
  const v = entry.port.value;
  if (typeof v === 'number') {
    if (q.number === undefined) {
      why.push(`port \`${q.name ?? '?'}\` does not resolve to a number, so port ${v} cannot be compared`);
      return 'unknown';
    }
    return q.number === v || (entry.endPort !== undefined && q.number >= v && q.number <= entry.endPort) ? 'yes' : 'no';
  }
  const name = String(v);
  // A named port means the port of that name on the destination pod.
  if (!dest) return 'no';
  if (q.name === name) return 'yes';
  const n = namedPortNumber(dest, name, entry.protocol);
  return n !== undefined && n !== null && n === q.number ? 'yes' : 'no';
}

/** Does a rule admit the connection: some peer (all when none) and some port (all when none)? */
export function ruleMatches(
  index: IndexReads, p: NetworkPolicy, rule: NetworkPolicyRule, party: Party, q: PortQuery | undefined,
  dest: Workload | undefined, why: string[],
): Tri {
  const peers: Tri = rule.peers.length === 0 ? 'yes' : triOr(rule.peers.map((peer) => peerMatches(index, p, peer, party, why)));
  if (peers === 'no') return 'no';
  const ports: Tri = rule.ports.length === 0 ? 'yes' : triOr(rule.ports.map((e) => portMatches(e, q, dest, why)));
  return triAnd(peers, ports);
}

export function peerText(peer: NetworkPolicyPeer): string {
  const sel = selectorText;
  const out: string[] = [];
  if (peer.namespaceSelector) out.push(`namespaceSelector ${sel(peer.namespaceSelector)}`);
  if (peer.podSelector) out.push(`podSelector ${sel(peer.podSelector)}`);
  if (peer.ipBlock) out.push(`ipBlock ${peer.ipBlock.cidr}`);
  return out.join(' + ');
}
