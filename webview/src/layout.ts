/**
 * Layout with elkjs (layered algorithm, left to right, orthogonal routing). No DOM here: text
 * sizes come from a `measure` function, so Node runs it too (unit tests).
 *
 * Three levels, each laid out by ELK with hierarchy handling SEPARATE_CHILDREN:
 * - a namespace box: one column per kind group, enforced with layer partitions (ELK ignores
 *   partitions inside INCLUDE_CHILDREN compounds, so each box is its own layered layout);
 * - its lane: entry points left of the box, external targets right of it. Edges between them and
 *   the box's nodes go through ports on the box's sides: ELK routes the inner part with the box
 *   and the outer part with the lane;
 * - the root: lanes packed into rows (rectpacking), so many namespaces fill the screen instead of
 *   one very tall column. Lanes share no edges (model.ts draws cross-namespace edges through references).
 *
 * Edge labels are ELK nodes of their own, in a column of their own just left of the column the
 * edge goes to (partition 2k-1 for nodes in partition 2k), with fixed ports in the middle of
 * their sides: the edge runs through its label, and every kind column stays one straight column
 * (ELK's own centre-label dummies shift nodes of one partition into different layers).
 */
import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import { classifyNode } from '../../server/src/protocol/webview';
import { isCrossRef, NO_NAMESPACE, type ViewEdge, type ViewGraph, type ViewNode } from './model';
import { factsOf, wrapLabel } from './nodeText';

export interface ElkLike { layout(graph: ElkNode): Promise<ElkNode> }

export type Measure = (text: string, font: 'name' | 'facts' | 'label') => number;

export const NODE_HEIGHT = 40;
export const ICON_SPACE = 34;
export const LABEL_LINE = 14;
const MIN_W = 140;
const MAX_W = 232;

export interface Box { x: number; y: number; width: number; height: number }
export interface PlacedNode extends Box { readonly view: ViewNode; readonly name: string; readonly facts: string }
export interface PlacedLabel extends Box { readonly lines: string[] }
export interface PlacedEdge { readonly view: ViewEdge; readonly points: { x: number; y: number }[]; readonly label?: PlacedLabel }
export interface PlacedNamespace extends Box { readonly name: string }
export interface Layout {
  readonly nodes: Map<string, PlacedNode>;
  readonly edges: PlacedEdge[];
  readonly namespaces: PlacedNamespace[];
  readonly width: number;
  readonly height: number;
}

