/**
 * What the view shows of the graph: the filter (which drawn nodes and edges pass), and the
 * highlight (every path through the selected nodes, or the traced request), with the rest dimmed.
 */
import {
  canonicalOf, pathsThrough, tracePath, type GraphNode, type Highlight,
} from './model';
import { matchesFilter, parseFilter } from './nodeText';
import type { Store } from './store';

/** Applies the filter text to the scene; `store.visible` gets the drawn ids that pass. */
export function applyFilter(store: Store, svgEl: SVGSVGElement): void {
  const scene = store.scene;
  if (!scene) return;
  const q = parseFilter(store.filterText);
  const active = q.terms.length > 0;
  store.visible = new Set();
  for (const [id, el] of scene.nodes) {
    const v = store.viewNodes.get(id);
    let ok = true;
    if (active && v) {
      if (v.node) ok = matchesFilter(v.node, q);
      else ok = matchesFilter({ id: v.id, kind: 'Namespace', name: v.name, namespace: v.summary?.namespace ?? v.name, details: {} } as GraphNode, q);
    }
    el.classList.toggle('filtered-out', !ok);
    if (ok) store.visible.add(id);
  }
  for (const { g, label, edge } of scene.edges.values()) {
    const ok = !active || (store.visible.has(edge.view.from) && store.visible.has(edge.view.to));
    g.classList.toggle('filtered-out', !ok);
    label?.classList.toggle('filtered-out', !ok);
  }
  if (store.layout) {
    const used = new Set<string>();
    for (const id of store.visible) { const b = store.viewNodes.get(id)?.box; if (b !== undefined) used.add(b); }
    for (const [ns, { g, label }] of scene.namespaces) {
      g.classList.toggle('filtered-out', active && !used.has(ns));
      label.classList.toggle('filtered-out', active && !used.has(ns));
    }
  }
  svgEl.classList.toggle('filtering', active);
}

/** The traced request if one is lit, else the paths through the selection. */
export function currentHighlight(store: Store): Highlight | undefined {
  if (!store.view) return undefined;
  if (store.trace.length) return tracePath(store.view, store.trace, store.traceEdges);
  if (store.selected.size) return pathsThrough(store.view, store.selected);
  return undefined;
}

/** Marks the highlighted nodes and edges (and the selected nodes), dimming the rest. */
export function paintHighlight(store: Store, svgEl: SVGSVGElement, hl: Highlight | undefined): void {
  const scene = store.scene;
  if (!scene) return;
  svgEl.classList.toggle('dimmed', !!hl);
  svgEl.classList.toggle('tracing', store.trace.length > 0);
  for (const [id, el] of scene.nodes) {
    const v = store.viewNodes.get(id);
    const canonical = v ? canonicalOf(v) : id;
    // A reference lights up only when its own edges are on the path (model.pathsThrough).
    el.classList.toggle('hl', !!hl && (hl.nodes.has(id) || (!v?.ref && hl.nodes.has(canonical))));
    const sel = store.selected.has(canonical);
    el.classList.toggle('selected', sel);
    el.setAttribute('aria-pressed', String(sel));
  }
  for (const [id, { g, label }] of scene.edges) {
    const on = !!hl && hl.edges.has(id);
    g.classList.toggle('hl', on);
    label?.classList.toggle('hl', on);
    const line = g.querySelector('.edge-line');
    line?.setAttribute('marker-end', `url(#${on ? 'kt-arrow-hl' : g.classList.contains('broken') ? 'kt-arrow-broken' : 'kt-arrow'})`);
  }
  if (hl) {
    // Highlighted edges are drawn above the dimmed ones.
    const layer = scene.root.querySelector('.layer-edges');
    if (layer) for (const id of hl.edges) { const e = scene.edges.get(id); if (e) layer.appendChild(e.g); }
  }
}

/** Drawn ids lit by a highlight (a graph id lights its drawn instances, references only on the path). */
export function litNodes(store: Store, hl: Highlight): string[] {
  const scene = store.scene;
  if (!scene) return [];
  const out: string[] = [];
  for (const id of scene.nodes.keys()) {
    const v = store.viewNodes.get(id);
    if (hl.nodes.has(id) || (!!v && !v.ref && hl.nodes.has(canonicalOf(v)))) out.push(id);
  }
  return out;
}
