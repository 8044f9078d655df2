/**
 * The graph as the topology draws it (no DOM): one lane per namespace, large namespaces collapsed,
 * edges oriented by traffic, and the paths through a node. Data in, data out: unit-tested in Node.
 * What is drawn per kind is in kinds.ts; what is said about a node, in nodeText.ts.
 */
import type { GraphEdge, GraphNode, TrafficGraph } from '../../server/src/protocol/webview';
import { partitionOf, SERVICE_COLUMN } from './kinds';

export type { GraphEdge, GraphNode, TrafficGraph };

// ---------------------------------------------------------------- the drawn graph

/** Box key of resources without a namespace (namespace names cannot contain parentheses). */
export const NO_NAMESPACE = '(none)';

/** An edge as drawn: oriented in the direction traffic flows (left to right). */
export interface ViewEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly label: string;
  readonly broken: boolean;
  readonly message?: string;
  readonly weight?: number;
  /** NetworkPolicy certainly denies this traffic (graph edge `policy: "denied"`); why. */
  readonly policyDenied?: string;
  /** True when drawn against the data's direction (attaches: Gateway → route; governs: Service → StatefulSet). */
  readonly reversed: boolean;
  /** Indexes of the graph edges this one draws (several when merged into a collapsed namespace). */
  readonly sources: readonly number[];
}

export interface ViewNode {
  /** Unique among drawn nodes: the graph id, or `Ref/<lane>/<graph id>` for a reference, or `Namespace/<ns>` for a summary. */
  readonly id: string;
  /** The graph node (also for references); undefined for a collapsed namespace's summary node. */
  readonly node?: GraphNode;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /**
   * The lane the node is drawn in: one per namespace, holding the namespace box with, outside it,
   * the entry points on the left and the external targets on the right.
   */
  readonly lane: string;
  /** The namespace box the node is drawn in; undefined for nodes in the lane outside the box. */
  readonly box?: string;
  /** Column inside the box (or, outside it, 0 = left of the box, 5 = right of it). */
  readonly partition: number;
  /**
   * For a reference node: the id of the drawn node it stands for. Entry points and external targets
   * are drawn in each lane that uses them; an edge between two namespaces is drawn as a short edge
   * to a reference of the far end in each lane. Lanes stay independent and can be packed in a grid.
   */
  readonly ref?: string;
  /** For a summary node: how many resources and broken edges it hides. */
  readonly summary?: { readonly namespace: string; readonly count: number; readonly broken: number; readonly kinds: string };
}

export interface ViewGraph {
  readonly nodes: ViewNode[];
  readonly edges: ViewEdge[];
  /** Namespaces drawn as (collapsed) summary nodes. */
  readonly collapsed: string[];
  /** What the view draws of the graph: distinct graph nodes and edges (for the `rendered` message). */
  readonly counts: { readonly nodes: number; readonly edges: number; readonly brokenEdges: number };
}

export interface ViewOptions {
  /** Show only this namespace (plus its direct neighbours); '' for all. */
  readonly namespace: string;
  /** Namespaces the user expanded although they are large. */
  readonly expanded: ReadonlySet<string>;
  /** Namespaces the user collapsed. */
  readonly collapsedByUser: ReadonlySet<string>;
  /** When the graph has more nodes than this, namespaces larger than `bigNamespace` start collapsed. */
  readonly collapseAbove: number;
  readonly bigNamespace: number;
}

export const DEFAULT_VIEW_OPTIONS: ViewOptions = { namespace: '', expanded: new Set(), collapsedByUser: new Set(), collapseAbove: 400, bigNamespace: 40 };

/** A reference to a node of another namespace (not an entry point or external target drawn in its lane). */
export const isCrossRef = (n: ViewNode): boolean => !!n.ref && n.kind !== 'Entry' && n.kind !== 'External';
/** The id selection and paths work with: the graph id (or summary id) a drawn node stands for. */
export const canonicalOf = (n: ViewNode): string => n.ref ?? n.id;

export const summaryId = (ns: string): string => `Namespace/${ns}`;
export const isSummaryId = (id: string): boolean => id.startsWith('Namespace/');
const refId = (lane: string, target: string): string => `Ref/${lane}/${target}`;

/**
 * Edges whose data direction runs right to left: drawn reversed so every arrow follows the traffic.
 * A mesh route (GAMMA) attaches to a Service, which stands right of it: that edge stays as it is.
 */