/** Fits `text` into `max` pixels, cutting it with an ellipsis. */
export function fit(text: string, max: number, measure: (t: string) => number): string {
  if (measure(text) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(`${text.slice(0, mid)}…`) <= max) lo = mid; else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export function nodeText(n: ViewNode): { name: string; facts: string } {
  if (n.summary) {
    if (n.ref) return { name: n.name, facts: 'collapsed namespace ↗' };
    return { name: n.name, facts: `${n.summary.count} resources${n.summary.broken ? ` · ${n.summary.broken} broken` : ''} · expand` };
  }
  if (isCrossRef(n)) {
    const ns = n.namespace ?? '';
    return { name: ns ? `${ns}/${n.name}` : n.name, facts: `${n.kind} ↗` };
  }
  if (n.kind === 'Entry') {
    const entry = ENTRY_TEXT[n.ref ?? n.id];
    if (entry) return entry;
  }
  return { name: n.name || '(unnamed)', facts: n.node ? factsOf(n.node) : n.kind };
}

/** Short names for the entry points (the graph's names are written for prose). */
const ENTRY_TEXT: Record<string, { name: string; facts: string }> = {
  'Entry/internet': { name: 'Internet', facts: 'via Ingress / Gateway' },
  'Entry/load-balancer': { name: 'Load balancer', facts: 'cloud LoadBalancer' },
  'Entry/nodes': { name: 'Node ports', facts: 'on every node' },
  'Entry/external-ips': { name: 'External IPs', facts: 'externalIPs' },
};

/**
 * The label drawn on an edge. A route's backends repeat the route's only hostname, which its node
 * already shows: drawn without it ("/api → 80 (90%)"); the full label is in the hover.
 */
export function displayLabel(e: ViewEdge, from: ViewNode | undefined): string {
  const c = from?.node && classifyNode(from.node);
  if (e.kind === 'routes' && c && c.family === 'route') {
    const hosts = c.node.details.hostnames;
    const host = hosts.length === 1 ? hosts[0] : hosts.length === 0 ? '*' : undefined;
    if (host && e.label.startsWith(host) && /^[/ ]/.test(e.label.slice(host.length))) return e.label.slice(host.length).trimStart();
  }
  return e.label;
}

const common = (spacing: number): LayoutOptions => ({
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.partitioning.activate': 'true',
  // Partitions only order nodes within one connected component: keep the graph whole.
  'elk.separateConnectedComponents': 'false',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': String(spacing),
  'elk.spacing.edgeNode': '10',
  'elk.spacing.edgeEdge': '7',
  'elk.layered.spacing.nodeNodeBetweenLayers': '16',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '7',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
});

/** Column of a node outside the boxes, in its lane: entry points 0, the box (or summary) 2, external targets 4. */
const lanePartitionOf = (n: ViewNode): number => (n.summary && !n.ref ? 2 : n.partition === 0 ? 0 : n.partition >= 5 ? 4 : 2);

interface Chain {
  /** ELK edge ids whose routes, concatenated, draw the edge. */
  readonly segments: string[];
  readonly label?: string;
  readonly lines: string[];
}

export async function layout(elk: ElkLike, v: ViewGraph, measure: Measure, aspectRatio = 1.6, onProgress?: (done: number, total: number) => void): Promise<Layout> {
  const big = v.nodes.length > 300;
  const placed = new Map<string, { name: string; facts: string; width: number }>();
  // Nodes of one column share the widest one's width: clean straight columns.
  const colKey = (n: ViewNode): string => `${n.box ?? `lane:${n.lane}`}|${n.box === undefined ? lanePartitionOf(n) : n.partition}`;
  const colWidth = new Map<string, number>();
  const texts = new Map<string, { name: string; facts: string; pill: boolean }>();
  for (const n of v.nodes) {
    const t = nodeText(n);
    const pill = n.kind === 'Entry' || n.kind === 'External';
    const w = Math.min(MAX_W, Math.max(MIN_W, ICON_SPACE + (pill ? 24 : 12) + Math.max(measure(t.name, 'name'), measure(t.facts, 'facts'))));
    texts.set(n.id, { ...t, pill });
    colWidth.set(colKey(n), Math.max(colWidth.get(colKey(n)) ?? 0, w));
  }
  const mk = (n: ViewNode, partition: number): ElkNode => {
    const t = texts.get(n.id)!;
    const w = Math.ceil(colWidth.get(colKey(n))!);
    const inner = w - ICON_SPACE - (t.pill ? 24 : 12);
    placed.set(n.id, { name: fit(t.name, inner, (s) => measure(s, 'name')), facts: fit(t.facts, inner, (s) => measure(s, 'facts')), width: w });
    return { id: n.id, width: w, height: NODE_HEIGHT, layoutOptions: { 'elk.partitioning.partition': String(partition) } };
  };
  const lanes = new Map<string, ElkNode>();
  const boxes = new Map<string, ElkNode>();
  const laneOf = (name: string): ElkNode => {
    let lane = lanes.get(name);
    if (!lane) {
      lane = { id: `lane:${name}`, children: [], edges: [], layoutOptions: { ...common(big ? 12 : 16), 'elk.padding': '[top=6,left=6,bottom=6,right=6]' } };
      lanes.set(name, lane);
    }
    return lane;
  };
  // Columns: nodes of kind partition p in 2p; labels in the odd columns between.
  const lanePartition = lanePartitionOf;
  const column = new Map<string, number>();
  const nodeById = new Map(v.nodes.map((n) => [n.id, n]));
  for (const n of v.nodes) {
    const lane = laneOf(n.lane);
    if (n.box === undefined) {
      column.set(n.id, lanePartition(n));
      lane.children!.push(mk(n, lanePartition(n)));
      continue;
    }
    let box = boxes.get(n.box);
    if (!box) {
      box = {
        id: `ns:${n.box}`, children: [], edges: [], ports: [],
        layoutOptions: {
          ...common(big ? 8 : 10), 'elk.padding': '[top=32,left=10,bottom=10,right=10]',
          'elk.portConstraints': 'FIXED_SIDE', 'elk.partitioning.partition': '2',
          // A collapsed namespace stays a tile big enough to find in the overview.
          ...(v.collapsed.includes(n.box) ? { 'elk.nodeSize.constraints': 'MINIMUM_SIZE', 'elk.nodeSize.minimum': '(520, 200)', 'elk.contentAlignment': 'V_CENTER H_CENTER' } : {}),
        },
      };
      boxes.set(n.box, box);
      lane.children!.push(box);
    }
    column.set(n.id, 2 * n.partition);
    box.children!.push(mk(n, 2 * n.partition));
  }

  const labelNode = (container: ElkNode, id: string, lines: string[], partition: number): string => {
    const width = Math.ceil(Math.max(...lines.map((l) => measure(l, 'label')))) + 8;
    const height = lines.length * LABEL_LINE + 4;
    const ports: ElkPort[] = [
      { id: `${id}.w`, x: 0, y: height / 2, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'WEST' } },
      { id: `${id}.e`, x: width, y: height / 2, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'EAST' } },
    ];
    container.children!.push({
      id, width, height, ports,
      layoutOptions: { 'elk.partitioning.partition': String(partition), 'elk.portConstraints': 'FIXED_POS' },
    });
    return id;
  };
  const chains = new Map<string, Chain>();
  const edge = (container: ElkNode, id: string, from: string, to: string): string => {
    (container.edges as ElkExtendedEdge[]).push({ id, sources: [from], targets: [to] });
    return id;
  };
  for (const e of v.edges) {
    const a = nodeById.get(e.from)!;
    const b = nodeById.get(e.to)!;
    const text = displayLabel(e, a);
    const lines = wrapLabel(text, 26);
    const lane = laneOf(a.lane);
    // The label sits in the odd column just left of the edge's target (or right of its source).
    const labelColumn = (fromCol: number, toCol: number): number => (toCol > fromCol ? toCol - 1 : fromCol + 1);
    if (a.box === b.box) {
      const container = a.box === undefined ? lane : boxes.get(a.box)!;
      if (!lines.length) { chains.set(e.id, { segments: [edge(container, e.id, e.from, e.to)], lines }); continue; }
      const l = labelNode(container, `${e.id}:L`, lines, labelColumn(column.get(a.id)!, column.get(b.id)!));
      chains.set(e.id, { segments: [edge(container, `${e.id}:a`, e.from, `${l}.w`), edge(container, `${e.id}:b`, `${l}.e`, e.to)], label: l, lines });
      continue;
    }
    // One end in the box, the other beside it in the lane: through a port on the box's side.
    const incoming = b.box !== undefined;
    const box = boxes.get((incoming ? b.box : a.box)!)!;
    const port = `${box.id}.${e.id}`;
    box.ports!.push({ id: port, width: 0, height: 0, layoutOptions: { 'elk.port.side': incoming ? 'WEST' : 'EAST' } });
    const inner = incoming ? b : a;
    const segments: string[] = [];
    let label: string | undefined;
    if (incoming) segments.push(edge(lane, `${e.id}:out`, e.from, port));
    if (lines.length) {
      label = labelNode(box, `${e.id}:L`, lines, incoming ? column.get(inner.id)! - 1 : column.get(inner.id)! + 1);
      if (incoming) segments.push(edge(box, `${e.id}:a`, port, `${label}.w`), edge(box, `${e.id}:b`, `${label}.e`, e.to));
      else segments.push(edge(box, `${e.id}:a`, e.from, `${label}.w`), edge(box, `${e.id}:b`, `${label}.e`, port));
    } else {
      segments.push(edge(box, `${e.id}:in`, incoming ? port : e.from, incoming ? e.to : port));
    }
    if (!incoming) segments.push(edge(lane, `${e.id}:out`, port, e.to));
    chains.set(e.id, { segments, ...(label ? { label } : {}), lines });
  }

  // Lanes in namespace order, the unnamespaced one last.
  const laneList = [...lanes.entries()].sort(([a], [b]) => (a === NO_NAMESPACE ? 1 : b === NO_NAMESPACE ? -1 : a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l);
  if (big) for (const c of [...lanes.values(), ...boxes.values()]) c.layoutOptions = { ...c.layoutOptions, 'elk.layered.thoroughness': '3' };
  // One ELK run per lane (they share no edges): between runs the page handles input and paints.
  const laid: ElkNode[] = [];
  for (const [i, lane] of laneList.entries()) {
    onProgress?.(i, laneList.length);
    laid.push(await elk.layout(lane));
  }
  const out: ElkNode = { id: 'root', children: laid, width: 0, height: 0 };
  await packLanes(elk, out, aspectRatio);

  const nodes = new Map<string, PlacedNode>();
  const namespaces: PlacedNamespace[] = [];
  const elkEdges = new Map<string, ElkExtendedEdge>();
  const elkNodes = new Map<string, ElkNode>();
  const visit = (n: ElkNode): void => {
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) elkEdges.set(e.id, e);
    for (const c of n.children ?? []) {
      elkNodes.set(c.id, c);
      if (c.id.startsWith('lane:')) { visit(c); continue; }
      if (c.id.startsWith('ns:')) {
        namespaces.push({ name: c.id.slice(3), x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
        visit(c);
        continue;
      }
      const view = nodeById.get(c.id);
      const p = placed.get(c.id);
      if (view && p) nodes.set(c.id, { view, name: p.name, facts: p.facts, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? p.width, height: c.height ?? NODE_HEIGHT });
    }
  };
  visit(out);
  const placedEdges: PlacedEdge[] = [];
  for (const e of v.edges) {
    const chain = chains.get(e.id)!;
    const points: { x: number; y: number }[] = [];
    for (const id of chain.segments) {
      for (const s of elkEdges.get(id)?.sections ?? []) {
        for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]) {
          const last = points[points.length - 1];
          if (!last || Math.abs(last.x - p.x) > 0.01 || Math.abs(last.y - p.y) > 0.01) points.push({ x: p.x, y: p.y });
        }
      }
    }
    const l = chain.label ? elkNodes.get(chain.label) : undefined;
    placedEdges.push({
      view: e, points: straighten(points),
      ...(l ? { label: { lines: chain.lines, x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : {}),
    });
  }
  return { nodes, edges: placedEdges, namespaces, width: out.width ?? 0, height: out.height ?? 0 };
}

/**
 * Packs the lanes into rows with ELK's rectpacking, choosing the row width (and lane order:
 * by name, or by size) that lets the whole drawing fit the viewport's aspect ratio at the largest
 * scale, then moves each lane's contents to its packed place.
 */
async function packLanes(elk: ElkLike, out: ElkNode, aspectRatio: number): Promise<void> {
  const lanes = (out.children ?? []).filter((c) => c.id.startsWith('lane:'));
  if (lanes.length === 0) return;
  if (lanes.length === 1) {
    const lane = lanes[0]!;
    shift(lane, 12 - (lane.x ?? 0), 12 - (lane.y ?? 0));
    out.width = (lane.width ?? 0) + 24;
    out.height = (lane.height ?? 0) + 24;
    return;
  }
  const widths = lanes.map((l) => l.width ?? 0);
  const maxW = Math.max(...widths);
  const total = widths.reduce((a, b) => a + b, 0);
  let best: { scale: number; w: number; h: number; pos: Map<string, { x: number; y: number }> } | undefined;
  const spacing = 24;
  const padding = 12;
  const all = total + spacing * lanes.length;
  const tried = new Map<number, number>();
  const tryWidth = async (target: number): Promise<number> => {
    const key = Math.round(target);
    const known = tried.get(key);
    if (known !== undefined) return known;
    const packed = await elk.layout({
      id: 'pack',
      layoutOptions: {
        'elk.algorithm': 'rectpacking', 'elk.aspectRatio': String(aspectRatio), 'elk.spacing.nodeNode': String(spacing),
        'elk.padding': `[top=${padding},left=${padding},bottom=${padding},right=${padding}]`,
        'elk.rectpacking.widthApproximation.strategy': 'TARGET_WIDTH', 'elk.rectpacking.widthApproximation.targetWidth': String(key),
      },
      children: lanes.map((l) => ({ id: l.id, width: l.width ?? 0, height: l.height ?? 0 })),
    });
    const w = packed.width ?? 1;
    const h = packed.height ?? 1;
    const scale = Math.min(aspectRatio / w, 1 / h);
    tried.set(key, scale);
    if (!best || scale > best.scale * 1.005) best = { scale, w, h, pos: new Map((packed.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }])) };
    return scale;
  };
  // Coarse steps from the widest lane to one single row, then finer around the best.
  let bestTarget = maxW;
  let bestScale = 0;
  for (let t = maxW; ; t = Math.min(all, t * 1.4)) {
    const sc = await tryWidth(t);
    if (sc > bestScale) { bestScale = sc; bestTarget = t; }
    if (t >= all) break;
  }
  for (const f of [0.8, 0.9, 1.1, 1.2]) if (bestTarget * f >= maxW && bestTarget * f <= all) await tryWidth(bestTarget * f);
  if (!best) return;
  for (const lane of lanes) {
    const p = best.pos.get(lane.id);
    if (!p) continue;
    const dx = p.x - (lane.x ?? 0);
    const dy = p.y - (lane.y ?? 0);
    if (dx || dy) shift(lane, dx, dy);
  }
  out.width = best.w;
  out.height = best.h;
}

