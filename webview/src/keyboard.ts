/**
 * The keyboard: one tab stop in the graph (roving tabindex), arrows to the next node along the
 * edges (left/right) or between rows (up/down), Enter/Space on nodes and namespace titles, and
 * the view's keys (+ - 0 / m Escape) outside text fields.
 */
import { canonicalOf } from './model';
import type { Store } from './store';

export interface KeyActions {
  toggleNamespace(name: string): void;
  moveTo(id: string): void;
  /** Enter on a node: select it and open its manifest (expand, for a collapsed namespace). */
  activate(id: string): void;
  toggleSelected(canonicalId: string): void;
  clear(): void;
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  focusFilter(): void;
  toggleMinimap(): void;
}

export function wireKeyboard(svgEl: SVGSVGElement, store: Store, act: KeyActions): void {
  svgEl.addEventListener('keydown', (ev) => {
    const ns = ev.target instanceof Element ? ev.target.closest('.ns-label') : null;
    const id = ev.target instanceof Element ? ev.target.closest('.node')?.getAttribute('data-id') ?? undefined : undefined;
    if (ns && (ev.key === 'Enter' || ev.key === ' ')) {
      const name = ns.getAttribute('data-namespace');
      if (name) act.toggleNamespace(name);
      ev.preventDefault();
      return;
    }
    if (!id) return;
    if (ev.key.startsWith('Arrow')) {
      const next = navigate(store, id, ev.key);
      if (next) act.moveTo(next);
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      act.activate(id);
      ev.preventDefault();
    } else if (ev.key === ' ') {
      const v = store.viewNodes.get(id);
      if (v?.summary && !v.ref) act.activate(id);
      else if (v) act.toggleSelected(canonicalOf(v));
      ev.preventDefault();
    }
  });
  // Global keys (not while typing in the filter).
  document.addEventListener('keydown', (ev) => {
    const t = ev.target as Element | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (ev.key === 'Escape') { act.clear(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const run = ({ '+': act.zoomIn, '=': act.zoomIn, '-': act.zoomOut, _: act.zoomOut, 0: act.fit, '/': act.focusFilter, m: act.toggleMinimap } as Record<string, (() => void) | undefined>)[ev.key];
    if (run) { run(); ev.preventDefault(); }
  });
}

/** Gives tabindex 0 to one node: the focused one, else a selected one, else the first in reading order. */
export function updateRoving(store: Store): void {
  const scene = store.scene;
  if (!scene) return;
  let current = store.focusedId && scene.nodes.has(store.focusedId) && store.visible.has(store.focusedId) ? store.focusedId : undefined;
  if (!current) {
    const sel = [...store.selected].flatMap((id) => store.primaryInstances(id)).find((id) => store.visible.has(id));
    current = sel ?? [...store.visible].sort((a, b) => order(store, a) - order(store, b))[0];
  }
  for (const [id, el] of scene.nodes) el.setAttribute('tabindex', id === current ? '0' : '-1');
  store.focusedId = current;
}

function order(store: Store, id: string): number {
  const n = store.layout?.nodes.get(id);
  return n ? n.y * 10000 + n.x : Infinity;
}

/** The node an arrow key moves to from `from`: along its edges first (left/right), else the nearest that way. */
export function navigate(store: Store, from: string, key: string): string | undefined {
  const l = store.layout;
  const view = store.view;
  if (!l || !view) return undefined;
  const here = l.nodes.get(from);
  if (!here) return undefined;
  const cx = here.x + here.width / 2;
  const cy = here.y + here.height / 2;
  const candidates = (ids: Iterable<string>): string | undefined => {
    let best: string | undefined;
    let bestD = Infinity;
    for (const id of ids) {
      if (id === from || !store.visible.has(id)) continue;
      const n = l.nodes.get(id);
      if (!n) continue;
      const dx = n.x + n.width / 2 - cx;
      const dy = n.y + n.height / 2 - cy;
      const ok = key === 'ArrowRight' ? dx > 1 : key === 'ArrowLeft' ? dx < -1 : key === 'ArrowDown' ? dy > 1 : dy < -1;
      if (!ok) continue;
      const horizontal = key === 'ArrowRight' || key === 'ArrowLeft';
      const d = horizontal ? Math.abs(dx) + Math.abs(dy) * 2 : Math.abs(dy) + Math.abs(dx) * 3;
      if (d < bestD) { bestD = d; best = id; }
    }
    return best;
  };
  if (key === 'ArrowRight' || key === 'ArrowLeft') {
    // Follow the edges first: to what this node sends traffic to, or receives it from.
    const connected: string[] = [];
    for (const e of view.edges) {
      if (key === 'ArrowRight' && e.from === from) connected.push(e.to);
      if (key === 'ArrowLeft' && e.to === from) connected.push(e.from);
    }
    return candidates(connected) ?? candidates(l.nodes.keys());
  }
  return candidates(l.nodes.keys());
}
