/**
 * Overview map for graphs larger than the view: the whole layout in a corner (namespace boxes,
 * nodes in their kind's colour, the lit path), with the visible part outlined. Click or drag on it
 * to move the view there. A pointer convenience: the keyboard has +, -, 0 and the arrow keys.
 * Drawn on a canvas (one draw call per node; cheap for thousands of nodes).
 */
import { html } from './dom';
import type { Layout } from './layout';
import type { Highlight } from './model';
import { groupOf, type Scene } from './render';
import type { Transform } from './store';

const MAX_W = 220;
const MAX_H = 160;

/** Colour of each node group: the CSS variable its accent comes from (topology.css). */
const GROUP_COLOUR: Record<string, string> = {
  'g-entry': '--kt-purple', 'g-gateway': '--kt-blue', 'g-route': '--kt-purple', 'g-service': '--kt-green',
  'g-workload': '--kt-orange', 'g-endpoints': '--kt-yellow', 'g-external': '--kt-muted', 'g-other': '--kt-muted',
  'g-namespace': '--kt-muted', 'g-missing': '--kt-error',
};

export class Minimap {
  readonly el: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly viewRect: HTMLDivElement;
  private content: { layout: Layout; scene: Scene; visible: ReadonlySet<string>; hl: Highlight | undefined } | undefined;
  private dirty = false;
  private scale = 1;

  /** `navigate(x, y)`: centre the view on this point of the layout. */
  constructor(parent: HTMLElement, private readonly navigate: (x: number, y: number) => void) {
    this.el = html('div', { className: 'minimap', attrs: { 'aria-hidden': 'true', title: 'Overview: click or drag to move the view' } }, parent);
    this.canvas = html('canvas', {}, this.el);
    this.viewRect = html('div', { className: 'minimap-view' }, this.el);
    this.el.hidden = true;
    let dragging: number | undefined;
    const go = (ev: PointerEvent): void => {
      const r = this.canvas.getBoundingClientRect();
      this.navigate((ev.clientX - r.left) / this.scale, (ev.clientY - r.top) / this.scale);
    };
    this.el.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      dragging = ev.pointerId;
      this.el.setPointerCapture(ev.pointerId);
      go(ev);
      ev.preventDefault();
    });
    this.el.addEventListener('pointermove', (ev) => { if (ev.pointerId === dragging) go(ev); });
    const end = (ev: PointerEvent): void => { if (ev.pointerId === dragging) dragging = undefined; };
    this.el.addEventListener('pointerup', end);
    this.el.addEventListener('pointercancel', end);
    this.el.addEventListener('wheel', (ev) => ev.preventDefault(), { passive: false });
  }

  /** Shown when wanted (the graph is larger than the view can show in full detail) and enabled. */
  show(wanted: boolean): void {
    const hidden = !wanted || !this.content;
    if (this.el.hidden !== hidden) this.el.hidden = hidden;
    if (!hidden && this.dirty) this.render();
  }

  get shown(): boolean {
    return !this.el.hidden;
  }

  /** What to draw; drawn now if the map is shown, else when it is next shown. */
  setContent(layout: Layout, scene: Scene, visible: ReadonlySet<string>, hl: Highlight | undefined): void {
    this.content = { layout, scene, visible, hl };
    this.dirty = true;
    if (this.shown) this.render();
  }

  /** Draws the layout: namespace boxes, the nodes the filter lets through, the lit path on top. */
  private render(): void {
    if (!this.content) return;
    const { layout, scene, visible, hl } = this.content;
    this.dirty = false;
    const s = Math.min(MAX_W / Math.max(1, layout.width), MAX_H / Math.max(1, layout.height));
    this.scale = s;
    const w = Math.max(1, Math.round(layout.width * s));
    const h = Math.max(1, Math.round(layout.height * s));
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.el.dataset.layoutWidth = String(layout.width);
    this.el.dataset.layoutHeight = String(layout.height);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const css = getComputedStyle(this.el);
    const colour = (v: string): string => css.getPropertyValue(v).trim() || '#888888';
    ctx.setTransform(dpr * s, 0, 0, dpr * s, 0, 0);
    ctx.clearRect(0, 0, layout.width, layout.height);
    ctx.lineWidth = 1 / s;
    for (const ns of layout.namespaces) {
      ctx.globalAlpha = 0.06;
      ctx.fillStyle = colour('--kt-fg');
      ctx.fillRect(ns.x, ns.y, ns.width, ns.height);
      ctx.globalAlpha = 0.6;
      ctx.strokeStyle = colour('--kt-muted');
      ctx.strokeRect(ns.x, ns.y, ns.width, ns.height);
    }
    const min = 1.5 / s; // at least 1.5 map pixels, so small nodes still show
    for (const [id, p] of layout.nodes) {
      if (!visible.has(id) || !scene.nodes.has(id)) continue;
      ctx.globalAlpha = hl ? (hl.nodes.has(id) ? 1 : 0.25) : 0.85;
      ctx.fillStyle = colour(GROUP_COLOUR[groupOf(p.view)] ?? '--kt-muted');
      ctx.fillRect(p.x, p.y, Math.max(min, p.width), Math.max(min, p.height));
    }
    if (hl) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colour('--kt-focus');
      ctx.lineWidth = 2 / s;
      for (const e of layout.edges) {
        if (!hl.edges.has(e.view.id) || e.points.length < 2) continue;
        ctx.beginPath();
        ctx.moveTo(e.points[0]!.x, e.points[0]!.y);
        for (const pt of e.points.slice(1)) ctx.lineTo(pt.x, pt.y);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }

  /** Outlines the part of the layout the view shows (`width` × `height` pixels at transform `t`). */
  setView(t: Transform, width: number, height: number): void {
    const s = this.scale;
    const r = this.viewRect.style;
    r.left = `${((-t.x / t.k) * s).toFixed(1)}px`;
    r.top = `${((-t.y / t.k) * s).toFixed(1)}px`;
    r.width = `${((width / t.k) * s).toFixed(1)}px`;
    r.height = `${((height / t.k) * s).toFixed(1)}px`;
  }
}