/** Moves a laid-out subtree (root coordinates) by dx, dy. */
function shift(n: ElkNode, dx: number, dy: number): void {
  n.x = (n.x ?? 0) + dx;
  n.y = (n.y ?? 0) + dy;
  for (const p of n.ports ?? []) { p.x = (p.x ?? 0) + dx; p.y = (p.y ?? 0) + dy; }
  for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
    for (const s of e.sections ?? []) {
      s.startPoint = { x: s.startPoint.x + dx, y: s.startPoint.y + dy };
      s.endPoint = { x: s.endPoint.x + dx, y: s.endPoint.y + dy };
      if (s.bendPoints) s.bendPoints = s.bendPoints.map((b) => ({ x: b.x + dx, y: b.y + dy }));
    }
  }
  for (const c of n.children ?? []) shift(c, dx, dy);
}

/** Drops points in the middle of straight runs (where ELK's segments meet). */
function straighten(points: { x: number; y: number }[]): { x: number; y: number }[] {
  if (points.length < 3) return points;
  const out = [points[0]!];
  for (let i = 1; i < points.length - 1; i++) {
    const a = out[out.length - 1]!;
    const b = points[i]!;
    const c = points[i + 1]!;
    const collinear = (Math.abs(a.x - b.x) < 0.01 && Math.abs(b.x - c.x) < 0.01) || (Math.abs(a.y - b.y) < 0.01 && Math.abs(b.y - c.y) < 0.01);
    if (!collinear) out.push(b);
  }
  out.push(points[points.length - 1]!);
  return out;
}
