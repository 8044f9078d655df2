/**
 * Pure graph logic of the topology view (no DOM): kind groups and layers, icons, the facts shown
 * on a node, hover details, filtering, collapsing namespaces, and the paths through a node.
 * Everything here is data in, data out, so it is unit-tested in Node.
 */
import type { GraphEdge, GraphNode, TrafficGraph } from '../../server/src/protocol/webview';

export type { GraphEdge, GraphNode, TrafficGraph };

// ---------------------------------------------------------------- kinds

export const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet', 'ReplicationController']);

/**
 * The left-to-right column of a kind (ELK layer partition): entry points, Ingress/Gateway,
 * routes, Services, workloads and endpoints, External targets. A Missing ghost sits in the
 * column of the kind it stands for, so a broken reference points where the real thing would be.
 */
export function partitionOf(n: Pick<GraphNode, 'kind' | 'details'>): number {
  const kind = n.kind === 'Missing' && typeof n.details?.missingKind === 'string' ? n.details.missingKind : n.kind;
  if (kind === 'Entry') return 0;
  if (kind === 'Ingress' || kind === 'Gateway') return 1;
  if (ROUTE_KINDS.has(kind)) return 2;
  if (kind === 'Service') return 3;
  if (WORKLOAD_KINDS.has(kind) || kind === 'Endpoints' || kind === 'EndpointSlice') return 4;
  return 5;
}

/**
 * Codicon glyphs (code points of the codicon font, as in @vscode/codicons' codicon.css; a unit
 * test checks them against the installed CSS). Drawn as SVG text in the `codicon` font.
 */
export const CODICONS = {
  globe: 0xeb01, cloud: 0xebaa, server: 0xeb50, 'radio-tower': 0xeb34, 'sign-in': 0xea6f,
  'server-environment': 0xeba3, 'repo-forked': 0xea63, plug: 0xeb2d, layers: 0xebd2, database: 0xeace,
  'server-process': 0xeba2, play: 0xeb2c, watch: 0xeb7c, package: 0xeb29, target: 0xebf8,
  'link-external': 0xeb14, error: 0xea87, 'symbol-namespace': 0xea8b, 'expand-all': 0xeb95,
} as const;
export type CodiconName = keyof typeof CODICONS;

export function iconOf(n: Pick<GraphNode, 'id' | 'kind'>): CodiconName {
  switch (n.kind) {
    case 'Entry':
      return n.id === 'Entry/load-balancer' ? 'cloud' : n.id === 'Entry/nodes' ? 'server' : n.id === 'Entry/external-ips' ? 'radio-tower' : 'globe';
    case 'Ingress': return 'sign-in';
    case 'Gateway': return 'server-environment';
    case 'Service': return 'plug';
    case 'Deployment': case 'ReplicaSet': case 'ReplicationController': return 'layers';
    case 'StatefulSet': return 'database';
    case 'DaemonSet': return 'server-process';
    case 'Job': return 'play';
    case 'CronJob': return 'watch';
    case 'Pod': return 'package';
    case 'Endpoints': case 'EndpointSlice': return 'target';
    case 'External': return 'link-external';
    case 'Missing': return 'error';
    default: return ROUTE_KINDS.has(n.kind) ? 'repo-forked' : 'package';
  }
}

export const glyph = (name: CodiconName): string => String.fromCodePoint(CODICONS[name]);

// ---------------------------------------------------------------- facts and details

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function replicasText(v: unknown): string {
  if (typeof v === 'number') return v === 1 ? '1 replica' : `${v} replicas`;
  if (typeof v === 'string' && v) return v;
  return 'replicas ?';
}

