/**
 * Hover details of nodes and edges, as lines of text (textContent only) in a box that stays
 * inside the view.
 */
import { html } from './dom';
import { isCrossRef, NO_NAMESPACE, type ViewNode } from './model';
import { detailLines } from './nodeText';
import type { Store } from './store';

export interface TooltipLine { text: string; cls?: string }

export class Tooltip {
  private readonly el: HTMLDivElement;

  constructor(private readonly viewportEl: HTMLElement, private readonly store: Store) {
    this.el = html('div', { className: 'tooltip', attrs: { role: 'tooltip' } }, viewportEl);
  }

  show(lines: TooltipLine[], x: number, y: number): void {
    const tip = this.el;
    tip.replaceChildren();
    for (const l of lines) html('div', { text: l.text, ...(l.cls ? { className: l.cls } : {}) }, tip);
    tip.classList.add('visible');
    const r = this.viewportEl.getBoundingClientRect();
    const tw = tip.offsetWidth;
    const th = tip.offsetHeight;
    let left = x - r.left + 14;
    let top = y - r.top + 16;
    if (left + tw > r.width - 4) left = Math.max(4, x - r.left - tw - 14);
    if (top + th > r.height - 4) top = Math.max(4, y - r.top - th - 12);
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  }

  hide(): void {
    this.el.classList.remove('visible');
  }

  nodeLines(id: string): TooltipLine[] {
    const v = this.store.viewNodes.get(id);
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
    const out: TooltipLine[] = [{ text: title, cls: 'tt-title' }];
    for (const line of detailLines(n)) out.push({ text: line });
    const view = this.store.view;
    if (view) {
      for (const e of view.edges) {
        if ((e.from === id || e.to === id) && e.broken && e.message) out.push({ text: `⚠ ${e.message}`, cls: 'tt-error' });
        if (e.to === id && e.policyDenied) out.push({ text: `⊘ ${e.policyDenied}`, cls: 'tt-error' });
      }
    }
    if (isCrossRef(v)) out.push({ text: `Drawn in namespace ${v.lane} as a reference; click to go to it.`, cls: 'tt-hint' });
    else if (n.file) out.push({ text: 'Click or press Enter to open the manifest.', cls: 'tt-hint' });
    return out;
  }

  edgeLines(id: string): TooltipLine[] {
    const e = this.store.scene?.edges.get(id)?.edge.view;
    if (!e) return [];
    const from = this.store.viewNodes.get(e.from);
    const to = this.store.viewNodes.get(e.to);
    const name = (v: ViewNode | undefined): string => (v ? `${v.kind === 'Missing' ? 'missing ' : ''}${v.namespace && v.namespace !== v.lane ? `${v.namespace}/` : ''}${v.name}` : '?');
    const [a, b] = e.reversed ? [to, from] : [from, to];
    const out: TooltipLine[] = [{ text: `${name(a)} ${e.kind} ${name(b)}`, cls: 'tt-title' }];
    if (e.label) out.push({ text: e.label });
    if (e.weight !== undefined) out.push({ text: `weight ${e.weight}` });
    if (e.broken) out.push({ text: e.message ?? 'Broken reference.', cls: 'tt-error' });
    if (e.policyDenied) out.push({ text: `⊘ ${e.policyDenied}`, cls: 'tt-error' });
    return out;
  }
}
