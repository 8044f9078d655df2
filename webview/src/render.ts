/**
 * Draws a computed layout as SVG. Every string from the graph goes through textContent or an
 * attribute value (see dom.ts).
 */
import { svg } from './dom';
import { ICON_SPACE, type Layout, type PlacedEdge, type PlacedNode } from './layout';
import { glyph, groupClassOf, iconOf } from './kinds';
import { canonicalOf, isCrossRef, type ViewNode } from './model';

export interface Scene {
  readonly root: SVGGElement;
  /** Drawn node id -> element. */
  readonly nodes: Map<string, SVGGElement>;
  /** Canonical id (graph id or summary id) -> drawn node ids. */
  readonly instances: Map<string, string[]>;
  readonly edges: Map<string, { g: SVGGElement; label?: SVGGElement; edge: PlacedEdge }>;
  /** Namespace boxes; `maxFont`: the largest label size that stays inside the box (labels grow when zoomed out). */
  readonly namespaces: Map<string, { g: SVGGElement; label: SVGTextElement; rect: SVGRectElement; top: number; maxFont: number }>;
}

/** CSS class of a node's colour group. */
export function groupOf(n: ViewNode): string {
  if (n.summary) return 'g-namespace';
  return n.node ? groupClassOf(n.node) : 'g-other';
}

export function ariaLabelOf(n: ViewNode, facts: string): string {
  if (n.summary && !n.ref) return `Namespace ${n.name}, collapsed: ${facts}. Press Enter to expand.`;
  const where = n.namespace ? ` in namespace ${n.namespace}` : '';
  const ref = isCrossRef(n) ? 'Reference to ' : '';
  return `${ref}${n.kind === 'Missing' ? 'Missing' : n.kind} ${n.name}${where}: ${facts}`;
}

