import type { TraceResult, TraceStep, TraceStop } from './types';
import { requestUrl } from './url';

/** The result with each `uri` replaced by what the reader should see (a relative path, a file system path). */
export function withDisplayedFiles(result: TraceResult, display: (uri: string) => string): TraceResult {
  const fix = <T extends { uri?: string }>(x: T): T => (x.uri ? { ...x, uri: display(x.uri) } : x);
  const stepOf = (s: TraceStep): TraceStep => ({ hop: fix(s.hop), next: s.next.map(stepOf), ...(s.stop ? { stop: fix(s.stop) } : {}) });
  return {
    ...result, entries: result.entries.map(stepOf), ...(result.stop ? { stop: fix(result.stop) } : {}),
    ...(result.refused ? { refused: result.refused.map(fix) } : {}),
    ...(result.followed ? { followed: withDisplayedFiles(result.followed, display) } : {}),
  };
}

/** `[404]`, `[redirect 301 → https://…]`: a stop's status as the text output shows it. */
export function statusText(s: TraceStop): string {
  return s.status === 'redirect' ? `[redirect ${s.code ?? '?'} → ${s.location ?? '?'}]` : `[${s.status}]`;
}

/** One line per hop, indented by depth, with file:line of the rule that decided it; each stop with its status. */
export function formatTrace(result: TraceResult): string {
  const r = result.request;
  const l4 = r.scheme === 'tcp' || r.scheme === 'udp' || r.scheme === 'tls';
  const what = l4 ? `${r.scheme.toUpperCase()} connection to` : r.method;
  const lines = [`${what} ${requestUrl(r)} (${r.inCluster ? `inside the cluster${r.namespace ? `, from namespace ${r.namespace}` : ''}` : 'from outside the cluster'})`];
  const at = (x: { uri?: string; range?: { start: { line: number } } }) => (x.uri ? `  (${x.uri}${x.range ? `:${x.range.start.line + 1}` : ''})` : '');
  const walk = (s: TraceStep, depth: number) => {
    const h = s.hop;
    const pad = '  '.repeat(depth);
    const who = h.type === 'External' && h.kind === 'External' ? `External ${h.name}` : `${h.type === 'Pod' ? 'Pod of ' : ''}${h.kind} ${h.namespace ? `${h.namespace}/` : ''}${h.name}`;
    const weight = h.weightPercent !== undefined ? ` [${h.weightPercent}%${h.weightPercent === 0 ? ': no traffic' : ''}]` : '';
    const mirror = h.mirror ? ` [mirror ${h.mirror.percent}%]` : '';
    const pods = h.podDns?.length ? `; pod DNS: ${h.podDns.join(', ')}${h.podDnsTruncated ? ', …' : ''}` : '';
    lines.push(`${pad}→ ${who}${weight}${mirror}: ${h.decision}${pods}${at(h)}`);
    for (const f of h.filters ?? []) lines.push(`${pad}  · filter ${f}`);
    if (h.rewrite) lines.push(`${pad}  · the backend sees Host ${h.rewrite.host}, path ${h.rewrite.path}`);
    if (s.stop) lines.push(`${pad}  ${s.stop.status === 'redirect' ? '↪' : '✗'} ${statusText(s.stop)} ${s.stop.reason}: ${s.stop.rule}${at(s.stop)}`);
    for (const n of s.next) walk(n, depth + 1);
  };
  for (const e of result.entries) walk(e, 0);
  for (const x of result.refused ?? []) lines.push(`not taken by ${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name}: ${x.why}${at(x)}`);
  for (const n of result.notes) lines.push(`note: ${n}`);
  if (result.outcome === 'reached') {
    lines.push('Result: reached.');
  } else {
    const s = result.stop!;
    lines.push(`Result: ${s.status === 'redirect' ? 'redirected' : 'stopped'} ${statusText(s)}: ${s.reason}: ${s.rule}${at(s)}`);
  }
  const out = lines.join('\n') + '\n';
  return result.followed ? `${out}\nFollowing the redirect to ${result.stop?.location ?? '?'}:\n${formatTrace(result.followed)}` : out;
}