export function isReversedKind(kind: string, to?: GraphNode): boolean {
  if (kind === 'attaches') return !to || partitionOf(to) !== SERVICE_COLUMN;
  return kind === 'governs';
}

/** The namespace box of a graph node; undefined for entry points and external targets, which stay outside. */
export function boxOf(n: Pick<GraphNode, 'kind' | 'namespace'>): string | undefined {
  if (n.kind === 'Entry' || n.kind === 'External') return undefined;
  return n.namespace ?? NO_NAMESPACE;
}

/** Which namespaces start collapsed for a graph of this size. */
export function autoCollapsed(g: TrafficGraph, opts: ViewOptions): Set<string> {
  const out = new Set<string>(opts.collapsedByUser);
  if (g.nodes.length <= opts.collapseAbove) return out;
  const sizes = new Map<string, number>();
  for (const n of g.nodes) {
    const b = boxOf(n);
    if (b !== undefined) sizes.set(b, (sizes.get(b) ?? 0) + 1);
  }
  for (const [ns, size] of sizes) if (size > opts.bigNamespace && !opts.expanded.has(ns)) out.add(ns);
  return out;
}

/**
 * The graph as drawn: restricted to a namespace, large namespaces collapsed into summary nodes,
 * edges oriented by traffic, one lane per namespace (see ViewNode.ref).
 */
