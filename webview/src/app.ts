/**
 * The topology view: toolbar, SVG scene, pan and zoom, selection, filter, hover details,
 * keyboard navigation, live updates and export. Talks to the extension only through `post`.
 */
import type { FromWebview, GraphMessage, ToWebview, TrafficGraph } from '../../server/src/protocol/webview';
import { createMeasure, html, svg } from './dom';
import { exportPng, exportSvg } from './exporter';
import { layout as computeLayout, nodeText, type ElkLike, type Layout } from './layout';
import {
  boxOf, buildView, canonicalOf, DEFAULT_VIEW_OPTIONS, detailLines, isCrossRef, layoutKey, matchesFilter, NO_NAMESPACE,
  parseFilter, pathsThrough, tracePath, type GraphNode, type Highlight, type ViewGraph, type ViewNode,
} from './model';
import { defs, renderScene, type Scene } from './render';

export interface Host {
  post(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface Transform { x: number; y: number; k: number }

interface Persisted {
  readonly v: 1;
  readonly transform?: Transform;
  readonly selected: string[];
  readonly filter: string;
  readonly namespace: string;
  readonly follow: boolean;
  readonly expanded: string[];
  readonly collapsed: string[];
}

const MIN_K = 0.03;
/** Below this zoom, 11px labels are no longer legible: the first view does not go lower. */
const READABLE_K = 0.7;
const MAX_K = 3;

function readPersisted(v: unknown): Partial<Persisted> {
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  const t = o.transform as Record<string, unknown> | undefined;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return {
    ...(t && num(t.x) && num(t.y) && num(t.k) && t.k > 0 ? { transform: { x: t.x, y: t.y, k: t.k } } : {}),
    selected: strs(o.selected), filter: typeof o.filter === 'string' ? o.filter : '', namespace: typeof o.namespace === 'string' ? o.namespace : '',
    follow: o.follow === true, expanded: strs(o.expanded), collapsed: strs(o.collapsed),
  };
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export class App {
  private graph: TrafficGraph | undefined;
  private activeIds: readonly string[] = [];
  private view: ViewGraph | undefined;
  private viewNodes = new Map<string, ViewNode>();
  private layout: Layout | undefined;
  private scene: Scene | undefined;
  private key: string | undefined;
  private transform: Transform = { x: 0, y: 0, k: 1 };
  private hasTransform = false;
  private selected = new Set<string>();
  private trace: readonly string[] = [];
  private traceEdges: readonly { readonly from: string; readonly to: string }[] | undefined;
  private filterText = '';
  private namespace = '';
  private follow = false;
  private expanded = new Set<string>();
  private collapsedByUser = new Set<string>();
  private focusedId: string | undefined;
  private pending: GraphMessage | undefined;
  private relayoutRequested = false;
  private revealNamespace: string | undefined;
  private busy = false;
  private visible = new Set<string>();
  private readonly measure: ReturnType<typeof createMeasure>;

  private readonly toolbar: HTMLDivElement;
  private readonly filterInput: HTMLInputElement;
  private readonly nsSelect: HTMLSelectElement;
  private readonly followBox: HTMLInputElement;
  private readonly status: HTMLSpanElement;
  private readonly viewport: HTMLDivElement;
  private readonly svgEl: SVGSVGElement;
  private readonly transformEl: SVGGElement;
  private readonly tooltip: HTMLDivElement;
  private readonly overlay: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private saveTimer: number | undefined;
  private transformFrame: number | undefined;

  constructor(private readonly container: HTMLElement, private readonly host: Host, private readonly elk: ElkLike) {
    const saved = readPersisted(host.getState());
    if (saved.transform) { this.transform = saved.transform; this.hasTransform = true; }
    this.selected = new Set(saved.selected ?? []);
    this.filterText = saved.filter ?? '';
    this.namespace = saved.namespace ?? '';
    this.follow = saved.follow ?? false;
    this.expanded = new Set(saved.expanded ?? []);
    this.collapsedByUser = new Set(saved.collapsed ?? []);

    container.classList.add('kt-topology');
    this.toolbar = html('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Topology tools' } }, container);
    const filterWrap = html('div', { className: 'filter' }, this.toolbar);
    html('span', { className: 'codicon codicon-filter', attrs: { 'aria-hidden': 'true' } }, filterWrap);
    this.filterInput = html('input', {
      className: 'filter-input',
      attrs: { type: 'search', placeholder: 'Filter: name, kind:Service, ns:shop, label:app=web', 'aria-label': 'Filter resources by name, kind, namespace or label', spellcheck: 'false' },
    }, filterWrap);
    this.filterInput.value = this.filterText;
    this.nsSelect = html('select', { className: 'ns-select', attrs: { 'aria-label': 'Namespace' } }, this.toolbar);
    const followLabel = html('label', { className: 'follow', attrs: { title: 'Focus the resources of the active editor' } }, this.toolbar);
    this.followBox = html('input', { attrs: { type: 'checkbox' } }, followLabel);
    this.followBox.checked = this.follow;
    html('span', { text: 'Follow editor' }, followLabel);
    const buttons = html('div', { className: 'buttons' }, this.toolbar);
    const button = (icon: string, label: string, action: () => void, cls = ''): HTMLButtonElement => {
      const b = html('button', { className: `icon-button ${cls}`, attrs: { type: 'button', title: label, 'aria-label': label } }, buttons);
      html('span', { className: `codicon codicon-${icon}`, attrs: { 'aria-hidden': 'true' } }, b);
      b.addEventListener('click', action);
      return b;
    };
    button('zoom-out', 'Zoom out (-)', () => this.zoomBy(1 / 1.25), 'zoom-out');
    button('zoom-in', 'Zoom in (+)', () => this.zoomBy(1.25), 'zoom-in');
    button('screen-full', 'Fit to view (0)', () => this.fit(), 'fit');
    button('file-code', 'Export SVG', () => this.exportAs('svg'), 'export-svg');
    button('file-media', 'Export PNG', () => this.exportAs('png'), 'export-png');
    this.status = html('span', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } }, this.toolbar);

