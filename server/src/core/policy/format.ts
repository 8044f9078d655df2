import type { ObjectRef, ReachResult, SideResult } from './reachTypes';

function name(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function at(r: { uri: string; range?: { start: { line: number } } }, display: (uri: string) => string): string {
  return `${display(r.uri)}:${(r.range?.start.line ?? 0) + 1}`;
}

function side(s: SideResult, display: (uri: string) => string): string[] {
  const label = s.direction === 'egress' ? 'egress ' : 'ingress';
  const out = [`    ${label} ${s.verdict}: ${s.reason}`];
  for (const a of s.allowedBy) out.push(`      allowed by NetworkPolicy ${a.policy.namespace ? `${a.policy.namespace}/` : ''}${a.policy.name} ${a.direction}[${a.rule}] (${at({ uri: a.policy.uri, ...(a.range ? { range: a.range } : {}) }, display)})`);
  if (s.verdict !== 'allowed') for (const p of s.isolatedBy) out.push(`      isolated by NetworkPolicy ${p.namespace ? `${p.namespace}/` : ''}${p.name} (${at(p, display)})`);
  return out;
}

/** The answer in lines: verdict, then per destination pod template each side and the deciding policies. */
export function formatReach(r: ReachResult, display: (uri: string) => string): string {
  const to = 'ip' in r.to ? r.to.ip : name(r.to);
  const lines = [`${r.verdict}: ${name(r.from)} → ${to}${r.port !== undefined ? ` port ${r.port}` : ''}`];
  if (r.targets.length === 0) {
    if (r.egress) lines.push(...side(r.egress, display));
    else lines.push(`  ${r.reason}`);
  }
  for (const t of r.targets) {
    const via = t.via ? ` (${String(t.via.servicePort)} → ${String(t.via.targetPort)}${t.via.containerPort !== undefined ? ` → ${t.via.container ?? '?'}:${t.via.containerPort}` : ''}${t.port ? `/${t.port.protocol}` : ''})`
      : t.port ? ` (port ${t.port.number ?? t.port.name}/${t.port.protocol})` : ' (any port)';
    lines.push(`  → ${name(t.workload)}${via}: ${t.verdict}`);
    lines.push(...side(t.egress, display), ...side(t.ingress, display));
  }
  return lines.join('\n') + '\n';
}