export function buildView(g: TrafficGraph, opts: ViewOptions): ViewGraph {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  let keep: Set<string> | undefined;
  if (opts.namespace) {
    keep = new Set(g.nodes.filter((n) => boxOf(n) === opts.namespace).map((n) => n.id));
    // Direct neighbours (entry points, routes from other namespaces, external targets), and the
    // entry points of those neighbours, so traffic into the namespace stays visible.
    const inNs = new Set(keep);
    for (const e of g.edges) {
      if (inNs.has(e.from) && byId.has(e.to)) keep.add(e.to);
      if (inNs.has(e.to) && byId.has(e.from)) keep.add(e.from);
    }
    const ring = new Set(keep);
    for (const e of g.edges) if (ring.has(e.to) && !inNs.has(e.to) && byId.get(e.from)?.kind === 'Entry') keep.add(e.from);
  }
  const collapsed = opts.namespace ? new Set<string>() : autoCollapsed(g, opts);

  const nodes: ViewNode[] = [];
  const viewOf = new Map<string, ViewNode>();
  const drawn = new Set<string>();
  const summaries = new Map<string, { count: number; kinds: Map<string, number> }>();
  const add = (v: ViewNode): ViewNode => { nodes.push(v); viewOf.set(v.id, v); return v; };
  for (const n of g.nodes) {
    if (keep && !keep.has(n.id)) continue;
    const box = boxOf(n);
    if (box === undefined) continue; // entry points and external targets: drawn per lane, below
    if (collapsed.has(box)) {
      let s = summaries.get(box);
      if (!s) { s = { count: 0, kinds: new Map() }; summaries.set(box, s); }
      s.count++;
      s.kinds.set(n.kind, (s.kinds.get(n.kind) ?? 0) + 1);
      continue;
    }
    add({ id: n.id, node: n, kind: n.kind, name: n.name, ...(n.namespace ? { namespace: n.namespace } : {}), lane: box, box, partition: partitionOf(n) });
    drawn.add(n.id);
  }
  const sums = new Map<string, { namespace: string; count: number; broken: number; kinds: string }>();
  for (const ns of [...summaries.keys()].sort()) {
    const s = summaries.get(ns)!;
    const kinds = [...s.kinds.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3).map(([k, c]) => `${c} ${k}`).join(', ');
    // Shared, mutable until the edges are counted below.
    const summary = { namespace: ns, count: s.count, broken: 0, kinds };
    sums.set(ns, summary);
    add({ id: summaryId(ns), kind: 'Namespace', name: ns === NO_NAMESPACE ? 'no namespace' : ns, lane: ns, box: ns, partition: 3, summary });
  }

  /** What a graph node is drawn as: a drawn node, a summary, or (entry points, external targets) a lane-local node to create. */
  type End = { v: ViewNode } | { loose: GraphNode };
  const end = (id: string): End | undefined => {
    const n = byId.get(id);
    if (!n || (keep && !keep.has(id))) return undefined;
    const box = boxOf(n);
    if (box === undefined) return { loose: n };
    const v = viewOf.get(collapsed.has(box) ? summaryId(box) : id);
    return v ? { v } : undefined;
  };
  /** A stand-in for `target` in `lane`: inside the lane's box when it has one (in the target's column), else beside it. */
  const reference = (lane: string, target: GraphNode | ViewNode, role: 'source' | 'target'): string => {
    const targetId = target.id;
    const id = refId(lane, targetId);
    if (viewOf.has(id)) return id;
    const node = 'details' in target ? target : target.node;
    const summary = 'lane' in target ? target.summary : undefined;
    const loose = 'details' in target && boxOf(target) === undefined;
    // In the far node's column; beside the summary in a collapsed namespace (whose box has no columns).
    const partition = loose ? (target.kind === 'Entry' ? 0 : 5)
      : summary || !node || collapsed.has(lane) ? (role === 'source' ? 1 : 5)
        : partitionOf(node);
    add({
      id, kind: target.kind, name: summary ? target.name : node?.name ?? target.id, ...(target.namespace ? { namespace: target.namespace } : {}),
      lane, ...(!loose ? { box: lane } : {}), partition, ref: targetId,
      ...(node ? { node } : {}), ...(summary ? { summary } : {}),
    });
    if (loose) drawn.add(targetId);
    return id;
  };

  const edges: ViewEdge[] = [];
  const merged = new Map<string, { from: string; to: string; kind: Set<string>; broken: boolean; sources: number[]; label: string }>();
  let drawnEdges = 0;
  let drawnBroken = 0;
  g.edges.forEach((e, i) => {
    const rev = isReversedKind(e.kind, byId.get(e.to));
    const a = end(rev ? e.to : e.from);
    const b = end(rev ? e.from : e.to);
    if (!a || !b || ('loose' in a && 'loose' in b)) return;
    const base = {
      kind: e.kind, label: e.label, broken: e.broken, reversed: rev, sources: [i],
      ...(e.message !== undefined ? { message: e.message } : {}), ...(e.weight !== undefined ? { weight: e.weight } : {}),
      ...(e.policy === 'denied' ? { policyDenied: typeof e.policyMessage === 'string' ? e.policyMessage : 'Denied by NetworkPolicy.' } : {}),
    };
    if ('loose' in a || 'loose' in b) {
      // Entry point -> node, or node -> external target: the loose end is drawn in the node's lane.
      const inner = 'v' in a ? a.v : (b as { v: ViewNode }).v;
      if (inner.summary) {
        if (e.broken) sums.get(inner.summary.namespace)!.broken++;
      } else { drawnEdges++; if (e.broken) drawnBroken++; }
      const from = 'v' in a ? a.v.id : reference(inner.lane, a.loose, 'source');
      const to = 'v' in b ? b.v.id : reference(inner.lane, b.loose, 'target');
      const id = inner.summary ? `m${i}` : `e${i}`;
      if (inner.summary) {
        const key = `${from}\u0000${to}\u0000${e.broken}`;
        const m = merged.get(key);
        if (m) { m.kind.add(e.kind); m.sources.push(i); } else merged.set(key, { from, to, kind: new Set([e.kind]), broken: e.broken, sources: [i], label: e.label });
        return;
      }
      edges.push({ ...base, id, from, to });
      return;
    }
    const av = a.v;
    const bv = b.v;
    if (av.summary || bv.summary) {
      if (e.broken) sums.get((bv.summary ?? av.summary)!.namespace)!.broken++;
      if (av === bv) return;
      // Between a collapsed namespace and another lane: merged, through references.
      let from = av.id;
      let to = bv.id;
      if (av.lane !== bv.lane) {
        if (!av.summary) to = reference(av.lane, bv, 'target');
        else if (!bv.summary) from = reference(bv.lane, av, 'source');
        else to = reference(av.lane, bv, 'target');
      }
      const key = `${from}\u0000${to}\u0000${e.broken}`;
      const m = merged.get(key);
      if (m) { m.kind.add(e.kind); m.sources.push(i); } else merged.set(key, { from, to, kind: new Set([e.kind]), broken: e.broken, sources: [i], label: e.label });
      return;
    }
    drawnEdges++;
    if (e.broken) drawnBroken++;
    if (av.lane !== bv.lane) {
      edges.push({ ...base, id: `e${i}s`, from: av.id, to: reference(av.lane, bv, 'target') });
      edges.push({ ...base, id: `e${i}t`, from: reference(bv.lane, av, 'source'), to: bv.id });
    } else {
      edges.push({ ...base, id: `e${i}`, from: av.id, to: bv.id });
    }
  });
  for (const m of merged.values()) {
    const kind = [...m.kind];
    const label = m.sources.length > 1 ? `${m.sources.length} × ${kind.join('/')}` : m.label;
    edges.push({ id: `m${m.sources[0]}`, from: m.from, to: m.to, kind: kind[0]!, label, broken: m.broken, reversed: false, sources: m.sources });
  }
  return { nodes, edges, collapsed: [...summaries.keys()].sort(), counts: { nodes: drawn.size, edges: drawnEdges, brokenEdges: drawnBroken } };
}