    this.viewport = html('div', { className: 'viewport' }, container);
    this.svgEl = svg('svg', { class: 'topology', role: 'group', 'aria-label': 'Traffic topology', 'aria-roledescription': 'graph' }, this.viewport);
    defs(this.svgEl);
    this.transformEl = svg('g', { class: 'transform' }, this.svgEl);
    this.tooltip = html('div', { className: 'tooltip', attrs: { role: 'tooltip' } }, this.viewport);
    this.overlay = html('div', { className: 'overlay', text: 'Waiting for the workspace…' }, this.viewport);
    this.empty = html('div', { className: 'empty' }, this.viewport);
    this.empty.hidden = true;

    const style = getComputedStyle(document.body);
    this.measure = createMeasure(style.fontFamily || 'sans-serif');
    this.wire();
  }

  // ---------------------------------------------------------------- messages

  handle(m: ToWebview): void {
    if (m.type === 'graph') {
      this.pending = m;
      void this.drain();
    } else if (m.type === 'focus') {
      if (this.follow) this.focusIds(m.ids);
    } else if (m.type === 'trace') {
      this.trace = m.path;
      this.traceEdges = m.edges;
      this.applyHighlight();
    }
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending || this.relayoutRequested) {
        const m = this.pending;
        this.pending = undefined;
        this.relayoutRequested = false;
        const fitAfter = !this.hasTransform;
        let activeChanged = false;
        if (m) {
          this.graph = m.graph;
          activeChanged = m.activeIds.join('\u0000') !== this.activeIds.join('\u0000');
          this.activeIds = m.activeIds;
          this.refreshNamespaces();
        }
        await this.relayout();
        if (fitAfter && this.layout) { this.initialView(); }
        const ns = this.revealNamespace;
        this.revealNamespace = undefined;
        const box = ns !== undefined ? this.layout?.namespaces.find((b) => b.name === ns) : undefined;
        if (box) this.zoomToBox({ x: box.x - 40, y: box.y - 40, width: box.width + 80, height: box.height + 80 }, 1); // the namespace just expanded
        if (m && this.follow && activeChanged && m.activeIds.length) this.focusIds(m.activeIds);
        if (this.view) this.host.post({ type: 'rendered', ...this.view.counts });
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.overlay.textContent = `Could not lay out the graph: ${message}`;
      this.overlay.hidden = false;
      this.host.post({ type: 'error', message: `Topology layout failed: ${message}` });
    } finally {
      this.busy = false;
    }
  }

  private async relayout(): Promise<void> {
    const g = this.graph;
    if (!g) return;
    const view = buildView(g, { ...DEFAULT_VIEW_OPTIONS, namespace: this.namespace, expanded: this.expanded, collapsedByUser: this.collapsedByUser });
    const key = `${this.namespace}\n${layoutKey(view, (n) => { const t = nodeText(n); return `${t.name}|${t.facts}`; })}`;
    this.view = view;
    this.viewNodes = new Map(view.nodes.map((n) => [n.id, n]));
    if (key !== this.key || !this.scene) {
      this.overlay.textContent = `Laying out ${view.nodes.length.toLocaleString('en-US')} resources…`;
      this.overlay.hidden = false;
      this.container.classList.add('busy');
      await nextFrame();
      const t0 = performance.now();
      const aspect = Math.max(0.6, Math.min(3, (this.viewport.clientWidth || 1200) / (this.viewport.clientHeight || 800)));
      const what = `Laying out ${view.nodes.length.toLocaleString('en-US')} resources`;
      const placed = await computeLayout(this.elk, view, this.measure, aspect, (done, total) => {
        if (total > 3) this.overlay.textContent = `${what}… (${done} of ${total} namespaces)`;
      });
      const t1 = performance.now();
      this.layout = placed;
      this.scene = renderScene(this.transformEl, placed, new Set(view.collapsed));
      this.key = key;
      const t2 = performance.now();
      this.svgEl.dataset.layoutMs = String(Math.round(t1 - t0));
      this.svgEl.dataset.renderMs = String(Math.round(t2 - t1));
      this.overlay.hidden = true;
      this.container.classList.remove('busy');
      if (this.focusedId && !this.scene.nodes.has(this.focusedId)) this.focusedId = undefined;
    }
    this.empty.hidden = view.nodes.length > 0;
    this.empty.textContent = g.nodes.length ? 'Nothing in this namespace.' : 'No Kubernetes Services, workloads, Ingresses or routes in this workspace yet.';
    // Drop selections of nodes that are gone.
    for (const id of [...this.selected]) if (!this.scene.instances.has(id)) this.selected.delete(id);
    this.applyFilter();
    this.applyHighlight();
    this.applyTransform();
    this.updateStatus();
    this.updateRoving();
    this.save();
  }

  private refreshNamespaces(): void {
    const g = this.graph;
    if (!g) return;
    const names = new Set<string>();
    for (const n of g.nodes) { const b = boxOf(n); if (b !== undefined) names.add(b); }
    const sorted = [...names].sort((a, b) => (a === NO_NAMESPACE ? 1 : b === NO_NAMESPACE ? -1 : a < b ? -1 : a > b ? 1 : 0));
    if (this.namespace && !names.has(this.namespace)) this.namespace = '';
    const current = [...this.nsSelect.options].map((o) => o.value).join('\u0000');
    const wanted = ['', ...sorted].join('\u0000');
    if (current !== wanted) {
      this.nsSelect.replaceChildren();
      html('option', { text: 'All namespaces', attrs: { value: '' } }, this.nsSelect);
      for (const ns of sorted) html('option', { text: ns === NO_NAMESPACE ? '(no namespace)' : ns, attrs: { value: ns } }, this.nsSelect);
    }
    this.nsSelect.value = this.namespace;
  }

  // ---------------------------------------------------------------- filter, selection, highlight

  private applyFilter(): void {
    const scene = this.scene;
    if (!scene) return;
    const q = parseFilter(this.filterText);
    const active = q.terms.length > 0;
    this.visible = new Set();
    for (const [id, el] of scene.nodes) {
      const v = this.viewNodes.get(id);
      let ok = true;
      if (active && v) {
        if (v.node) ok = matchesFilter(v.node, q);
        else ok = matchesFilter({ id: v.id, kind: 'Namespace', name: v.name, namespace: v.summary?.namespace ?? v.name, details: {} } as GraphNode, q);
      }
      el.classList.toggle('filtered-out', !ok);
      if (ok) this.visible.add(id);
    }
    for (const { g, label, edge } of scene.edges.values()) {
      const ok = !active || (this.visible.has(edge.view.from) && this.visible.has(edge.view.to));
      g.classList.toggle('filtered-out', !ok);
      label?.classList.toggle('filtered-out', !ok);
    }
    if (this.layout) {
      const used = new Set<string>();
      for (const id of this.visible) { const b = this.viewNodes.get(id)?.box; if (b !== undefined) used.add(b); }
      for (const [ns, { g, label }] of scene.namespaces) {
        g.classList.toggle('filtered-out', active && !used.has(ns));
        label.classList.toggle('filtered-out', active && !used.has(ns));
      }
    }
    this.svgEl.classList.toggle('filtering', active);
    this.updateStatus();
  }

  private currentHighlight(): Highlight | undefined {
    if (!this.view) return undefined;
    if (this.trace.length) return tracePath(this.view, this.trace, this.traceEdges);
    if (this.selected.size) return pathsThrough(this.view, this.selected);
    return undefined;
  }

  private applyHighlight(): void {
    const scene = this.scene;
    if (!scene) return;
    const hl = this.currentHighlight();
    if (hl && this.trace.length) this.host.post({ type: 'traceShown', nodes: hl.nodes.size, edges: hl.edges.size });
    this.svgEl.classList.toggle('dimmed', !!hl);
    this.svgEl.classList.toggle('tracing', this.trace.length > 0);
    for (const [id, el] of scene.nodes) {
      const v = this.viewNodes.get(id);
      const canonical = v ? canonicalOf(v) : id;
      // A reference lights up only when its own edges are on the path (model.pathsThrough).
      el.classList.toggle('hl', !!hl && (hl.nodes.has(id) || (!v?.ref && hl.nodes.has(canonical))));
      const sel = this.selected.has(canonical);
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

  private select(ids: Iterable<string>, toggle = false): void {
    if (!toggle) this.selected = new Set();
    for (const id of ids) {
      if (toggle && this.selected.has(id)) this.selected.delete(id); else this.selected.add(id);
    }
    this.trace = [];
    this.applyHighlight();
    this.save();
  }

  private clearSelection(): void {
    this.selected = new Set();
    this.trace = [];
    this.applyHighlight();
    this.hideTooltip();
    this.save();
  }

  /** Selects the nodes of the active editor and brings them into view. */
  private focusIds(ids: readonly string[]): void {
    const scene = this.scene;
    if (!scene) return;
    const known = ids.filter((id) => scene.instances.has(id));
    if (!known.length) return;
    this.select(known);
    const els = known.flatMap((id) => this.primaryInstances(id));
    this.zoomToNodes(els);
  }

  private primaryInstances(canonical: string): string[] {
    const list = this.scene?.instances.get(canonical) ?? [];
    const primary = list.filter((id) => { const v = this.viewNodes.get(id); return v && !isCrossRef(v); });
    return primary.length ? primary : list;
  }

  // ---------------------------------------------------------------- transform

  private applyTransform(): void {
    const { x, y, k } = this.transform;
    this.transformEl.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)}) scale(${k.toFixed(4)})`);
    this.svgEl.classList.toggle('lod-mid', k < 0.5);
    this.svgEl.classList.toggle('lod-far', k < 0.22);
    if (this.scene) {
      // Namespace names stay readable when zoomed far out.
      for (const { label, top, maxFont } of this.scene.namespaces.values()) {
        const f = Math.min(maxFont, Math.max(13, 13 / k));
        const size = `${f.toFixed(1)}px`;
        if (label.style.fontSize === size) continue;
        label.style.fontSize = size;
        // Grows downwards into the box, never over the one above.
        label.setAttribute('y', (top + 6 + f * 0.92).toFixed(1));
      }
    }
    this.svgEl.dataset.zoom = k.toFixed(4);
  }

  private setTransform(t: Transform): void {
    this.transform = { x: t.x, y: t.y, k: Math.min(MAX_K, Math.max(MIN_K, t.k)) };
    this.hasTransform = true;
    if (this.transformFrame === undefined) {
      this.transformFrame = requestAnimationFrame(() => {
        this.transformFrame = undefined;
        this.applyTransform();
      });
    }
    this.save();
  }

  private zoomBy(f: number, cx = this.viewport.clientWidth / 2, cy = this.viewport.clientHeight / 2): void {
    const { x, y, k } = this.transform;
    const nk = Math.min(MAX_K, Math.max(MIN_K, k * f));
    this.setTransform({ k: nk, x: cx - ((cx - x) / k) * nk, y: cy - ((cy - y) / k) * nk });
  }

  fit(): void {
    const l = this.layout;
    if (!l) return;
    this.zoomToBox({ x: 0, y: 0, width: l.width, height: l.height }, 1);
  }

  /**
   * The first view of a graph: all of it when that is still readable; otherwise a readable zoom
   * from the top left (where traffic enters), to pan from. The Fit button always shows everything.
   */
  private initialView(): void {
    const l = this.layout;
    if (!l) return;
    const w = this.viewport.clientWidth || 800;
    const h = this.viewport.clientHeight || 600;
    const pad = 24;
    const fitK = Math.min(1, (w - pad * 2) / Math.max(1, l.width), (h - pad * 2) / Math.max(1, l.height));
    if (fitK >= READABLE_K) {
      this.fit();
      return;
    }
    this.setTransform({ k: READABLE_K, x: pad, y: pad });
  }

  private zoomToBox(b: { x: number; y: number; width: number; height: number }, maxK: number): void {
    const w = this.viewport.clientWidth || 800;
    const h = this.viewport.clientHeight || 600;
    const pad = 24;
    const k = Math.min(maxK, Math.max(MIN_K, Math.min((w - pad * 2) / Math.max(1, b.width), (h - pad * 2) / Math.max(1, b.height))));
    this.setTransform({ k, x: (w - b.width * k) / 2 - b.x * k, y: (h - b.height * k) / 2 - b.y * k });
  }

  private zoomToNodes(ids: readonly string[]): void {
    const l = this.layout;
    if (!l || !ids.length) return;
    let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
    for (const id of ids) {
      const n = l.nodes.get(id);
      if (!n) continue;
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x + n.width); y1 = Math.max(y1, n.y + n.height);
    }
    if (!Number.isFinite(x0)) return;
    const m = 80;
    this.zoomToBox({ x: x0 - m, y: y0 - m, width: x1 - x0 + 2 * m, height: y1 - y0 + 2 * m }, Math.max(this.transform.k, 0.8));
  }

  private centerOn(id: string): void {
    const n = this.layout?.nodes.get(id);
    if (!n) return;
    const { k } = this.transform;
    const w = this.viewport.clientWidth;
    const h = this.viewport.clientHeight;
    const sx = n.x * k + this.transform.x;
    const sy = n.y * k + this.transform.y;
    // Only pan when the node is (partly) out of view.
    if (sx >= 0 && sy >= 0 && sx + n.width * k <= w && sy + n.height * k <= h) return;
    this.setTransform({ k, x: w / 2 - (n.x + n.width / 2) * k, y: h / 2 - (n.y + n.height / 2) * k });
  }

  // ---------------------------------------------------------------- persistence, status

  private save(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      const state: Persisted = {
        v: 1, ...(this.hasTransform ? { transform: this.transform } : {}), selected: [...this.selected], filter: this.filterText,
        namespace: this.namespace, follow: this.follow, expanded: [...this.expanded], collapsed: [...this.collapsedByUser],
      };
      this.host.setState(state);
    }, 100);
  }

  private updateStatus(): void {
    const v = this.view;
    if (!v) { this.status.textContent = ''; return; }
    this.status.replaceChildren();
    const drawn = v.counts.nodes;
    const total = this.graph?.nodes.length ?? drawn;
    const fmt = (n: number): string => n.toLocaleString('en-US');
    if (this.filterText.trim()) {
      const matched = new Set([...this.visible].map((id) => this.viewNodes.get(id)).filter((n): n is ViewNode => !!n && !n.summary).map(canonicalOf)).size;
      html('span', { text: `${fmt(matched)} of ${fmt(drawn)} resources match` }, this.status);
    } else {
      html('span', { text: drawn === total ? `${fmt(total)} resources` : `${fmt(drawn)} of ${fmt(total)} resources shown` }, this.status);
    }
    if (v.counts.brokenEdges) html('span', { className: 'broken-count', text: ` · ${v.counts.brokenEdges} broken` }, this.status);
    if (v.collapsed.length) html('span', { className: 'collapsed-count', text: ` · ${v.collapsed.length} namespaces collapsed` }, this.status);
  }

  // ---------------------------------------------------------------- tooltip

  private showTooltip(lines: { text: string; cls?: string }[], x: number, y: number): void {
    this.tooltip.replaceChildren();
    for (const l of lines) html('div', { text: l.text, ...(l.cls ? { className: l.cls } : {}) }, this.tooltip);
    this.tooltip.classList.add('visible');
    const r = this.viewport.getBoundingClientRect();
    const tw = this.tooltip.offsetWidth;
    const th = this.tooltip.offsetHeight;
    let left = x - r.left + 14;
    let top = y - r.top + 16;
    if (left + tw > r.width - 4) left = Math.max(4, x - r.left - tw - 14);
    if (top + th > r.height - 4) top = Math.max(4, y - r.top - th - 12);
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${top}px`;
  }

  private hideTooltip(): void {
    this.tooltip.classList.remove('visible');
  }

  private nodeTooltip(id: string): { text: string; cls?: string }[] {
    const v = this.viewNodes.get(id);
    if (!v) return [];
    if (v.summary) {
      return [
        { text: `Namespace ${v.summary.namespace === NO_NAMESPACE ? '(none)' : v.summary.namespace}`, cls: 'tt-title' },
        { text: `${v.summary.count} resources: ${v.summary.kinds}` },
        ...(v.summary.broken ? [{ text: `${v.summary.broken} broken references`, cls: 'tt-error' }] : []),
        { text: v.ref ? 'Click to go to the collapsed namespace.' : 'Click or press Enter to expand.', cls: 'tt-hint' },
      ];
    }
    const n = v.node;
    if (!n) return [];
    const title = n.kind === 'Missing' ? `Missing ${String(n.details.missingKind ?? '')} ${n.name}` : `${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}`;
    const out: { text: string; cls?: string }[] = [{ text: title, cls: 'tt-title' }];
    for (const line of detailLines(n)) out.push({ text: line });
    if (this.view) {
      for (const e of this.view.edges) {
        if ((e.from === id || e.to === id) && e.broken && e.message) out.push({ text: `⚠ ${e.message}`, cls: 'tt-error' });
        if (e.to === id && e.policyDenied) out.push({ text: `⊘ ${e.policyDenied}`, cls: 'tt-error' });
      }
    }
    if (isCrossRef(v)) out.push({ text: `Drawn in namespace ${v.lane} as a reference; click to go to it.`, cls: 'tt-hint' });
    else if (n.file) out.push({ text: 'Click or press Enter to open the manifest.', cls: 'tt-hint' });
    return out;
  }

  private edgeTooltip(id: string): { text: string; cls?: string }[] {
    const e = this.scene?.edges.get(id)?.edge.view;
    if (!e) return [];
    const from = this.viewNodes.get(e.from);
    const to = this.viewNodes.get(e.to);
    const name = (v: ViewNode | undefined): string => (v ? `${v.kind === 'Missing' ? 'missing ' : ''}${v.namespace && v.namespace !== v.lane ? `${v.namespace}/` : ''}${v.name}` : '?');
    const [a, b] = e.reversed ? [to, from] : [from, to];
    const out: { text: string; cls?: string }[] = [{ text: `${name(a)} ${e.kind} ${name(b)}`, cls: 'tt-title' }];
    if (e.label) out.push({ text: e.label });
    if (e.weight !== undefined) out.push({ text: `weight ${e.weight}` });
    if (e.broken) out.push({ text: e.message ?? 'Broken reference.', cls: 'tt-error' });
    if (e.policyDenied) out.push({ text: `⊘ ${e.policyDenied}`, cls: 'tt-error' });
    return out;
  }

  // ---------------------------------------------------------------- interaction

  private nodeIdOf(target: EventTarget | null): string | undefined {
    const el = target instanceof Element ? target.closest('.node') : null;
    return el?.getAttribute('data-id') ?? undefined;
  }

  private edgeIdOf(target: EventTarget | null): string | undefined {
    if (!(target instanceof Element)) return undefined;
    const label = target.closest('.edge-label');
    if (label) return label.getAttribute('data-edge') ?? undefined;
    return target.closest('.edge')?.getAttribute('data-id') ?? undefined;
  }

  private activate(id: string, opts: { toggle?: boolean; reveal?: boolean } = {}): void {
    const v = this.viewNodes.get(id);
    if (!v) return;
    if (v.summary) {
      this.setNamespaceCollapsed(v.summary.namespace, false);
      return;
    }
    const canonical = canonicalOf(v);
    this.select([canonical], opts.toggle);
    this.setFocused(id, false);
    if (isCrossRef(v)) {
      const target = this.primaryInstances(canonical)[0];
      if (target) { this.centerOn(target); this.setFocused(target, true); }
    }
    if (opts.reveal !== false && v.node?.file) {
      const range = v.node.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      this.host.post({ type: 'reveal', uri: v.node.file, range });
    }
  }

  private setNamespaceCollapsed(ns: string, collapsed: boolean): void {
    if (collapsed) { this.collapsedByUser.add(ns); this.expanded.delete(ns); } else { this.collapsedByUser.delete(ns); this.expanded.add(ns); this.revealNamespace = ns; }
    this.relayoutRequested = true;
    void this.drain();
  }

  private setFocused(id: string, moveFocus: boolean): void {
    this.focusedId = id;
    this.updateRoving();
    const el = this.scene?.nodes.get(id);
    if (moveFocus && el) {
      el.focus({ preventScroll: true });
      this.centerOn(id);
    }
  }

  /** Roving tabindex: one node of the graph is in the tab order; arrows move between nodes. */
  private updateRoving(): void {
    const scene = this.scene;
    if (!scene) return;
    let current = this.focusedId && scene.nodes.has(this.focusedId) && this.visible.has(this.focusedId) ? this.focusedId : undefined;
    if (!current) {
      const sel = [...this.selected].flatMap((id) => this.primaryInstances(id)).find((id) => this.visible.has(id));
      current = sel ?? [...this.visible].sort((a, b) => this.order(a) - this.order(b))[0];
    }
    for (const [id, el] of scene.nodes) el.setAttribute('tabindex', id === current ? '0' : '-1');
    this.focusedId = current;
  }

  private order(id: string): number {
    const n = this.layout?.nodes.get(id);
    return n ? n.y * 10000 + n.x : Infinity;
  }

  private navigate(from: string, key: string): string | undefined {
    const l = this.layout;
    const view = this.view;
    if (!l || !view) return undefined;
    const here = l.nodes.get(from);
    if (!here) return undefined;
    const cx = here.x + here.width / 2;
    const cy = here.y + here.height / 2;
    const candidates = (ids: Iterable<string>): string | undefined => {
      let best: string | undefined;
      let bestD = Infinity;
      for (const id of ids) {
        if (id === from || !this.visible.has(id)) continue;
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

  private exportAs(format: 'svg' | 'png'): void {
    if (!this.scene || !this.layout) return;
    const svgText = exportSvg(this.svgEl, this.scene, this.layout);
    if (format === 'svg') {
      this.host.post({ type: 'export', format: 'svg', data: svgText });
      return;
    }
    exportPng(svgText, this.layout, this.scene).then(
      (data) => this.host.post({ type: 'export', format: 'png', data }),
      (err: unknown) => this.host.post({ type: 'error', message: `PNG export failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }

  private wire(): void {
    this.filterInput.addEventListener('input', () => {
      this.filterText = this.filterInput.value;
      this.applyFilter();
      this.updateRoving();
      this.save();
    });
    this.filterInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && this.filterInput.value) { this.filterInput.value = ''; this.filterText = ''; this.applyFilter(); this.save(); ev.stopPropagation(); }
    });
    this.nsSelect.addEventListener('change', () => {
      this.namespace = this.nsSelect.value;
      this.hasTransform = false; // fit the new selection
      this.relayoutRequested = true;
      void this.drain();
    });
    this.followBox.addEventListener('change', () => {
      this.follow = this.followBox.checked;
      this.save();
      if (this.follow && this.activeIds.length) this.focusIds(this.activeIds);
    });

    // Pan (drag the background), zoom (wheel, pinch), click.
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | undefined;
    this.svgEl.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      if (this.nodeIdOf(ev.target) || (ev.target instanceof Element && ev.target.closest('.ns-label'))) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.transform.x, ty: this.transform.y, moved: false, id: ev.pointerId };
      this.svgEl.setPointerCapture(ev.pointerId);
    });
    this.svgEl.addEventListener('pointermove', (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 3) return;
      drag.moved = true;
      this.svgEl.classList.add('panning');
      this.hideTooltip();
      this.setTransform({ k: this.transform.k, x: drag.tx + dx, y: drag.ty + dy });
    });
    const endDrag = (ev: PointerEvent): void => {
      if (!drag || ev.pointerId !== drag.id) return;
      const moved = drag.moved;
      drag = undefined;
      this.svgEl.classList.remove('panning');
      if (!moved && ev.type === 'pointerup' && !this.edgeIdOf(ev.target)) this.clearSelection();
    };
    this.svgEl.addEventListener('pointerup', endDrag);
    this.svgEl.addEventListener('pointercancel', endDrag);
    this.svgEl.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = this.svgEl.getBoundingClientRect();
      if (ev.shiftKey && !ev.ctrlKey) {
        this.setTransform({ ...this.transform, x: this.transform.x - (ev.deltaY || ev.deltaX) });
        return;
      }
      const scale = ev.deltaMode === 1 ? 0.05 : ev.ctrlKey ? 0.01 : 0.0015;
      this.zoomBy(Math.exp(-ev.deltaY * scale), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    this.svgEl.addEventListener('click', (ev) => {
      const ns = ev.target instanceof Element ? ev.target.closest('.ns-label') : null;
      if (ns) {
        const name = ns.getAttribute('data-namespace');
        if (name !== null && name !== undefined) this.setNamespaceCollapsed(name, !this.view?.collapsed.includes(name));
        return;
      }
      const id = this.nodeIdOf(ev.target);
      if (id) this.activate(id, { toggle: ev.ctrlKey || ev.metaKey });
    });
    this.svgEl.addEventListener('pointerover', (ev) => {
      if (drag?.moved) return;
      const id = this.nodeIdOf(ev.target);
      if (id) { this.showTooltip(this.nodeTooltip(id), ev.clientX, ev.clientY); return; }
      const e = this.edgeIdOf(ev.target);
      if (e) { this.showTooltip(this.edgeTooltip(e), ev.clientX, ev.clientY); return; }
      this.hideTooltip();
    });
    this.svgEl.addEventListener('pointerleave', () => this.hideTooltip());
    this.svgEl.addEventListener('focusin', (ev) => {
      const id = this.nodeIdOf(ev.target);
      if (!id) return;
      this.focusedId = id;
      this.updateRoving();
      const el = this.scene?.nodes.get(id);
      if (el) {
        const r = el.getBoundingClientRect();
        this.showTooltip(this.nodeTooltip(id), r.left + Math.min(r.width, 40), r.bottom - 8);
      }
    });
    this.svgEl.addEventListener('focusout', () => this.hideTooltip());
    this.svgEl.addEventListener('keydown', (ev) => {
      const ns = ev.target instanceof Element ? ev.target.closest('.ns-label') : null;
      const id = this.nodeIdOf(ev.target);
      if (ns && (ev.key === 'Enter' || ev.key === ' ')) {
        const name = ns.getAttribute('data-namespace');
        if (name) this.setNamespaceCollapsed(name, !this.view?.collapsed.includes(name));
        ev.preventDefault();
        return;
      }
      if (!id) return;
      if (ev.key.startsWith('Arrow')) {
        const next = this.navigate(id, ev.key);
        if (next) this.setFocused(next, true);
        ev.preventDefault();
      } else if (ev.key === 'Enter') {
        this.activate(id);
        ev.preventDefault();
      } else if (ev.key === ' ') {
        const v = this.viewNodes.get(id);
        if (v?.summary && !v.ref) this.activate(id);
        else if (v) this.select([canonicalOf(v)], true);
        ev.preventDefault();
      }
    });
    // Global keys (not while typing in the filter).
    document.addEventListener('keydown', (ev) => {
      const t = ev.target as Element | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (ev.key === 'Escape') { this.clearSelection(); return; }
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === '+' || ev.key === '=') { this.zoomBy(1.25); ev.preventDefault(); } else if (ev.key === '-' || ev.key === '_') { this.zoomBy(1 / 1.25); ev.preventDefault(); } else if (ev.key === '0') { this.fit(); ev.preventDefault(); } else if (ev.key === '/' ) { this.filterInput.focus(); ev.preventDefault(); }
    });
    window.addEventListener('resize', () => this.applyTransform());
  }
}
