import type { TraceResult, TraceStep } from './types';

/** The result with each `uri` replaced by what the reader should see (a relative path, a file system path). */
export function withDisplayedFiles(result: TraceResult, display: (uri: string) => string): TraceResult {
  const fix = <T extends { uri?: string }>(x: T): T => (x.uri ? { ...x, uri: display(x.uri) } : x);
  const stepOf = (s: TraceStep): TraceStep => ({ hop: fix(s.hop), next: s.next.map(stepOf), ...(s.stop ? { stop: fix(s.stop) } : {}) });
  return { ...result, entries: result.entries.map(stepOf), ...(result.stop ? { stop: fix(result.stop) } : {}) };
}

/** One line per hop, indented by depth, with file:line of the rule that decided it. */
export function formatTrace(result: TraceResult): string {
  const r = result.request;
  const lines = [`${r.method} ${r.scheme}://${r.host}${r.port === (r.scheme === 'https' ? 443 : 80) ? '' : `:${r.port}`}${r.path}${r.query.length ? `?${r.query.map((q) => `${q.name}=${q.value}`).join('&')}` : ''} (${r.inCluster ? `inside the cluster${r.namespace ? `, from namespace ${r.namespace}` : ''}` : 'from outside the cluster'})`];
  const at = (x: { uri?: string; range?: { start: { line: number } } }) => (x.uri ? `  (${x.uri}${x.range ? `:${x.range.start.line + 1}` : ''})` : '');
  const walk = (s: TraceStep, depth: number) => {
    const h = s.hop;
    const pad = '  '.repeat(depth);
    const who = h.type === 'External' && h.kind === 'External' ? `External ${h.name}` : `${h.type === 'Pod' ? 'Pod of ' : ''}${h.kind} ${h.namespace ? `${h.namespace}/` : ''}${h.name}`;
    const weight = h.weightPercent !== undefined ? ` [${h.weightPercent}%]` : '';
    const pods = h.podDns?.length ? `; pod DNS: ${h.podDns.join(', ')}${h.podDnsTruncated ? ', …' : ''}` : '';
    lines.push(`${pad}→ ${who}${weight}: ${h.decision}${pods}${at(h)}`);
    if (s.stop) lines.push(`${pad}  ✗ ${s.stop.reason}: ${s.stop.rule}${at(s.stop)}`);
    for (const n of s.next) walk(n, depth + 1);
  };
  for (const e of result.entries) walk(e, 0);
  for (const n of result.notes) lines.push(`note: ${n}`);
  if (result.outcome === 'reached') {
    lines.push(`Result: reached.`);
  } else {
    const s = result.stop!;
    lines.push(`Result: stopped: ${s.reason}: ${s.rule}${at(s)}`);
  }
  return lines.join('\n') + '\n';
}