/** An orthogonal polyline with rounded corners. */
export function pathData(points: readonly { x: number; y: number }[], radius = 6): string {
  if (!points.length) return '';
  const f = (v: number): string => (Math.round(v * 10) / 10).toString();
  let d = `M${f(points[0]!.x)},${f(points[0]!.y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const prev = points[i - 1]!;
    const next = points[i + 1];
    if (!next) { d += `L${f(p.x)},${f(p.y)}`; break; }
    const d1 = Math.hypot(p.x - prev.x, p.y - prev.y);
    const d2 = Math.hypot(next.x - p.x, next.y - p.y);
    const r = Math.min(radius, d1 / 2, d2 / 2);
    if (r < 0.5) { d += `L${f(p.x)},${f(p.y)}`; continue; }
    const ax = p.x - ((p.x - prev.x) / d1) * r;
    const ay = p.y - ((p.y - prev.y) / d1) * r;
    const bx = p.x + ((next.x - p.x) / d2) * r;
    const by = p.y + ((next.y - p.y) / d2) * r;
    d += `L${f(ax)},${f(ay)}Q${f(p.x)},${f(p.y)} ${f(bx)},${f(by)}`;
  }
  return d;
}

export function defs(parent: SVGSVGElement): void {
  const d = svg('defs', {}, parent);
  for (const [id, cls] of [['kt-arrow', 'arrow'], ['kt-arrow-broken', 'arrow arrow-broken'], ['kt-arrow-hl', 'arrow arrow-hl']] as const) {
    const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse', class: cls }, d);
    svg('path', { d: 'M0,1 L10,5 L0,9 z' }, m);
  }
}

export function renderScene(parent: SVGGElement, layout: Layout, collapsed: ReadonlySet<string> = new Set()): Scene {
  while (parent.firstChild) parent.firstChild.remove();
  const root = svg('g', { class: 'scene-content' }, parent);
  const nsLayer = svg('g', { class: 'layer-namespaces' }, root);
  const edgeLayer = svg('g', { class: 'layer-edges' }, root);
  const nodeLayer = svg('g', { class: 'layer-nodes' }, root);
  const labelLayer = svg('g', { class: 'layer-labels' }, root);
  // Namespace names above everything: zoomed far out they grow over their box's content.
  const nsLabelLayer = svg('g', { class: 'layer-ns-labels' }, root);

  const namespaces = new Map<string, { g: SVGGElement; label: SVGTextElement; rect: SVGRectElement; top: number; maxFont: number }>();
  for (const ns of layout.namespaces) {
    const g = svg('g', { class: 'namespace', 'data-namespace': ns.name }, nsLayer);
    const rect = svg('rect', { class: 'ns-box', x: ns.x, y: ns.y, width: ns.width, height: ns.height, rx: 8 }, g);
    const shown = ns.name === '(none)' ? 'no namespace' : ns.name;
    const isCollapsed = collapsed.has(ns.name);
    if (isCollapsed) g.classList.add('collapsed');
    const label = svg('text', { class: 'ns-label', 'data-namespace': ns.name, x: ns.x + 12, y: ns.y + 21, tabindex: 0, role: 'button', 'aria-expanded': String(!isCollapsed), 'aria-label': `Namespace ${shown}: ${isCollapsed ? 'expand' : 'collapse'}` }, nsLabelLayer);
    const icon = svg('tspan', { class: 'ns-icon codicon-glyph' }, label);
    icon.textContent = `${glyph('symbol-namespace')} `;
    const name = svg('tspan', { class: 'ns-name' }, label);
    name.textContent = shown;
    namespaces.set(ns.name, { g, label, rect, top: ns.y, maxFont: Math.max(13, Math.min(ns.height - 10, (1.6 * (ns.width - 20)) / (shown.length + 2))) });
  }

  const edges = new Map<string, { g: SVGGElement; label?: SVGGElement; edge: PlacedEdge }>();
  const nodeOf = (id: string): PlacedNode | undefined => layout.nodes.get(id);
  for (const e of layout.edges) {
    const v = e.view;
    const from = nodeOf(v.from)?.view;
    const to = nodeOf(v.to)?.view;
    const cls = `edge k-${v.kind}${v.broken ? ' broken' : ''}${v.policyDenied ? ' policy-denied' : ''}`;
    const g = svg('g', {
      class: cls, 'data-id': v.id, 'data-kind': v.kind, 'data-broken': String(v.broken),
      'data-from': from ? canonicalOf(from) : v.from, 'data-to': to ? canonicalOf(to) : v.to, 'data-sources': v.sources.join(' '),
    }, edgeLayer);
    const d = pathData(e.points);
    svg('path', { class: 'edge-hit', d }, g);
    svg('path', { class: 'edge-line', d, 'marker-end': `url(#${v.broken ? 'kt-arrow-broken' : 'kt-arrow'})` }, g);
    let label: SVGGElement | undefined;
    if (e.label && e.label.lines.length) {
      const l = e.label;
      label = svg('g', { class: `edge-label${v.broken ? ' broken' : ''}${v.policyDenied ? ' policy-denied' : ''}`, 'data-edge': v.id }, labelLayer);
      svg('rect', { class: 'label-bg', x: l.x - 1, y: l.y, width: l.width + 2, height: l.height, rx: 3 }, label);
      const text = svg('text', { class: 'label-text', x: l.x + 3, y: l.y + 12 }, label);
      l.lines.forEach((line, i) => {
        const weight = v.weight !== undefined && i === l.lines.length - 1 ? /^(.*?)(\(\d+%\))$/.exec(line) : null;
        if (weight) {
          const a = svg('tspan', i ? { x: l.x + 3, dy: 14 } : {}, text);
          a.textContent = weight[1]!;
          const b = svg('tspan', { class: 'weight' }, text);
          b.textContent = weight[2]!;
        } else {
          const t = svg('tspan', i ? { x: l.x + 3, dy: 14 } : {}, text);
          t.textContent = line;
        }
      });
    }
    edges.set(v.id, { g, ...(label ? { label } : {}), edge: e });
  }

  const nodes = new Map<string, SVGGElement>();
  const instances = new Map<string, string[]>();
  for (const p of layout.nodes.values()) {
    const n = p.view;
    const classes = ['node', groupOf(n)];
    if (isCrossRef(n)) classes.push('ref');
    if (n.summary && !n.ref) classes.push('summary');
    if (n.summary && n.summary.broken) classes.push('has-broken');
    const canonical = canonicalOf(n);
    const g = svg('g', {
      class: classes.join(' '), 'data-id': n.id, 'data-node': canonical, 'data-kind': n.kind,
      transform: `translate(${Math.round(p.x * 10) / 10},${Math.round(p.y * 10) / 10})`,
      tabindex: -1, role: 'button', 'aria-label': ariaLabelOf(n, p.facts),
    }, nodeLayer);
    if (n.namespace) g.setAttribute('data-namespace', n.namespace);
    const pill = n.kind === 'Entry' || n.kind === 'External';
    svg('rect', { class: 'node-box', width: p.width, height: p.height, rx: pill ? p.height / 2 : 5 }, g);
    if (!pill && n.kind !== 'Missing' && !isCrossRef(n)) svg('rect', { class: 'node-accent', x: 0, y: 0, width: 4, height: p.height, rx: 2 }, g);
    const icon = svg('text', { class: 'node-icon codicon-glyph', x: pill ? 20 : ICON_SPACE / 2 + 1, y: p.height / 2 + 1 }, g);
    icon.textContent = glyph(n.summary ? 'expand-all' : n.node ? iconOf(n.node) : 'package');
    const name = svg('text', { class: 'node-name', x: pill ? 38 : ICON_SPACE, y: 17 }, g);
    name.textContent = p.name;
    const facts = svg('text', { class: 'node-facts', x: pill ? 38 : ICON_SPACE, y: 31 }, g);
    facts.textContent = p.facts;
    // The name alone, for the compact level of detail (lod.ts fills it in and sizes it).
    svg('text', { class: 'node-compact', x: pill ? p.height / 2 : 10, y: p.height / 2 + 1, 'data-pill': String(pill) }, g);
    nodes.set(n.id, g);
    const list = instances.get(canonical) ?? [];
    list.push(n.id);
    instances.set(canonical, list);
  }
  return { root, nodes, instances, edges, namespaces };
}
