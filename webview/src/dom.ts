/**
 * DOM helpers. Data from manifests only ever reaches the page through `textContent` and
 * `setAttribute` values (never markup); attribute *names* are always literals in this code.
 * Styles are set through CSSOM properties (`el.style.x = …`), which the CSP allows, never a
 * `style` attribute.
 */
export const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  parent?.appendChild(el);
  return el;
}

export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K, opts: { className?: string; text?: string; attrs?: Readonly<Record<string, string>> } = {}, parent?: Element,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (opts.className) el.className = opts.className;
  if (opts.text !== undefined) el.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs ?? {})) el.setAttribute(k, v);
  parent?.appendChild(el);
  return el;
}

/** Text widths in the page's font, cached (canvas measureText: no layout thrash). */
export function createMeasure(fontFamily: string): (text: string, font: 'name' | 'facts' | 'label') => number {
  const ctx = document.createElement('canvas').getContext('2d');
  const fonts = { name: `600 12px ${fontFamily}`, facts: `11px ${fontFamily}`, label: `11px ${fontFamily}` };
  const cache = new Map<string, number>();
  return (text, font) => {
    const key = `${font}\u0000${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (ctx) { ctx.font = fonts[font]; w = ctx.measureText(text).width; } else w = text.length * (font === 'name' ? 7.2 : 6.4);
      if (cache.size > 20000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
}
