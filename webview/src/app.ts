/**
 * The topology view: messages from the extension, layout and rendering of each graph, selection,
 * and the pointer and keyboard wiring. Talks to the extension only through `post`. Its parts:
 * toolbar.ts, viewport.ts (zoom, pan, fit), lod.ts (level of detail), minimap.ts, selection.ts
 * (filter, highlight), tooltip.ts, keyboard.ts, exporter.ts; the state they share is store.ts.
 */
import type { FromWebview, GraphMessage, ToWebview } from '../../server/src/protocol/webview';
import { createMeasure, html, svg } from './dom';
import { exportGraph } from './exporter';
import { updateRoving, wireKeyboard } from './keyboard';
import { layout as computeLayout, nodeText, type ElkLike } from './layout';
import { LevelOfDetail } from './lod';
import { Minimap } from './minimap';
import { buildView, canonicalOf, DEFAULT_VIEW_OPTIONS, isCrossRef, layoutKey } from './model';
import { defs, renderScene } from './render';
import { applyFilter, currentHighlight, litNodes, paintHighlight } from './selection';
import { readPersisted, Store } from './store';
import { buildToolbar, refreshNamespaces, refreshVariants, updateStatus, type Toolbar } from './toolbar';
import { Tooltip } from './tooltip';
import { Viewport } from './viewport';

