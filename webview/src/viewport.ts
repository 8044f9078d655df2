/**
 * The visible part of the graph: zoom and pan (wheel, drag, buttons, keys), fit, the first view,
 * bringing nodes or a traced path into view at a readable scale, and what depends on the zoom
 * (the level of detail, lod.ts; the overview map, minimap.ts).
 */
import { COMPACT_MIN_K, FULL_K, type LevelOfDetail } from './lod';
import type { Minimap } from './minimap';
import type { Box } from './layout';
import type { Store, Transform } from './store';

const MIN_K = 0.03;
const MAX_K = 3;
const PAD = 24;

export interface ViewportHooks {
  /** True when a pointer down on `target` must not start a pan (a node, a namespace title). */
  isHandle(target: EventTarget | null): boolean;
  /** A click on the background (a pointer down and up without moving). */
  backgroundClick(target: EventTarget | null): void;
  panStarted(): void;
  /** The transform changed (to persist it). */
  changed(): void;
}

export class Viewport {
  transform: Transform = { x: 0, y: 0, k: 1 };
  /** False until the user (or a first view) set a transform: a new graph is then fitted. */
  hasTransform = false;
  private frame: number | undefined;
  private drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | undefined;

  constructor(
    private readonly store: Store,
    private readonly viewportEl: HTMLElement,
    private readonly svgEl: SVGSVGElement,
    private readonly transformEl: SVGGElement,
    private readonly lod: LevelOfDetail,
    private readonly minimap: Minimap,
    private readonly hooks: ViewportHooks,
  ) {
    this.wire();
  }

  /** A drag is moving the view (hover details wait). */
  get panning(): boolean {
    return !!this.drag?.moved;
  }

  private get width(): number { return this.viewportEl.clientWidth || 800; }
  private get height(): number { return this.viewportEl.clientHeight || 600; }

  restore(t: Transform): void {
    this.transform = t;
    this.hasTransform = true;
  }

