import type { IndexReads } from '../index/workspaceIndex';
import type { NetworkPolicy, PolicyType } from '../model/policyResources';
import { resourceId, type Resource, type Workload } from '../model/resources';
import { sortByLocation } from '../resolve/resolver';
import { policySelects, ruleMatches, type Party } from './match';
import type { ObjectRef, PolicyRuleRef, PortQuery, SideResult, Verdict } from './reachTypes';

export function objectRef(index: IndexReads, r: Resource): ObjectRef {
  const span = r.nameRef?.span ?? r.kindSpan;
  const file = index.file(r.uri);
  return {
    id: resourceId(r), kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name ?? '',
    uri: r.uri, span, ...(file ? { range: file.parsed.lines.headRange(span) } : {}),
  };
}

/** Policies isolating a pod in one direction, in document order. */
export function isolatingPolicies(index: IndexReads, w: Workload, type: PolicyType): NetworkPolicy[] {
  const out: NetworkPolicy[] = [];
  for (const p of index.networkPolicies()) if (p.policyTypes.includes(type) && policySelects(p, w)) out.push(p);
  return sortByLocation(out);
}

function partyText(party: Party): string {
  switch (party.kind) {
    case 'workload': return `${party.workload.kind} ${party.workload.namespace ? `${party.workload.namespace}/` : ''}${party.workload.name ?? ''}`;
    case 'ip': return party.ip;
    case 'unseen-pod': return party.description;
    case 'anyone': return 'any client';
  }
}

function portText(q: PortQuery | undefined): string {
  if (!q || (q.number === undefined && q.name === undefined)) return 'any port';
  const p = q.number !== undefined && q.name !== undefined ? `${q.number} (${q.name})` : String(q.number ?? q.name);
  return `port ${p}/${q.protocol}`;
}

/**
 * One side of a connection. `subject` is the pod whose policies apply (the destination for
 * ingress, the source for egress); `other` is the far end; `dest` is the destination pod when it
 * is in the workspace (named ports resolve against it).
 */
export function evaluateSide(
  index: IndexReads, direction: 'ingress' | 'egress', subject: Workload, other: Party, q: PortQuery | undefined,
  dest: Workload | undefined,
): SideResult {
  const type: PolicyType = direction === 'ingress' ? 'Ingress' : 'Egress';
  const policies = isolatingPolicies(index, subject, type);
  const who = `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name ?? ''}`;
  if (policies.length === 0) {
    return {
      direction, verdict: 'allowed', isolated: false, isolatedBy: [], allowedBy: [], unknownBecause: [],
      reason: `No NetworkPolicy selects ${who} for ${direction}: all ${direction} is allowed.`,
    };
  }
  const allowedBy: PolicyRuleRef[] = [];
  const why: string[] = [];
  let unknown = false;
  for (const p of policies) {
    const rules = direction === 'ingress' ? p.ingress : p.egress;
    for (const rule of rules) {
      const t = ruleMatches(index, p, rule, other, q, dest, why);
      if (t === 'yes') {
        const file = index.file(p.uri);
        allowedBy.push({
          policy: objectRef(index, p), direction, rule: rule.index, span: rule.span,
          ...(file ? { range: file.parsed.lines.headRange(rule.span) } : {}),
        });
      } else if (t === 'unknown') unknown = true;
    }
  }
  const isolatedBy = policies.map((p) => objectRef(index, p));
  const names = policies.map((p) => p.name ?? '?').join(', ');
  const verdict: Verdict = allowedBy.length > 0 ? 'allowed' : unknown ? 'unknown' : 'denied';
  const unknownBecause = verdict === 'unknown' ? [...new Set(why)] : [];
  const reason = verdict === 'allowed'
    ? `${direction === 'ingress' ? 'Ingress' : 'Egress'} is allowed by ${[...new Set(allowedBy.map((a) => `${a.policy.name} (${direction}[${a.rule}])`))].join(', ')}.`
    : verdict === 'unknown'
      ? `${who} is isolated for ${direction} by ${names}; whether a rule admits ${partyText(other)} on ${portText(q)} is unknown: ${unknownBecause.join('; ')}.`
      : `${who} is isolated for ${direction} by ${names}; no ${direction} rule allows ${partyText(other)} on ${portText(q)}.`;
  return { direction, verdict, isolated: true, isolatedBy, allowedBy, unknownBecause, reason };
}

export function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return 'unknown';
  if (verdicts.includes('denied')) return 'denied';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'allowed';
}

/** An egress side for a source that is not in the workspace: its policies cannot be known. */
export function unseenEgress(description: string): SideResult {
  return {
    direction: 'egress', verdict: 'allowed', isolated: false, isolatedBy: [], allowedBy: [], unknownBecause: [],
    reason: `${description} is not in the workspace; its own egress policies are not checked.`,
  };
}