/** The short line under a node's name: its kind and the one or two facts that matter. */
export function factsOf(n: GraphNode): string {
  const d = obj(n.details);
  const parts: string[] = [];
  switch (n.kind) {
    case 'Entry': {
      const e = str(d.entry);
      parts.push(e === 'nodes' ? 'NodePort' : e === 'load-balancer' ? 'LoadBalancer' : e === 'external-ips' ? 'externalIPs' : 'entry point');
      break;
    }
    case 'Service': {
      const exp = arr(d.exposure).map(str).filter(Boolean);
      const main = exp.length ? exp[exp.length - 1]! : str(d.type) || 'Service';
      parts.push(main.startsWith('ExternalName') ? 'ExternalName' : main);
      const ports = arr(d.ports).map((p) => str(obj(p).port)).filter(Boolean);
      if (ports.length) parts.push(`:${ports.slice(0, 3).join(', :')}${ports.length > 3 ? '…' : ''}`);
      if (d.selector === null && !main.startsWith('ExternalName')) parts.push('no selector');
      return `Service · ${parts.join(' · ')}`;
    }
    case 'Ingress': {
      const cls = str(d.ingressClassName);
      if (cls) parts.push(cls);
      const hosts = arr(d.hosts).length;
      if (hosts) parts.push(hosts === 1 ? '1 host' : `${hosts} hosts`);
      if (arr(d.tls).length) parts.push('TLS');
      break;
    }
    case 'Gateway': {
      const cls = str(d.gatewayClassName);
      if (cls) parts.push(cls);
      const ls = arr(d.listeners).map((l) => `${str(obj(l).protocol) || '?'} ${str(obj(l).port) || '?'}`);
      if (ls.length) parts.push(ls.slice(0, 2).join(', ') + (ls.length > 2 ? '…' : ''));
      break;
    }
    case 'External':
      parts.push('DNS name');
      break;
    case 'Missing':
      return `missing ${str(d.missingKind) || 'resource'}`;
    default:
      if (ROUTE_KINDS.has(n.kind)) {
        const h = arr(d.hostnames).map(str);
        if (h.length) parts.push(h[0]! + (h.length > 1 ? ` +${h.length - 1}` : ''));
      } else if (WORKLOAD_KINDS.has(n.kind)) {
        parts.push(replicasText(d.replicas));
      }
  }
  return [n.kind, ...parts].join(' · ');
}

/** Hover text of a node, as lines (rendered with textContent). */
export function detailLines(n: GraphNode): string[] {
  const d = obj(n.details);
  const out: string[] = [];
  const kv = (k: string, v: string): void => { if (v) out.push(`${k}: ${v}`); };
  const labels = (v: unknown): string => Object.entries(obj(v)).map(([k, x]) => `${k}=${str(x)}`).join(', ');
  kv('namespace', n.namespace ?? '');
  switch (n.kind) {
    case 'Service':
      kv('type', str(d.type));
      kv('exposure', arr(d.exposure).map(str).join(', '));
      kv('DNS', str(d.dns));
      if (d.selector === null) out.push('selector: none (endpoints managed by hand)');
      else kv('selector', labels(d.selector));
      for (const p of arr(d.ports).map(obj)) {
        const np = str(p.nodePort) ? ` (nodePort ${str(p.nodePort)})` : '';
        out.push(`port ${str(p.name) ? `${str(p.name)} ` : ''}${str(p.port) || '?'} → ${str(p.targetPort) || '?'}${np} ${str(p.protocol)}`.trimEnd());
      }
      break;
    case 'Ingress':
      kv('class', str(d.ingressClassName));
      kv('hosts', arr(d.hosts).map(str).join(', '));
      kv('TLS', arr(d.tls).map(str).join(', '));
      break;
    case 'Gateway':
      kv('class', str(d.gatewayClassName));
      for (const l of arr(d.listeners).map(obj)) out.push(`listener ${str(l.name) || '?'}: ${str(l.protocol) || '?'} ${str(l.port) || '?'}${str(l.hostname) ? ` ${str(l.hostname)}` : ''}`);
      break;
    case 'External':
      kv('DNS', str(d.dns));
      break;
    case 'Missing':
      out.push(`No ${str(d.missingKind) || 'resource'} ${n.name} in the workspace.`);
      break;
    case 'Entry':
      out.push('Traffic from outside the cluster.');
      break;
    default:
      if (ROUTE_KINDS.has(n.kind)) kv('hostnames', arr(d.hostnames).map(str).join(', '));
      else if (WORKLOAD_KINDS.has(n.kind)) {
        kv('replicas', replicasText(d.replicas));
        kv('pod labels', labels(d.labels));
        for (const c of arr(d.containers).map(obj)) {
          const ports = arr(c.ports).map(obj).map((p) => `${str(p.name) ? `${str(p.name)} ` : ''}${str(p.containerPort) || '?'}/${str(p.protocol) || 'TCP'}`);
          out.push(`container ${str(c.name) || '?'}${ports.length ? `: ${ports.join(', ')}` : ''}`);
        }
      } else {
        for (const [k, v] of Object.entries(d)) kv(k, typeof v === 'object' ? JSON.stringify(v) : str(v));
      }
  }
  if (n.file) out.push(`file: ${n.file}${n.range ? `:${n.range.start.line + 1}` : ''}`);
  return out.map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l));
}

