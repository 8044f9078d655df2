/**
 * Export of the whole graph (not only the visible part) as a standalone SVG, and as a PNG drawn
 * from that SVG through an <img> (a data: URL, allowed by the CSP's img-src). The SVG carries the
 * resolved theme colours as presentation attributes (no CSS variables, no classes needed) and the
 * codicon font as a data: URL, so it renders the same anywhere. It contains no script.
 */
import codiconFont from '@vscode/codicons/dist/codicon.ttf';
import type { FromWebview } from '../../server/src/protocol/webview';
import { SVG_NS } from './dom';
import type { Layout } from './layout';
import type { Scene } from './render';

const PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'stroke-linejoin', 'stroke-linecap',
  'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'paint-order',
] as const;
const DROP = ['class', 'tabindex', 'role', 'style'];

function inline(live: Element, copy: Element): void {
  const cs = getComputedStyle(live);
  if (cs.display === 'none' || cs.visibility === 'hidden') { copy.remove(); return; }
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v && v !== 'normal' && v !== 'auto') copy.setAttribute(p, v);
  }
  for (const a of [...copy.attributes]) {
    if (DROP.includes(a.name) || a.name.startsWith('data-') || a.name.startsWith('aria-')) copy.removeAttribute(a.name);
  }
  const lc = [...live.children];
  const cc = [...copy.children];
  for (let i = 0; i < lc.length; i++) if (cc[i]) inline(lc[i]!, cc[i]!);
}

export function exportSvg(svgEl: SVGSVGElement, scene: Scene, layout: Layout): string {
  const w = Math.ceil(layout.width);
  const h = Math.ceil(layout.height);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(w));
  out.setAttribute('height', String(h));
  out.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = `@font-face{font-family:"codicon";src:url("${codiconFont}") format("truetype")}`;
  out.appendChild(style);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', String(w));
  bg.setAttribute('height', String(h));
  bg.setAttribute('fill', getComputedStyle(svgEl).getPropertyValue('--kt-bg').trim() || getComputedStyle(document.body).backgroundColor || '#1e1e1e');
  out.appendChild(bg);
  const liveDefs = svgEl.querySelector('defs');
  if (liveDefs) {
    const d = liveDefs.cloneNode(true) as Element;
    inline(liveDefs, d);
    out.appendChild(d);
  }
  const content = scene.root.cloneNode(true) as Element;
  inline(scene.root, content);
  out.appendChild(content);
  return new XMLSerializer().serializeToString(out);
}

export async function exportPng(svgText: string, layout: Layout, _scene: Scene): Promise<string> {
  const w = Math.max(1, Math.ceil(layout.width));
  const h = Math.max(1, Math.ceil(layout.height));
  // Crisp on high-DPI screens, within the browser's canvas limits.
  const scale = Math.min(2, 16000 / w, 16000 / h, Math.sqrt(60e6 / (w * h)));
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}

/**
 * Exports the whole graph in full detail, whatever the zoom (`fullDetail` lifts the level of
 * detail while the SVG is copied), and posts it to the extension, or the error.
 */
export function exportGraph(format: 'svg' | 'png', svgEl: SVGSVGElement, scene: Scene, layout: Layout,
  fullDetail: <T>(run: () => T) => T, post: (m: FromWebview) => void): void {
  const svgText = fullDetail(() => exportSvg(svgEl, scene, layout));
  if (format === 'svg') {
    post({ type: 'export', format: 'svg', data: svgText });
    return;
  }
  exportPng(svgText, layout, scene).then(
    (data) => post({ type: 'export', format: 'png', data }),
    (err: unknown) => post({ type: 'error', message: `PNG export failed: ${err instanceof Error ? err.message : String(err)}` }),
  );
}