  applyTransform(): void {
    const { x, y, k } = this.transform;
    this.transformEl.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)}) scale(${k.toFixed(4)})`);
    this.lod.apply(k);
    this.svgEl.dataset.zoom = k.toFixed(4);
    this.minimap.show(this.store.minimap && this.minimapWanted() && !this.showsAll());
    if (this.minimap.shown) this.minimap.setView(this.transform, this.viewportEl.clientWidth, this.viewportEl.clientHeight);
  }

  /** The whole layout is in view (then the overview map would only cover part of it). */
  private showsAll(): boolean {
    const l = this.store.layout;
    if (!l) return true;
    const { x, y, k } = this.transform;
    return x >= -0.5 && y >= -0.5 && x + l.width * k <= this.viewportEl.clientWidth + 0.5 && y + l.height * k <= this.viewportEl.clientHeight + 0.5;
  }

  /** The graph does not fit the view in full detail: an overview helps. */
  minimapWanted(): boolean {
    const l = this.store.layout;
    return !!l && l.nodes.size > 0 && this.fitScale({ x: 0, y: 0, width: l.width, height: l.height }) < FULL_K;
  }

  setTransform(t: Transform): void {
    this.transform = { x: t.x, y: t.y, k: Math.min(MAX_K, Math.max(MIN_K, t.k)) };
    this.hasTransform = true;
    if (this.frame === undefined) {
      this.frame = requestAnimationFrame(() => {
        this.frame = undefined;
        this.applyTransform();
      });
    }
    this.hooks.changed();
  }

  zoomBy(f: number, cx = this.viewportEl.clientWidth / 2, cy = this.viewportEl.clientHeight / 2): void {
    const { x, y, k } = this.transform;
    const nk = Math.min(MAX_K, Math.max(MIN_K, k * f));
    this.setTransform({ k: nk, x: cx - ((cx - x) / k) * nk, y: cy - ((cy - y) / k) * nk });
  }

  fit(): void {
    const l = this.store.layout;
    if (!l) return;
    this.zoomToBox({ x: 0, y: 0, width: l.width, height: l.height }, 1);
  }

  /**
   * The first view of a graph: all of it when that is readable in full detail; otherwise full
   * detail from the top left (where traffic enters), to pan from, with the overview map to
   * show the rest. The Fit button always shows everything.
   */
  initialView(): void {
    const l = this.store.layout;
    if (!l) return;
    if (this.fitScale({ x: 0, y: 0, width: l.width, height: l.height }) >= FULL_K) {
      this.fit();
      return;
    }
    this.setTransform({ k: FULL_K, x: PAD, y: PAD });
  }

  private fitScale(b: Box): number {
    return Math.min(1, (this.width - PAD * 2) / Math.max(1, b.width), (this.height - PAD * 2) / Math.max(1, b.height));
  }

  zoomToBox(b: Box, maxK: number): void {
    const w = this.width;
    const h = this.height;
    const k = Math.min(maxK, Math.max(MIN_K, Math.min((w - PAD * 2) / Math.max(1, b.width), (h - PAD * 2) / Math.max(1, b.height))));
    this.setTransform({ k, x: (w - b.width * k) / 2 - b.x * k, y: (h - b.height * k) / 2 - b.y * k });
  }

  private boxOf(ids: readonly string[], margin: number): Box | undefined {
    const l = this.store.layout;
    if (!l) return undefined;
    let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
    for (const id of ids) {
      const n = l.nodes.get(id);
      if (!n) continue;
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x + n.width); y1 = Math.max(y1, n.y + n.height);
    }
    if (!Number.isFinite(x0)) return undefined;
    return { x: x0 - margin, y: y0 - margin, width: x1 - x0 + 2 * margin, height: y1 - y0 + 2 * margin };
  }

  zoomToNodes(ids: readonly string[]): void {
    const b = this.boxOf(ids, 80);
    if (b) this.zoomToBox(b, Math.max(this.transform.k, FULL_K)); // up to full detail
  }

  /**
   * Brings a lit path into view at a readable scale: all of it in full detail when it fits;
   * else all of it with the names only (compact nodes) when that fits; else its start (the
   * entry, on the left) in full detail, the overview map showing where it goes.
   */
  showPath(ids: readonly string[], first: string | undefined): void {
    const b = this.boxOf(ids, 40);
    if (!b) return;
    if (this.fitScale(b) >= COMPACT_MIN_K) {
      this.zoomToBox(b, 1);
      return;
    }
    const start = (first !== undefined ? this.boxOf([first], 0) : undefined) ?? b;
    this.setTransform({ k: FULL_K, x: PAD - b.x * FULL_K, y: this.height / 2 - (start.y + start.height / 2) * FULL_K });
  }

  /** Pans so that `id` is in view (only when it is not already). */
  centerOn(id: string): void {
    const n = this.store.layout?.nodes.get(id);
    if (!n) return;
    const { k } = this.transform;
    const w = this.viewportEl.clientWidth;
    const h = this.viewportEl.clientHeight;
    const sx = n.x * k + this.transform.x;
    const sy = n.y * k + this.transform.y;
    if (sx >= 0 && sy >= 0 && sx + n.width * k <= w && sy + n.height * k <= h) return;
    this.centerAt(n.x + n.width / 2, n.y + n.height / 2);
  }

  /** Centres the view on a point of the layout, keeping the zoom. */
  centerAt(x: number, y: number): void {
    const { k } = this.transform;
    this.setTransform({ k, x: this.viewportEl.clientWidth / 2 - x * k, y: this.viewportEl.clientHeight / 2 - y * k });
  }

  /** Pan by dragging the background, zoom with the wheel (or pinch), shift+wheel pans sideways. */
  private wire(): void {
    const svgEl = this.svgEl;
    svgEl.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0 || this.hooks.isHandle(ev.target)) return;
      this.drag = { x: ev.clientX, y: ev.clientY, tx: this.transform.x, ty: this.transform.y, moved: false, id: ev.pointerId };
      svgEl.setPointerCapture(ev.pointerId);
    });
    svgEl.addEventListener('pointermove', (ev) => {
      const drag = this.drag;
      if (!drag || ev.pointerId !== drag.id) return;
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 3) return;
      drag.moved = true;
      svgEl.classList.add('panning');
      this.hooks.panStarted();
      this.setTransform({ k: this.transform.k, x: drag.tx + dx, y: drag.ty + dy });
    });
    const endDrag = (ev: PointerEvent): void => {
      const drag = this.drag;
      if (!drag || ev.pointerId !== drag.id) return;
      this.drag = undefined;
      svgEl.classList.remove('panning');
      if (!drag.moved && ev.type === 'pointerup') this.hooks.backgroundClick(ev.target);
    };
    svgEl.addEventListener('pointerup', endDrag);
    svgEl.addEventListener('pointercancel', endDrag);
    svgEl.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = svgEl.getBoundingClientRect();
      if (ev.shiftKey && !ev.ctrlKey) {
        this.setTransform({ ...this.transform, x: this.transform.x - (ev.deltaY || ev.deltaX) });
        return;
      }
      const scale = ev.deltaMode === 1 ? 0.05 : ev.ctrlKey ? 0.01 : 0.0015;
      this.zoomBy(Math.exp(-ev.deltaY * scale), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    window.addEventListener('resize', () => this.applyTransform());
  }
}