/**
 * Edge labels wrapped into lines of at most `max` characters where possible, breaking after ", "
 * and before "→" or "(" (the space stays at the end of the line). Joined, the lines give back the label.
 */
export function wrapLabel(label: string, max = 30): string[] {
  if (label.length <= max) return label ? [label] : [];
  const tokens = label.split(/(?<=, )|(?<= )(?=→ )|(?<= )(?=\()/);
  const lines: string[] = [];
  let cur = '';
  for (const t of tokens) {
    if (cur && (cur + t).length > max) { lines.push(cur); cur = t; } else cur += t;
  }
  if (cur) lines.push(cur);
  if (lines.length <= 4) return lines;
  return [...lines.slice(0, 3), `${lines.slice(3).join('').slice(0, max - 1)}…`];
}

// ---------------------------------------------------------------- filtering

export interface FilterQuery {
  readonly terms: readonly { readonly field: 'any' | 'kind' | 'ns' | 'name' | 'label'; readonly value: string }[];
}

/** `kind:Service ns:shop label:app=web name:front free text`: every term must match (case-insensitive). */
export function parseFilter(text: string): FilterQuery {
  const terms: { field: 'any' | 'kind' | 'ns' | 'name' | 'label'; value: string }[] = [];
  for (const raw of text.trim().split(/\s+/)) {
    if (!raw) continue;
    const m = /^(kind|ns|namespace|name|label|l|k|n):(.*)$/i.exec(raw);
    const field = m ? m[1]!.toLowerCase() : 'any';
    const value = (m ? m[2]! : raw).toLowerCase();
    if (!value) continue;
    terms.push({ field: field === 'namespace' || field === 'n' ? 'ns' : field === 'k' ? 'kind' : field === 'l' ? 'label' : field as 'any' | 'kind' | 'name' | 'label', value });
  }
  return { terms };
}

function labelStrings(n: GraphNode): string[] {
  const d = obj(n.details);
  return [...Object.entries(obj(d.labels)), ...Object.entries(obj(d.selector))].map(([k, v]) => `${k}=${str(v)}`.toLowerCase());
}

export function matchesFilter(n: GraphNode, q: FilterQuery): boolean {
  for (const t of q.terms) {
    const kind = (n.kind === 'Missing' ? `missing ${str(obj(n.details).missingKind)}` : n.kind).toLowerCase();
    const ns = (n.namespace ?? '').toLowerCase();
    const name = n.name.toLowerCase();
    const ok = t.field === 'kind' ? kind.includes(t.value)
      : t.field === 'ns' ? ns.includes(t.value)
        : t.field === 'name' ? name.includes(t.value)
          : t.field === 'label' ? labelStrings(n).some((l) => l.includes(t.value))
            : name.includes(t.value) || kind.includes(t.value) || ns.includes(t.value) || labelStrings(n).some((l) => l.includes(t.value));
    if (!ok) return false;
  }
  return true;
}

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
export function isReversedKind(kind: string, to?: Pick<GraphNode, 'kind' | 'details'>): boolean {
  if (kind === 'attaches') return !to || partitionOf(to) !== partitionOf({ kind: 'Service', details: {} });
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