// ---------------------------------------------------------------- paths

export interface Highlight { readonly nodes: Set<string>; readonly edges: Set<string> }

/**
 * Every node and edge on a path (following traffic) through any of `ids`. Reference nodes stand
 * for the node they point to: paths continue through them into the other namespace.
 */
export function pathsThrough(v: Pick<ViewGraph, 'nodes' | 'edges'>, ids: Iterable<string>): Highlight {
  const canon = new Map<string, string>();
  for (const n of v.nodes) if (n.ref) canon.set(n.id, n.ref);
  const c = (id: string): string => canon.get(id) ?? id;
  const out = new Map<string, ViewEdge[]>();
  const inc = new Map<string, ViewEdge[]>();
  for (const e of v.edges) {
    const f = c(e.from);
    const t = c(e.to);
    (out.get(f) ?? out.set(f, []).get(f)!).push(e);
    (inc.get(t) ?? inc.set(t, []).get(t)!).push(e);
  }
  const on = new Set<string>();
  const hl = new Set<string>();
  for (const start of ids) {
    const s = c(start);
    on.add(s);
    for (const [adj, forward] of [[out, true], [inc, false]] as const) {
      const seen = new Set([s]);
      const stack = [s];
      while (stack.length) {
        const cur = stack.pop()!;
        for (const e of adj.get(cur) ?? []) {
          hl.add(e.id);
          const n = c(forward ? e.to : e.from);
          if (!seen.has(n)) { seen.add(n); on.add(n); stack.push(n); }
        }
      }
    }
  }
  // A reference node lights up when one of its own edges does (or it is what was selected).
  const nodes = new Set<string>();
  for (const n of v.nodes) if (!n.ref && on.has(n.id)) nodes.add(n.id);
  for (const e of v.edges) {
    if (!hl.has(e.id)) continue;
    if (canon.has(e.from)) nodes.add(e.from);
    if (canon.has(e.to)) nodes.add(e.to);
  }
  for (const id of ids) nodes.add(id);
  return { nodes, edges: hl };
}

/**
 * A traced request path: its nodes and the edges between consecutive ones (either direction), or,
 * when the trace gives them, exactly its edges (a request that branches over weights and pods).
 */
export function tracePath(
  v: Pick<ViewGraph, 'nodes' | 'edges'>, path: readonly string[], traceEdges?: readonly { readonly from: string; readonly to: string }[],
): Highlight {
  const canon = new Map<string, string>();
  for (const n of v.nodes) if (n.ref) canon.set(n.id, n.ref);
  const c = (id: string): string => canon.get(id) ?? id;
  const pairs = new Set<string>();
  const add = (a: string, b: string) => { pairs.add(`${a}\u0000${b}`); pairs.add(`${b}\u0000${a}`); };
  if (traceEdges) for (const e of traceEdges) add(e.from, e.to);
  else for (let i = 0; i + 1 < path.length; i++) add(path[i]!, path[i + 1]!);
  const nodes = new Set(path);
  const hl = new Set<string>();
  for (const e of v.edges) {
    if (!pairs.has(`${c(e.from)}\u0000${c(e.to)}`)) continue;
    hl.add(e.id);
    nodes.add(e.from);
    nodes.add(e.to);
  }
  return { nodes, edges: hl };
}

/** Fingerprint of what the layout depends on, to skip re-layout when only details changed. */
export function layoutKey(v: ViewGraph, labelOf: (n: ViewNode) => string): string {
  const parts: string[] = [];
  for (const n of v.nodes) parts.push(`${n.id}|${n.partition}|${labelOf(n)}`);
  for (const e of v.edges) parts.push(`${e.from}>${e.to}|${e.label}|${e.broken}`);
  return parts.join('\n');
}
