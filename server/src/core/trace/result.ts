import type { TraceContext } from './context';
import type { TraceEdge, TraceRefusal, TraceRequest, TraceResult, TraceStep, TraceStop } from './types';

const REACHED = new Set(['Workload', 'Pod', 'Endpoints', 'External']);

/**
 * The result of a trace: reached when a branch that carries the request ends at a pod, endpoint or
 * external host. Mirrored copies and zero-weight backends carry none of the client's requests: their
 * branches are shown, but neither reach nor stop the request.
 */
export function finish(ctx: TraceContext, request: TraceRequest, entries: TraceStep[], topStop?: TraceStop, refused: TraceRefusal[] = []): TraceResult {
  let reached = false;
  let firstStop: TraceStop | undefined;
  const nodeIds: string[] = [];
  const edges: TraceEdge[] = [];
  const addEdge = (e: TraceEdge) => { if (!edges.some((x) => x.from === e.from && x.to === e.to && x.kind === e.kind)) edges.push(e); };
  const walk = (s: TraceStep, parent: TraceStep | undefined, shadow: boolean) => {
    const aside = shadow || !!s.hop.mirror || s.hop.weightPercent === 0;
    if (!nodeIds.includes(s.hop.id)) nodeIds.push(s.hop.id);
    if (parent) addEdge(edgeBetween(parent, s));
    else if (!request.inCluster) addEdge({ from: 'Entry/internet', to: s.hop.id, kind: 'enters' });
    if (!aside) {
      if (s.stop) firstStop ??= s.stop;
      else if (s.next.length === 0 && REACHED.has(s.hop.type)) reached = true;
    }
    for (const n of s.next) walk(n, s, aside);
  };
  for (const e of entries) walk(e, undefined, false);
  if (!request.inCluster && entries.length) nodeIds.unshift('Entry/internet');
  const stop = reached ? undefined : topStop ?? firstStop ?? ctx.stop('no-backend', 'the request reaches no pod, endpoint or external host');
  return {
    request, entries, outcome: reached ? 'reached' : 'stopped', status: stop?.status ?? 'reached', ...(stop ? { stop } : {}),
    notes: ctx.notes, nodeIds, edges, ...(refused.length ? { refused } : {}),
  };
}

/** The topology graph's edge for a parent → child hop (a route attaches *to* its Gateway, and a mesh route to its Service). */
function edgeBetween(parent: TraceStep, child: TraceStep): TraceEdge {
  const from = parent.hop.id;
  const to = child.hop.id;
  if (parent.hop.type === 'Gateway' || (parent.hop.type === 'Service' && child.hop.type === 'Route')) return { from: to, to: from, kind: 'attaches' };
  if (child.hop.mirror) return { from, to, kind: 'mirrors' };
  if (child.hop.type === 'External') return { from, to, kind: parent.hop.type === 'Service' ? 'aliases' : 'routes' };
  if (child.hop.type === 'Endpoints') return { from, to, kind: 'endpoints' };
  if (child.hop.type === 'Workload') return { from, to, kind: 'selects' };
  if (child.hop.type === 'Pod') return { from: to, to: from, kind: 'governs' };
  return { from, to, kind: 'routes' };
}
