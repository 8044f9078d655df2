/**
 * The view's state, shared by its parts (app, viewport, selection, tooltip, keyboard): the graph
 * and what was drawn of it, and what the user chose (selection, trace, filter, namespace). The
 * persisted subset goes through `vscode.setState` (see `persisted`/`readPersisted`).
 */
import type { TrafficGraph } from '../../server/src/protocol/webview';
import type { Layout } from './layout';
import { isCrossRef, type ViewGraph, type ViewNode } from './model';
import type { Scene } from './render';

export interface Transform { x: number; y: number; k: number }

export interface Persisted {
  readonly v: 1;
  readonly transform?: Transform;
  readonly selected: string[];
  readonly filter: string;
  readonly namespace: string;
  readonly follow: boolean;
  readonly expanded: string[];
  readonly collapsed: string[];
  /** The overview map, when the graph is larger than the view (default on). */
  readonly minimap?: boolean;
}

export function readPersisted(v: unknown): Partial<Persisted> {
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  const t = o.transform as Record<string, unknown> | undefined;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return {
    ...(t && num(t.x) && num(t.y) && num(t.k) && t.k > 0 ? { transform: { x: t.x, y: t.y, k: t.k } } : {}),
    selected: strs(o.selected), filter: typeof o.filter === 'string' ? o.filter : '', namespace: typeof o.namespace === 'string' ? o.namespace : '',
    follow: o.follow === true, expanded: strs(o.expanded), collapsed: strs(o.collapsed), minimap: o.minimap !== false,
  };
}

export class Store {
  graph: TrafficGraph | undefined;
  activeIds: readonly string[] = [];
  view: ViewGraph | undefined;
  viewNodes = new Map<string, ViewNode>();
  layout: Layout | undefined;
  scene: Scene | undefined;
  /** What the current layout was computed from (an unchanged graph is not laid out again). */
  key: string | undefined;
  selected = new Set<string>();
  trace: readonly string[] = [];
  traceEdges: readonly { readonly from: string; readonly to: string }[] | undefined;
  filterText = '';
  namespace = '';
  follow = false;
  minimap = true;
  expanded = new Set<string>();
  collapsedByUser = new Set<string>();
  focusedId: string | undefined;
  /** Drawn node ids the filter lets through. */
  visible = new Set<string>();

  constructor(saved: Partial<Persisted>) {
    this.selected = new Set(saved.selected ?? []);
    this.filterText = saved.filter ?? '';
    this.namespace = saved.namespace ?? '';
    this.follow = saved.follow ?? false;
    this.minimap = saved.minimap ?? true;
    this.expanded = new Set(saved.expanded ?? []);
    this.collapsedByUser = new Set(saved.collapsed ?? []);
  }

  persisted(transform: Transform | undefined): Persisted {
    return {
      v: 1, ...(transform ? { transform } : {}), selected: [...this.selected], filter: this.filterText,
      namespace: this.namespace, follow: this.follow, expanded: [...this.expanded], collapsed: [...this.collapsedByUser],
      ...(this.minimap ? {} : { minimap: false }),
    };
  }

  /** The drawn instances of a graph node, its own lane's first (references elsewhere only if that is all there is). */
  primaryInstances(canonical: string): string[] {
    const list = this.scene?.instances.get(canonical) ?? [];
    const primary = list.filter((id) => { const v = this.viewNodes.get(id); return v && !isCrossRef(v); });
    return primary.length ? primary : list;
  }
}
