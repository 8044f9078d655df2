/**
 * Level of detail: no text is drawn smaller than MIN_TEXT_PX on screen, at any zoom. Zoomed out,
 * nodes get simpler instead of their text getting smaller:
 * - full (k ≥ FULL_K): icon, name, facts line, edge labels, as laid out;
 * - compact (COMPACT_MIN_K ≤ k < FULL_K): the name only, drawn at COMPACT_PX on screen (a larger
 *   font in graph units) and cut with an ellipsis to the node's width; no edge labels;
 * - far (k < COMPACT_MIN_K): boxes and edges only, and the namespace names, which grow as the view
 *   zooms out (up to what fits their box; hidden when even that would be too small).
 * The minimap (minimap.ts) shows where the view is.
 */
import { fit, NODE_HEIGHT, nodeText, type Layout, type Measure } from './layout';
import type { Scene } from './render';

/** The smallest font size, in CSS pixels on screen, of any text the view draws. */
export const MIN_TEXT_PX = 9;
/** Laid-out sizes (topology.css): node names 12px, facts and edge labels 11px, namespace names 13px. */
const NAME_PX = 12;
const SMALL_PX = 11;
const NS_PX = 13;
/** Full detail from the zoom where the 11px texts are still MIN_TEXT_PX on screen. */
export const FULL_K = MIN_TEXT_PX / SMALL_PX;
/** On-screen size of a compact node's name. */
export const COMPACT_PX = 10;
/** A compact name must fit the node's height (with a margin): below this zoom it would not. */
export const COMPACT_MIN_K = COMPACT_PX / (NODE_HEIGHT - 8);

export type Tier = 'full' | 'compact' | 'far';

export function tierOf(k: number): Tier {
  return k >= FULL_K - 1e-9 ? 'full' : k >= COMPACT_MIN_K - 1e-9 ? 'compact' : 'far';
}

/**
 * The compact font size in graph units at zoom k, rounded up to a step of a geometric scale (so
 * names are re-fitted only when the step changes, not on every wheel event).
 */
export function compactFont(k: number): number {
  const wanted = Math.max(NAME_PX, COMPACT_PX / k);
  const step = Math.ceil(Math.log(wanted / NAME_PX) / Math.log(1.06) - 1e-9);
  return NAME_PX * 1.06 ** step;
}

export class LevelOfDetail {
  private scene: Scene | undefined;
  private layout: Layout | undefined;
  private tier: Tier | undefined;
  private font = 0;

  constructor(private readonly svgEl: SVGSVGElement, private readonly measure: Measure) {}

  setScene(scene: Scene, layout: Layout): void {
    this.scene = scene;
    this.layout = layout;
    this.tier = undefined;
    this.font = 0;
  }

  /** Applies the detail for zoom k: tier classes, the compact names, the namespace names' size. */
  apply(k: number): void {
    const tier = tierOf(k);
    if (tier !== this.tier) {
      this.svgEl.classList.toggle('lod-compact', tier === 'compact');
      this.svgEl.classList.toggle('lod-far', tier === 'far');
      this.tier = tier;
    }
    this.svgEl.dataset.lod = tier;
    if (tier === 'compact') this.fitCompactNames(compactFont(k));
    this.sizeNamespaceLabels(k);
  }

  private fitCompactNames(font: number): void {
    const scene = this.scene;
    const layout = this.layout;
    if (!scene || !layout || font === this.font) return;
    this.font = font;
    this.svgEl.style.setProperty('--kt-compact-size', `${font.toFixed(2)}px`);
    const scale = NAME_PX / font; // measure() is for the 12px name font
    for (const [id, el] of scene.nodes) {
      const p = layout.nodes.get(id);
      const text = el.querySelector<SVGTextElement>('.node-compact');
      if (!p || !text) continue;
      const pill = text.getAttribute('data-pill') === 'true';
      const room = p.width - (pill ? p.height : 18);
      const cut = fit(nodeText(p.view).name, room * scale, (s) => this.measure(s, 'name'));
      // An ellipsis alone says nothing: then the box stays empty (the tooltip has the name).
      text.textContent = cut === '…' ? '' : cut;
    }
  }

  /** Namespace names stay readable when zoomed far out: they grow, up to what fits their box. */
  private sizeNamespaceLabels(k: number): void {
    if (!this.scene) return;
    for (const { label, top, maxFont } of this.scene.namespaces.values()) {
      const f = Math.min(maxFont, Math.max(NS_PX, NS_PX / k));
      label.classList.toggle('too-small', f * k < MIN_TEXT_PX - 1e-6);
      const size = `${f.toFixed(1)}px`;
      if (label.style.fontSize === size) continue;
      label.style.fontSize = size;
      // Grows downwards into the box, never over the one above.
      label.setAttribute('y', (top + 6 + f * 0.92).toFixed(1));
    }
  }

  /** Full detail while `run` executes (export draws the whole graph as laid out), then back. */
  withFullDetail<T>(run: () => T): T {
    const classes = ['lod-compact', 'lod-far'].filter((c) => this.svgEl.classList.contains(c));
    this.svgEl.classList.remove(...classes);
    this.svgEl.classList.add('exporting');
    try {
      return run();
    } finally {
      this.svgEl.classList.remove('exporting');
      this.svgEl.classList.add(...classes);
    }
  }
}
