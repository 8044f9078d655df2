/**
 * The toolbar: filter box, namespace picker, "Follow editor", zoom/fit/overview/export buttons,
 * and the status (how many resources are drawn, match, are broken or collapsed).
 */
import type { TrafficGraph } from '../../server/src/protocol/webview';
import { html } from './dom';
import { boxOf, canonicalOf, NO_NAMESPACE, type ViewGraph, type ViewNode } from './model';

export interface ToolbarActions {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  toggleMinimap(): void;
  exportAs(format: 'svg' | 'png'): void;
}

export interface Toolbar {
  /** Which cluster is drawn: the plain view or a variant (hidden when the workspace has none). */
  readonly variantSelect: HTMLSelectElement;
  readonly filterInput: HTMLInputElement;
  readonly nsSelect: HTMLSelectElement;
  readonly followBox: HTMLInputElement;
  readonly minimapButton: HTMLButtonElement;
  readonly status: HTMLSpanElement;
}

export function buildToolbar(container: HTMLElement, actions: ToolbarActions): Toolbar {
  const toolbar = html('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Topology tools' } }, container);
  const variantSelect = html('select', {
    className: 'variant-select',
    attrs: { 'aria-label': 'Variant: the plain files, or a Kustomize root or Helm values variant as applied', title: 'Which cluster to draw: the plain files, or a Kustomize root / Helm values variant as applied', hidden: '' },
  }, toolbar);
  const filterWrap = html('div', { className: 'filter' }, toolbar);
  html('span', { className: 'codicon codicon-filter', attrs: { 'aria-hidden': 'true' } }, filterWrap);
  const filterInput = html('input', {
    className: 'filter-input',
    attrs: { type: 'search', placeholder: 'Filter: name, kind:Service, ns:shop, label:app=web', 'aria-label': 'Filter resources by name, kind, namespace or label', spellcheck: 'false' },
  }, filterWrap);
  const nsSelect = html('select', { className: 'ns-select', attrs: { 'aria-label': 'Namespace' } }, toolbar);
  const followLabel = html('label', { className: 'follow', attrs: { title: 'Focus the resources of the active editor' } }, toolbar);
  const followBox = html('input', { attrs: { type: 'checkbox' } }, followLabel);
  html('span', { text: 'Follow editor' }, followLabel);
  const buttons = html('div', { className: 'buttons' }, toolbar);
  const button = (icon: string, label: string, action: () => void, cls = ''): HTMLButtonElement => {
    const b = html('button', { className: `icon-button ${cls}`, attrs: { type: 'button', title: label, 'aria-label': label } }, buttons);
    html('span', { className: `codicon codicon-${icon}`, attrs: { 'aria-hidden': 'true' } }, b);
    b.addEventListener('click', action);
    return b;
  };
  button('zoom-out', 'Zoom out (-)', actions.zoomOut, 'zoom-out');
  button('zoom-in', 'Zoom in (+)', actions.zoomIn, 'zoom-in');
  button('screen-full', 'Fit to view (0)', actions.fit, 'fit');
  const minimapButton = button('map', 'Overview map for large graphs (M)', actions.toggleMinimap, 'minimap-toggle');
  button('file-code', 'Export SVG', () => actions.exportAs('svg'), 'export-svg');
  button('file-media', 'Export PNG', () => actions.exportAs('png'), 'export-png');
  const status = html('span', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } }, toolbar);
  return { variantSelect, filterInput, nsSelect, followBox, minimapButton, status };
}

/** The variant picker's options: the plain view, then each variant; hidden when there are none. */
export function refreshVariants(select: HTMLSelectElement, variants: readonly string[], current: string | undefined): void {
  select.hidden = variants.length === 0;
  const wanted = ['', ...variants].join('\u0000');
  if ([...select.options].map((o) => o.value).join('\u0000') !== wanted) {
    select.replaceChildren();
    html('option', { text: 'Plain view', attrs: { value: '' } }, select);
    for (const v of variants) html('option', { text: v, attrs: { value: v } }, select);
  }
  select.value = current ?? '';
}

/** The namespace picker's options (all namespaces of the graph), keeping `namespace` if it still exists. */
export function refreshNamespaces(nsSelect: HTMLSelectElement, g: TrafficGraph, namespace: string): string {
  const names = new Set<string>();
  for (const n of g.nodes) { const b = boxOf(n); if (b !== undefined) names.add(b); }
  const sorted = [...names].sort((a, b) => (a === NO_NAMESPACE ? 1 : b === NO_NAMESPACE ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const kept = namespace && !names.has(namespace) ? '' : namespace;
  const current = [...nsSelect.options].map((o) => o.value).join('\u0000');
  const wanted = ['', ...sorted].join('\u0000');
  if (current !== wanted) {
    nsSelect.replaceChildren();
    html('option', { text: 'All namespaces', attrs: { value: '' } }, nsSelect);
    for (const ns of sorted) html('option', { text: ns === NO_NAMESPACE ? '(no namespace)' : ns, attrs: { value: ns } }, nsSelect);
  }
  nsSelect.value = kept;
  return kept;
}

export function updateStatus(status: HTMLSpanElement, v: ViewGraph | undefined, total: number | undefined, filterText: string,
  visible: ReadonlySet<string>, viewNodes: ReadonlyMap<string, ViewNode>): void {
  if (!v) { status.textContent = ''; return; }
  status.replaceChildren();
  const drawn = v.counts.nodes;
  const all = total ?? drawn;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  if (filterText.trim()) {
    const matched = new Set([...visible].map((id) => viewNodes.get(id)).filter((n): n is ViewNode => !!n && !n.summary).map(canonicalOf)).size;
    html('span', { text: `${fmt(matched)} of ${fmt(drawn)} resources match` }, status);
  } else {
    html('span', { text: drawn === all ? `${fmt(all)} resources` : `${fmt(drawn)} of ${fmt(all)} resources shown` }, status);
  }
  if (v.counts.brokenEdges) html('span', { className: 'broken-count', text: ` · ${v.counts.brokenEdges} broken` }, status);
  if (v.collapsed.length) html('span', { className: 'collapsed-count', text: ` · ${v.collapsed.length} namespaces collapsed` }, status);
}