export interface Host {
  post(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export class App {
  private readonly store: Store;
  private pending: GraphMessage | undefined;
  private relayoutRequested = false;
  private revealNamespace: string | undefined;
  /** A trace arrived before its graph was drawn: bring it into view once it is. */
  private traceToShow = false;
  private busy = false;
  private saveTimer: number | undefined;

  private readonly bar: Toolbar;
  private readonly viewportEl: HTMLDivElement;
  private readonly svgEl: SVGSVGElement;
  private readonly transformEl: SVGGElement;
  private readonly tooltip: Tooltip;
  private readonly overlay: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly minimap: Minimap;
  private readonly lod: LevelOfDetail;
  private readonly viewport: Viewport;
  private readonly measure: ReturnType<typeof createMeasure>;

  constructor(private readonly container: HTMLElement, private readonly host: Host, private readonly elk: ElkLike) {
    const saved = readPersisted(host.getState());
    const store = new Store(saved);
    this.store = store;

    container.classList.add('kt-topology');
    this.bar = buildToolbar(container, {
      zoomIn: () => this.viewport.zoomBy(1.25), zoomOut: () => this.viewport.zoomBy(1 / 1.25), fit: () => this.viewport.fit(),
      toggleMinimap: () => this.toggleMinimap(), exportAs: (format) => this.exportAs(format),
    });
    this.bar.filterInput.value = store.filterText;
    this.bar.followBox.checked = store.follow;
    this.bar.minimapButton.setAttribute('aria-pressed', String(store.minimap));

    this.viewportEl = html('div', { className: 'viewport' }, container);
    this.svgEl = svg('svg', { class: 'topology', role: 'group', 'aria-label': 'Traffic topology', 'aria-roledescription': 'graph' }, this.viewportEl);
    defs(this.svgEl);
    this.transformEl = svg('g', { class: 'transform' }, this.svgEl);
    this.tooltip = new Tooltip(this.viewportEl, store);
    this.overlay = html('div', { className: 'overlay', text: 'Waiting for the workspace…' }, this.viewportEl);
    this.empty = html('div', { className: 'empty' }, this.viewportEl);
    this.empty.hidden = true;
    this.minimap = new Minimap(this.viewportEl, (x, y) => this.viewport.centerAt(x, y));

    const style = getComputedStyle(document.body);
    this.measure = createMeasure(style.fontFamily || 'sans-serif');
    this.lod = new LevelOfDetail(this.svgEl, this.measure);
    this.viewport = new Viewport(store, this.viewportEl, this.svgEl, this.transformEl, this.lod, this.minimap, {
      isHandle: (t) => !!this.nodeIdOf(t) || (t instanceof Element && !!t.closest('.ns-label')),
      backgroundClick: (t) => { if (!this.edgeIdOf(t)) this.clearSelection(); },
      panStarted: () => this.tooltip.hide(),
      changed: () => this.save(),
    });
    if (saved.transform) this.viewport.restore(saved.transform);
    this.wire();
  }

  // ---------------------------------------------------------------- messages

  handle(m: ToWebview): void {
    if (m.type === 'graph') {
      this.pending = m;
      void this.drain();
    } else if (m.type === 'focus') {
      if (this.store.follow) this.focusIds(m.ids);
    } else if (m.type === 'trace') {
      this.store.trace = m.path;
      this.store.traceEdges = m.edges;
      this.applyHighlight();
      if (m.path.length) {
        if (this.store.scene && !this.busy) this.showTrace(); else this.traceToShow = true;
      }
    }
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const store = this.store;
    try {
      while (this.pending || this.relayoutRequested) {
        const m = this.pending;
        this.pending = undefined;
        this.relayoutRequested = false;
        const fitAfter = !this.viewport.hasTransform;
        let activeChanged = false;
        if (m) {
          store.graph = m.graph;
          activeChanged = m.activeIds.join('\u0000') !== store.activeIds.join('\u0000');
          store.activeIds = m.activeIds;
          store.namespace = refreshNamespaces(this.bar.nsSelect, m.graph, store.namespace);
          refreshVariants(this.bar.variantSelect, m.variants ?? [], m.variant);
        }
        await this.relayout();
        if (fitAfter && store.layout) this.viewport.initialView();
        const ns = this.revealNamespace;
        this.revealNamespace = undefined;
        const box = ns !== undefined ? store.layout?.namespaces.find((b) => b.name === ns) : undefined;
        if (box) this.viewport.zoomToBox({ x: box.x - 40, y: box.y - 40, width: box.width + 80, height: box.height + 80 }, 1); // the namespace just expanded
        if (m && store.follow && activeChanged && m.activeIds.length) this.focusIds(m.activeIds);
        if (this.traceToShow && store.trace.length) this.showTrace();
        this.traceToShow = false;
        if (store.view) this.host.post({ type: 'rendered', ...store.view.counts });
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
    const store = this.store;
    const g = store.graph;
    if (!g) return;
    const view = buildView(g, { ...DEFAULT_VIEW_OPTIONS, namespace: store.namespace, expanded: store.expanded, collapsedByUser: store.collapsedByUser });
    const key = `${store.namespace}\n${layoutKey(view, (n) => { const t = nodeText(n); return `${t.name}|${t.facts}`; })}`;
    store.view = view;
    store.viewNodes = new Map(view.nodes.map((n) => [n.id, n]));
    if (key !== store.key || !store.scene) {
      this.overlay.textContent = `Laying out ${view.nodes.length.toLocaleString('en-US')} resources…`;
      this.overlay.hidden = false;
      this.container.classList.add('busy');
      await nextFrame();
      const t0 = performance.now();
      const aspect = Math.max(0.6, Math.min(3, (this.viewportEl.clientWidth || 1200) / (this.viewportEl.clientHeight || 800)));
      const what = `Laying out ${view.nodes.length.toLocaleString('en-US')} resources`;
      const placed = await computeLayout(this.elk, view, this.measure, aspect, (done, total) => {
        if (total > 3) this.overlay.textContent = `${what}… (${done} of ${total} namespaces)`;
      });
      const t1 = performance.now();
      store.layout = placed;
      store.scene = renderScene(this.transformEl, placed, new Set(view.collapsed));
      this.lod.setScene(store.scene, placed);
      store.key = key;
      const t2 = performance.now();
      this.svgEl.dataset.layoutMs = String(Math.round(t1 - t0));
      this.svgEl.dataset.renderMs = String(Math.round(t2 - t1));
      this.overlay.hidden = true;
      this.container.classList.remove('busy');
      if (store.focusedId && !store.scene.nodes.has(store.focusedId)) store.focusedId = undefined;
    }
    this.empty.hidden = view.nodes.length > 0;
    this.empty.textContent = g.nodes.length ? 'Nothing in this namespace.' : 'No Kubernetes Services, workloads, Ingresses or routes in this workspace yet.';
    // Drop selections of nodes that are gone.
    for (const id of [...store.selected]) if (!store.scene.instances.has(id)) store.selected.delete(id);
    this.applyFilter();
    this.applyHighlight();
    this.viewport.applyTransform();
    this.updateStatus();
    updateRoving(store);
    this.save();
  }

  // ---------------------------------------------------------------- filter, selection, highlight

  private applyFilter(): void {
    applyFilter(this.store, this.svgEl);
    this.updateStatus();
    this.updateMinimap();
  }

  private applyHighlight(): void {
    const store = this.store;
    if (!store.scene) return;
    const hl = currentHighlight(store);
    if (hl && store.trace.length) this.host.post({ type: 'traceShown', nodes: hl.nodes.size, edges: hl.edges.size });
    paintHighlight(store, this.svgEl, hl);
    this.updateMinimap();
  }

  private updateMinimap(): void {
    const { layout, scene } = this.store;
    if (layout && scene) this.minimap.setContent(layout, scene, this.store.visible, currentHighlight(this.store));
  }

  /** Zooms and scrolls to the lit request at a readable scale (viewport.showPath). */
  private showTrace(): void {
    const store = this.store;
    const hl = currentHighlight(store);
    if (!hl || !store.trace.length) return;
    this.viewport.showPath(litNodes(store, hl), store.primaryInstances(store.trace[0]!)[0]);
  }

  private select(ids: Iterable<string>, toggle = false): void {
    const store = this.store;
    if (!toggle) store.selected = new Set();
    for (const id of ids) {
      if (toggle && store.selected.has(id)) store.selected.delete(id); else store.selected.add(id);
    }
    store.trace = [];
    this.applyHighlight();
    this.save();
  }

  private clearSelection(): void {
    this.store.selected = new Set();
    this.store.trace = [];
    this.applyHighlight();
    this.tooltip.hide();
    this.save();
  }

  /** Selects the nodes of the active editor and brings them into view. */
  private focusIds(ids: readonly string[]): void {
    const scene = this.store.scene;
    if (!scene) return;
    const known = ids.filter((id) => scene.instances.has(id));
    if (!known.length) return;
    this.select(known);
    this.viewport.zoomToNodes(known.flatMap((id) => this.store.primaryInstances(id)));
  }

  private activate(id: string, opts: { toggle?: boolean; reveal?: boolean } = {}): void {
    const v = this.store.viewNodes.get(id);
    if (!v) return;
    if (v.summary) {
      this.setNamespaceCollapsed(v.summary.namespace, false);
      return;
    }
    const canonical = canonicalOf(v);
    this.select([canonical], opts.toggle);
    this.setFocused(id, false);
    if (isCrossRef(v)) {
      const target = this.store.primaryInstances(canonical)[0];
      if (target) { this.viewport.centerOn(target); this.setFocused(target, true); }
    }
    if (opts.reveal !== false && v.node?.file) {
      const range = v.node.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      this.host.post({ type: 'reveal', uri: v.node.file, range });
    }
  }

  private setNamespaceCollapsed(ns: string, collapsed: boolean): void {
    const store = this.store;
    if (collapsed) { store.collapsedByUser.add(ns); store.expanded.delete(ns); } else { store.collapsedByUser.delete(ns); store.expanded.add(ns); this.revealNamespace = ns; }
    this.relayoutRequested = true;
    void this.drain();
  }

  private setFocused(id: string, moveFocus: boolean): void {
    this.store.focusedId = id;
    updateRoving(this.store);
    const el = this.store.scene?.nodes.get(id);
    if (moveFocus && el) {
      el.focus({ preventScroll: true });
      this.viewport.centerOn(id);
    }
  }

  private toggleMinimap(): void {
    this.store.minimap = !this.store.minimap;
    this.bar.minimapButton.setAttribute('aria-pressed', String(this.store.minimap));
    this.viewport.applyTransform();
    this.save();
  }

  // ---------------------------------------------------------------- persistence, status, export

  private save(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      this.host.setState(this.store.persisted(this.viewport.hasTransform ? this.viewport.transform : undefined));
    }, 100);
  }

  private updateStatus(): void {
    const s = this.store;
    updateStatus(this.bar.status, s.view, s.graph?.nodes.length, s.filterText, s.visible, s.viewNodes);
  }

  private exportAs(format: 'svg' | 'png'): void {
    const { scene, layout } = this.store;
    if (!scene || !layout) return;
    exportGraph(format, this.svgEl, scene, layout, (run) => this.lod.withFullDetail(run), (m) => this.host.post(m));
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

  private wire(): void {
    const store = this.store;
    const { filterInput, nsSelect, followBox, variantSelect } = this.bar;
    variantSelect.addEventListener('change', () => {
      this.viewport.hasTransform = false; // another cluster: a first view of it
      this.host.post({ type: 'variant', variant: variantSelect.value || null });
    });
    filterInput.addEventListener('input', () => {
      store.filterText = filterInput.value;
      this.applyFilter();
      updateRoving(store);
      this.save();
    });
    filterInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && filterInput.value) { filterInput.value = ''; store.filterText = ''; this.applyFilter(); this.save(); ev.stopPropagation(); }
    });
    nsSelect.addEventListener('change', () => {
      store.namespace = nsSelect.value;
      this.viewport.hasTransform = false; // fit the new selection
      this.relayoutRequested = true;
      void this.drain();
    });
    followBox.addEventListener('change', () => {
      store.follow = followBox.checked;
      this.save();
      if (store.follow && store.activeIds.length) this.focusIds(store.activeIds);
    });

    // Pan and zoom: viewport.ts. Click, hover details, focus, keys:
    this.svgEl.addEventListener('click', (ev) => {
      const ns = ev.target instanceof Element ? ev.target.closest('.ns-label') : null;
      if (ns) {
        const name = ns.getAttribute('data-namespace');
        if (name !== null && name !== undefined) this.setNamespaceCollapsed(name, !store.view?.collapsed.includes(name));
        return;
      }
      const id = this.nodeIdOf(ev.target);
      if (id) this.activate(id, { toggle: ev.ctrlKey || ev.metaKey });
    });
    this.svgEl.addEventListener('pointerover', (ev) => {
      if (this.viewport.panning) return;
      const id = this.nodeIdOf(ev.target);
      if (id) { this.tooltip.show(this.tooltip.nodeLines(id), ev.clientX, ev.clientY); return; }
      const e = this.edgeIdOf(ev.target);
      if (e) { this.tooltip.show(this.tooltip.edgeLines(e), ev.clientX, ev.clientY); return; }
      this.tooltip.hide();
    });
    this.svgEl.addEventListener('pointerleave', () => this.tooltip.hide());
    this.svgEl.addEventListener('focusin', (ev) => {
      const id = this.nodeIdOf(ev.target);
      if (!id) return;
      store.focusedId = id;
      updateRoving(store);
      const el = store.scene?.nodes.get(id);
      if (el) {
        const r = el.getBoundingClientRect();
        this.tooltip.show(this.tooltip.nodeLines(id), r.left + Math.min(r.width, 40), r.bottom - 8);
      }
    });
    this.svgEl.addEventListener('focusout', () => this.tooltip.hide());
    wireKeyboard(this.svgEl, store, {
      toggleNamespace: (name) => this.setNamespaceCollapsed(name, !store.view?.collapsed.includes(name)),
      moveTo: (next) => this.setFocused(next, true),
      activate: (id) => this.activate(id),
      toggleSelected: (id) => this.select([id], true),
      clear: () => this.clearSelection(),
      zoomIn: () => this.viewport.zoomBy(1.25),
      zoomOut: () => this.viewport.zoomBy(1 / 1.25),
      fit: () => this.viewport.fit(),
      focusFilter: () => filterInput.focus(),
      toggleMinimap: () => this.toggleMinimap(),
    });
  }
}
