/**
 * The topology webview bundle in headless Chromium (Playwright), loaded the way the extension's
 * panel loads it: strict CSP with a nonce, a stubbed acquireVsCodeApi, graphs posted as messages.
 * Everything is asserted through the DOM. Screenshots: see harness.ts (KT_UPDATE_SCREENSHOTS=1
 * writes docs/images/topology-*.png).
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { GraphNode, TrafficGraph } from '../../server/src/protocol/webview';
import { generateGraph } from './generate';
import { examplesGraph, ofType, ROOT, screenshotPath, startHarness, type Harness, type TopologyPage } from './harness';

interface DomNode { id: string; node: string; kind: string; name: string; facts: string; cls: string; shown: boolean; opacity: number; x: number; y: number; w: number; h: number }
interface DomEdge { id: string; from: string; to: string; kind: string; broken: boolean; sources: string; cls: string; shown: boolean; dash: string; stroke: string; marker: string | null; label: string | null }

const domNodes = (page: Page): Promise<DomNode[]> => page.$$eval('.node', (els) => els.map((el) => {
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  return {
    id: el.getAttribute('data-id')!, node: el.getAttribute('data-node')!, kind: el.getAttribute('data-kind')!,
    name: el.querySelector('.node-name')?.textContent ?? '', facts: el.querySelector('.node-facts')?.textContent ?? '',
    cls: el.getAttribute('class') ?? '', shown: cs.display !== 'none' && r.width > 0, opacity: Number(cs.opacity), x: r.x, y: r.y, w: r.width, h: r.height,
  };
}));

const domEdges = (page: Page): Promise<DomEdge[]> => page.$$eval('.edge', (els) => els.map((el) => {
  const line = el.querySelector('.edge-line')!;
  const cs = getComputedStyle(line);
  const id = el.getAttribute('data-id')!;
  const label = document.querySelector(`.edge-label[data-edge="${CSS.escape(id)}"]`);
  return {
    id, from: el.getAttribute('data-from')!, to: el.getAttribute('data-to')!, kind: el.getAttribute('data-kind')!,
    broken: el.getAttribute('data-broken') === 'true', sources: el.getAttribute('data-sources')!, cls: el.getAttribute('class') ?? '',
    shown: getComputedStyle(el).display !== 'none', dash: cs.strokeDasharray, stroke: cs.stroke, marker: line.getAttribute('marker-end'),
    label: label ? label.textContent : null,
  };
}));

const transformOf = (page: Page): Promise<string | null> => page.$eval('svg.topology > g.transform', (g) => g.getAttribute('transform'));

async function noSecurityProblems(p: TopologyPage): Promise<void> {
  assert.deepEqual(await p.violations(), [], 'CSP violations');
  assert.deepEqual(p.consoleErrors, [], 'console errors');
}

let h: Harness;
let examples: TrafficGraph;

before(async () => {
  h = await startHarness();
  examples = examplesGraph();
});
after(async () => { await h?.close(); });

describe('topology webview: the examples workspace', () => {
  let p: TopologyPage;
  // Large enough for the whole graph in full detail at the first view (lod.ts).
  before(async () => { p = await h.open({ theme: 'dark', width: 1920, height: 1080 }); });
  after(async () => { await p.close(); });
  afterEach(async () => { if (process.env.KT_DEBUG) console.log('VIOLATIONS', await p.violations()); });

  it('posts ready, renders the graph and reports what it drew', async () => {
    const posted = await p.posted();
    assert.equal(posted[0]?.type, 'ready');
    const r = await p.postGraph(examples);
    assert.deepEqual({ nodes: r.nodes, edges: r.edges, brokenEdges: r.brokenEdges }, { nodes: 34, edges: 33, brokenEdges: 4 });
  });

  it('draws every resource once (entry points once per lane), with icon, name and facts', async () => {
    const nodes = await domNodes(p.page);
    const graphIds = new Set(nodes.map((n) => n.node));
    for (const n of examples.nodes) assert.ok(graphIds.has(n.id), `missing ${n.id}`);
    assert.equal(nodes.filter((n) => !n.cls.includes(' ref') && !n.id.startsWith('Ref/')).length, examples.nodes.filter((n) => n.kind !== 'Entry' && n.kind !== 'External').length);
    const frontend = nodes.find((n) => n.id === 'Deployment/shop/frontend')!;
    assert.equal(frontend.name, 'frontend');
    assert.equal(frontend.facts, 'Deployment · 3 replicas');
    const icons = await p.page.$$eval('.node .node-icon', (els) => els.map((e) => ({ text: e.textContent ?? '', font: getComputedStyle(e).fontFamily })));
    assert.ok(icons.every((i) => i.text.length === 1 && /codicon/.test(i.font)));
    // The codicon font is loaded (CSP font-src), so the glyphs render.
    assert.ok(await p.page.evaluate(() => document.fonts.check('16px codicon')));
    assert.deepEqual((await p.page.$$eval('.namespace', (els) => els.map((e) => e.getAttribute('data-namespace')))).sort(), ['data', 'payments', 'platform', 'shop']);
  });

  it('lays out left to right: entry -> Ingress/Gateway -> route -> Service -> workload -> External', async () => {
    const nodes = new Map((await domNodes(p.page)).map((n) => [n.id, n]));
    const x = (id: string): number => nodes.get(id)!.x;
    assert.ok(x('Ingress/shop/shop') < x('Service/shop/frontend'));
    assert.ok(x('HTTPRoute/shop/storefront') < x('Service/shop/catalog'));
    assert.ok(x('Gateway/platform/public') < x('HTTPRoute/platform/psp-webhooks'));
    assert.ok(x('Service/shop/frontend') < x('Deployment/shop/frontend'));
    assert.ok(x('Service/payments/psp') < x('Ref/payments/External/api.psp.example.com'));
    assert.ok(x('Ref/shop/Entry/internet') < x('Ingress/shop/shop'));
    const overlaps = [...nodes.values()].filter((a) => [...nodes.values()].some((b) => a !== b && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h));
    assert.deepEqual(overlaps.map((n) => n.id), []);
  });

  it('draws every edge, labelled with hosts, paths, the port chain and weights', async () => {
    const edges = await domEdges(p.page);
    const sources = new Set(edges.flatMap((e) => e.sources.split(' ')));
    assert.equal(sources.size, examples.edges.length);
    const label = (from: string, to: string): string | null | undefined => edges.find((e) => e.from === from && e.to === to)?.label;
    assert.equal(label('Service/shop/frontend', 'Deployment/shop/frontend'), '80 → http (web:8080)');
    assert.equal(label('Ingress/shop/shop', 'Service/shop/cart'), 'shop.example.com/api/cart → 80');
    assert.equal(label('HTTPRoute/shop/storefront', 'Service/shop/catalog'), '/api/catalog → 80 (90%)');
    assert.equal(label('HTTPRoute/shop/storefront', 'Service/shop/catalog-canary'), '/api/catalog → 80 (10%)');
    const weights = await p.page.$$eval('.edge-label .weight', (els) => els.map((e) => e.textContent).sort());
    assert.deepEqual(weights, ['(10%)', '(90%)']);
    assert.equal(label('Gateway/platform/public', 'HTTPRoute/shop/storefront'), 'https');
  });

  it('draws broken references as red dashed edges to ghost nodes', async () => {
    const edges = await domEdges(p.page);
    const broken = edges.filter((e) => e.broken);
    assert.equal(new Set(broken.flatMap((e) => e.sources.split(' '))).size, 4);
    const error = await p.page.evaluate(() => getComputedStyle(document.querySelector('.edge.broken .edge-line')!).stroke);
    for (const e of broken) {
      assert.ok(e.cls.includes('broken'));
      assert.notEqual(e.dash, 'none');
      assert.equal(e.stroke, error);
      assert.equal(e.marker, 'url(#kt-arrow-broken)');
    }
    assert.equal(error, 'rgb(248, 81, 73)', 'the theme\'s errorForeground');
    const ok = edges.find((e) => !e.broken)!;
    assert.equal(ok.dash, 'none');
    const ghosts = broken.map((e) => e.to).filter((id) => id.startsWith('Missing/')).sort();
    assert.deepEqual(ghosts, ['Missing/Pod/shop/app=cart-servce', 'Missing/Service/shop/catalog-api']);
    const ghost = (await domNodes(p.page)).find((n) => n.id === 'Missing/Service/shop/catalog-api')!;
    assert.ok(ghost.cls.includes('g-missing'));
    assert.equal(ghost.facts, 'missing Service');
  });

  it('shows the details on hover, and the diagnostic of a broken edge', async () => {
    await p.page.hover('.node[data-id="Service/shop/frontend"]');
    let tip = await p.page.$eval('.tooltip', (t) => ({ text: t.textContent, shown: getComputedStyle(t).display !== 'none' }));
    assert.ok(tip.shown);
    assert.match(tip.text!, /frontend\.shop\.svc\.cluster\.local/);
    assert.match(tip.text!, /port http 80 → http/);
    const id = (await domEdges(p.page)).find((e) => e.to === 'Missing/Service/shop/catalog-api')!.id;
    await p.page.hover(`.edge-label[data-edge="${id}"]`);
    tip = await p.page.$eval('.tooltip', (t) => ({ text: t.textContent, shown: getComputedStyle(t).display !== 'none' }));
    assert.ok(tip.shown);
    assert.match(tip.text!, /Service catalog-api does not exist\./);
    assert.ok(await p.page.$eval('.tooltip .tt-error', (e) => e.textContent?.includes('does not exist')));
  });

  it('filters by name, kind, namespace and label', async () => {
    const shown = async (): Promise<string[]> => (await domNodes(p.page)).filter((n) => n.shown).map((n) => n.id);
    await p.page.fill('.filter-input', 'kind:Service');
    let ids = await shown();
    assert.ok(ids.length >= 13);
    for (const n of (await domNodes(p.page)).filter((x) => x.shown)) assert.match(n.kind, /^(Service|Missing)$/, n.id);
    assert.ok((await domEdges(p.page)).every((e) => !e.shown), 'edges between hidden nodes are hidden');
    assert.match(await p.page.$eval('.status', (s) => s.textContent ?? ''), /of 34 resources/);
    await p.page.fill('.filter-input', 'catalog');
    ids = await shown();
    assert.ok(ids.includes('Service/shop/catalog') && ids.includes('Deployment/shop/catalog-canary') && ids.includes('Missing/Service/shop/catalog-api'));
    assert.ok(!ids.includes('Service/shop/frontend'));
    await p.page.fill('.filter-input', 'ns:payments kind:deploy');
    assert.deepEqual(await shown(), ['Deployment/payments/payments-api']);
    await p.page.fill('.filter-input', 'label:tier=web');
    assert.deepEqual(await shown(), ['Deployment/shop/frontend']);
    assert.ok((await p.page.$$eval('.namespace', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.getAttribute('data-namespace')))).join() === 'shop');
    await p.page.fill('.filter-input', '');
    assert.equal((await shown()).length, (await domNodes(p.page)).length);
  });

  it('highlights every path through the selected node, dims the rest, and reveals it', async () => {
    await p.page.click('.node[data-id="Service/shop/catalog"]');
    const nodes = new Map((await domNodes(p.page)).map((n) => [n.id, n]));
    assert.ok(nodes.get('Service/shop/catalog')!.cls.includes('selected'));
    for (const id of ['Service/shop/catalog', 'Deployment/shop/catalog', 'HTTPRoute/shop/storefront', 'Gateway/platform/public', 'Ref/platform/Entry/internet']) {
      assert.ok(nodes.get(id)!.cls.includes('hl'), id);
      assert.equal(nodes.get(id)!.opacity, 1, id);
    }
    for (const id of ['Service/shop/cart', 'Deployment/shop/catalog-canary', 'Service/data/postgres', 'Ingress/shop/shop']) {
      assert.ok(!nodes.get(id)!.cls.includes('hl'), id);
      assert.ok(nodes.get(id)!.opacity < 0.5, id);
    }
    const edges = await domEdges(p.page);
    assert.ok(edges.find((e) => e.from === 'HTTPRoute/shop/storefront' && e.to === 'Service/shop/catalog')!.cls.includes('hl'));
    assert.ok(!edges.find((e) => e.from === 'HTTPRoute/shop/storefront' && e.to === 'Service/shop/catalog-canary')!.cls.includes('hl'));
    const reveal = ofType(await p.posted(), 'reveal').at(-1)!;
    assert.equal(reveal.uri, examples.nodes.find((n) => n.id === 'Service/shop/catalog')!.file);
    assert.deepEqual(reveal.range, examples.nodes.find((n) => n.id === 'Service/shop/catalog')!.range);
    // For the docs: a broken path selected, its diagnostic on hover.
    await p.page.click('.node[data-id="Service/shop/cart"]');
    const broken = (await domEdges(p.page)).find((e) => e.from === 'Service/shop/cart')!;
    await p.page.hover(`.edge-label[data-edge="${broken.id}"]`);
    assert.match(await p.page.$eval('.tooltip', (t) => t.textContent ?? ''), /matches no pod template/);
    await p.page.screenshot({ path: screenshotPath('topology-selection.png') });
    await p.page.keyboard.press('Escape');
    assert.ok((await domNodes(p.page)).every((n) => !n.cls.includes('hl') && n.opacity === 1));
  });

  it('is keyboard navigable: one tab stop, arrows follow the edges, Enter reveals', async () => {
    const before = (await p.posted()).filter((m) => m.type === 'reveal').length;
    const stops = await p.page.$$eval('.node[tabindex="0"]', (els) => els.length);
    assert.equal(stops, 1);
    await p.page.focus('.node[data-id="Service/shop/frontend"]');
    await p.page.keyboard.press('ArrowRight');
    assert.equal(await p.page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'Deployment/shop/frontend');
    await p.page.keyboard.press('ArrowLeft');
    const back = await p.page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.match(back ?? '', /^Service\/shop\/(frontend|frontend-debug|storefront-legacy)$/);
    await p.page.keyboard.press('ArrowDown');
    assert.notEqual(await p.page.evaluate(() => document.activeElement?.getAttribute('data-id')), back);
    await p.page.keyboard.press('Enter');
    const reveals = (await p.posted()).filter((m) => m.type === 'reveal');
    assert.equal(reveals.length, before + 1);
    const label = await p.page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.match(label ?? '', / in namespace /);
    assert.equal(await p.page.evaluate(() => document.activeElement?.getAttribute('role')), 'button');
    await p.page.keyboard.press('Escape');
  });

  it('zooms, fits and pans', async () => {
    const zoom = async (): Promise<number> => Number(await p.page.$eval('svg.topology', (s) => (s as SVGSVGElement).dataset.zoom));
    const initial = await zoom();
    await p.page.click('button.fit');
    await p.page.waitForTimeout(50);
    const k0 = await zoom();
    // The first view shows everything if that is readable, else a readable zoom to pan from.
    assert.ok(initial >= Math.min(0.7, k0) - 1e-3 && (initial === k0 || initial >= 0.7 - 1e-3), `initial ${initial}, fit ${k0}`);
    await p.page.click('button.zoom-in');
    await p.page.waitForTimeout(50);
    assert.ok(await zoom() > k0);
    await p.page.click('button.fit');
    await p.page.waitForTimeout(50);
    assert.ok(Math.abs(await zoom() - k0) < 1e-3);
    const t0 = await transformOf(p.page);
    await p.page.mouse.move(700, 880);
    await p.page.mouse.down();
    await p.page.mouse.move(760, 860, { steps: 4 });
    await p.page.mouse.up();
    await p.page.waitForTimeout(50);
    assert.notEqual(await transformOf(p.page), t0);
    await p.page.mouse.wheel(0, -200);
    await p.page.waitForTimeout(50);
    assert.ok(await zoom() > k0);
    await p.page.click('button.fit');
  });

  it('exports SVG (no script, every name) and PNG', async () => {
    await p.page.click('button.export-svg');
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'export'));
    const svgMsg = ofType(await p.posted(), 'export')[0]!;
    assert.equal(svgMsg.format, 'svg');
    assert.match(svgMsg.data, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svgMsg.data, /<script|<foreignObject|javascript:|on\w+="/i);
    for (const name of ['frontend', 'catalog-api', 'payments-webhooks', 'api.psp.example.com', '80 → http (web:8080)']) assert.ok(svgMsg.data.includes(name), name);
    // Well-formed (parsed in a blank page: the webview's CSP would refuse the export's own <style>).
    const scratch = await p.context.newPage();
    const parsed = await scratch.evaluate((s) => {
      const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, texts: doc.querySelectorAll('text').length };
    }, svgMsg.data);
    await scratch.close();
    assert.equal(parsed.error, null);
    assert.ok(parsed.texts > 60);
    await p.page.click('button.export-png');
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string; format?: string }[] }).__posted.some((m) => m.type === 'export' && m.format === 'png'), undefined, { timeout: 30_000 });
    const png = ofType(await p.posted(), 'export').find((m) => m.format === 'png')!;
    assert.match(png.data, /^data:image\/png;base64,/);
    const bytes = Buffer.from(png.data.slice('data:image/png;base64,'.length), 'base64');
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.ok(bytes.readUInt32BE(16) > 1000 && bytes.readUInt32BE(20) > 500, 'PNG size');
  });

  it('follows the active editor and highlights traced paths', async () => {
    await p.post({ type: 'focus', ids: ['Service/payments/psp'] });
    await p.page.waitForTimeout(50);
    assert.equal(await p.page.$$eval('.node.selected', (e) => e.length), 0, 'follow is off');
    await p.page.check('.follow input');
    await p.post({ type: 'focus', ids: ['Service/payments/psp'] });
    await p.page.waitForTimeout(100);
    assert.deepEqual(await p.page.$$eval('.node.selected', (e) => e.map((x) => x.getAttribute('data-id'))), ['Service/payments/psp']);
    await p.page.uncheck('.follow input');
    await p.post({ type: 'trace', path: ['Entry/internet', 'Ingress/shop/shop', 'Service/shop/frontend', 'Deployment/shop/frontend'] });
    await p.page.waitForTimeout(50);
    const hl = (await domEdges(p.page)).filter((e) => e.cls.includes('hl')).map((e) => `${e.from} > ${e.to}`).sort();
    assert.deepEqual(hl, ['Entry/internet > Ingress/shop/shop', 'Ingress/shop/shop > Service/shop/frontend', 'Service/shop/frontend > Deployment/shop/frontend']);
    await p.post({ type: 'trace', path: [] });
    await p.page.keyboard.press('Escape');
  });

  it('picks a namespace', async () => {
    const rendered = (await p.posted()).filter((m) => m.type === 'rendered').length;
    await p.page.selectOption('.ns-select', 'payments');
    await p.page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > n, rendered);
    const ids = new Set((await domNodes(p.page)).map((n) => n.node));
    assert.ok(ids.has('Deployment/payments/payments-api'));
    assert.ok(ids.has('HTTPRoute/shop/storefront'), 'the route sending traffic into payments');
    assert.ok(!ids.has('Deployment/shop/frontend'));
    assert.deepEqual(await p.page.$$eval('.namespace', (els) => els.map((e) => e.getAttribute('data-namespace')).sort()), ['payments', 'platform', 'shop']);
    await p.page.selectOption('.ns-select', '');
    await p.page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > n + 1, rendered);
    assert.equal((await domNodes(p.page)).filter((n) => !n.id.startsWith('Ref/')).length, 30);
  });

  it('ignores messages that do not match the protocol', async () => {
    const before = (await p.posted()).length;
    for (const m of [null, 42, 'graph', { type: 'graph' }, { type: 'graph', graph: 'x', activeIds: [] }, { type: 'graph', graph: { nodes: {}, edges: [] }, activeIds: [] }, { type: 'evil' }, { type: 'focus', ids: [1] }]) await p.post(m);
    await p.page.waitForTimeout(200);
    assert.equal((await p.posted()).length, before);
    assert.equal((await domNodes(p.page)).filter((n) => !n.id.startsWith('Ref/')).length, 30);
  });

  it('collapses a namespace into a summary node and expands it again', async () => {
    const rendered = async (): Promise<number> => (await p.posted()).filter((m) => m.type === 'rendered').length;
    let n = await rendered();
    await p.page.click('.ns-label[data-namespace="shop"]');
    await p.page.waitForFunction((k) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > k, n);
    const summary = await p.page.$eval('.node.summary', (e) => ({ id: e.getAttribute('data-id'), facts: e.querySelector('.node-facts')?.textContent }));
    assert.equal(summary.id, 'Namespace/shop');
    assert.match(summary.facts ?? '', /^18 resources · 3 broken/);
    assert.equal(await p.page.$('.node[data-id="Deployment/shop/frontend"]'), null);
    // Edges into the collapsed namespace end at references of its summary.
    assert.ok(await p.page.$('.node[data-id="Ref/payments/Namespace/shop"]'));
    n = await rendered();
    await p.page.focus('.node.summary');
    await p.page.keyboard.press('Enter');
    await p.page.waitForFunction((k) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > k, n);
    assert.equal(await p.page.$('.node.summary'), null);
    assert.ok(await p.page.$('.node[data-id="Deployment/shop/frontend"]'));
  });

  it('had no CSP violation and no console error', async () => { await noSecurityProblems(p); });
});

describe('topology webview: an empty workspace', () => {
  it('says so, and reports an empty render', async () => {
    const p = await h.open();
    const r = await p.postGraph({ nodes: [], edges: [] });
    assert.deepEqual([r.nodes, r.edges, r.brokenEdges], [0, 0, 0]);
    assert.match(await p.page.$eval('.empty', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? '')), /No Kubernetes Services/);
    await noSecurityProblems(p);
    await p.close();
  });
});

describe('topology webview: live updates and state', () => {
  it('keeps zoom, pan and selection when the graph changes', async () => {
    const p = await h.open();
    await p.postGraph(examples);
    await p.page.click('button.zoom-in');
    await p.page.mouse.move(600, 500);
    await p.page.mouse.down();
    await p.page.mouse.move(520, 460, { steps: 3 });
    await p.page.mouse.up();
    await p.page.click('.node[data-id="Deployment/shop/catalog"]');
    await p.page.waitForTimeout(150);
    const t0 = await transformOf(p.page);
    const added: GraphNode = { id: 'Service/data/postgres-replica', kind: 'Service', namespace: 'data', name: 'postgres-replica', file: 'examples/data/postgres-statefulset.yaml', range: { start: { line: 40, character: 8 }, end: { line: 40, character: 24 } }, details: { type: 'ClusterIP', exposure: ['ClusterIP'], selector: { app: 'postgres' }, ports: [] } };
    const next: TrafficGraph = { nodes: [...examples.nodes, added], edges: [...examples.edges, { from: added.id, to: 'StatefulSet/data/postgres', kind: 'selects', label: '5432 → 5432 (postgres:5432)', broken: false }] };
    const r = await p.postGraph(next);
    assert.equal(r.nodes, 35);
    assert.equal(await transformOf(p.page), t0);
    assert.ok(await p.page.$('.node[data-id="Service/data/postgres-replica"]'));
    assert.deepEqual(await p.page.$$eval('.node.selected', (e) => e.map((x) => x.getAttribute('data-id'))), ['Deployment/shop/catalog']);
    assert.ok(await p.page.$eval('.node[data-id="Service/shop/catalog"]', (e) => e.classList.contains('hl')));
    // The same graph again: no re-layout, nothing moves.
    const before = await p.page.$eval('svg.topology', (s) => (s as SVGSVGElement).dataset.layoutMs);
    const pos = await p.page.$eval('.node[data-id="Service/shop/catalog"]', (e) => e.getAttribute('transform'));
    await p.postGraph(next);
    assert.equal(await p.page.$eval('.node[data-id="Service/shop/catalog"]', (e) => e.getAttribute('transform')), pos);
    assert.equal(await p.page.$eval('svg.topology', (s) => (s as SVGSVGElement).dataset.layoutMs), before);
    // vscode.setState keeps the view for when the panel is re-created.
    await p.page.fill('.filter-input', 'catalog');
    await p.page.waitForTimeout(200);
    const state = await p.page.evaluate(() => (window as unknown as { __state: unknown }).__state) as { transform: unknown; selected: string[]; filter: string };
    assert.deepEqual(state.selected, ['Deployment/shop/catalog']);
    assert.equal(state.filter, 'catalog');
    await noSecurityProblems(p);
    await p.close();

    const q = await h.open({ state });
    await q.postGraph(next);
    assert.equal(await transformOf(q.page), t0);
    assert.equal(await q.page.inputValue('.filter-input'), 'catalog');
    assert.deepEqual(await q.page.$$eval('.node.selected', (e) => e.map((x) => x.getAttribute('data-id'))), ['Deployment/shop/catalog']);
    await noSecurityProblems(q);
    await q.close();
  });
});

describe('topology webview: manifest strings are text, never markup', () => {
  it('renders a Service named <img src=x onerror=…> and a <script> label as literal text', async () => {
    const evil = '<img src=x onerror="window.__xss=1">';
    const script = '<script>window.__xss=2</script>';
    const graph: TrafficGraph = {
      nodes: [
        { id: `Service/web/${evil}`, kind: 'Service', namespace: 'web', name: evil, file: 'web.yaml', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, details: { type: 'ClusterIP', exposure: ['<svg onload="window.__xss=3">'], dns: '<b>dns</b>', selector: { [script]: '<img src=y onerror="window.__xss=4">' }, ports: [{ name: '<i>p</i>', port: 80, targetPort: 8080, nodePort: null, protocol: 'TCP' }] } },
        { id: 'Deployment/web/app', kind: 'Deployment', namespace: 'web', name: 'app', file: 'web.yaml', details: { replicas: 1, labels: { '<style>*{display:none}</style>': 'x' }, containers: [] } },
        { id: 'Missing/Service/web/<iframe src=javascript:alert(1)>', kind: 'Missing', namespace: 'web', name: '<iframe src=javascript:alert(1)>', details: { missingKind: 'Service' } },
        { id: 'Ingress/web/in', kind: 'Ingress', namespace: 'web', name: 'in', file: 'web.yaml', details: { hosts: [], tls: [] } },
      ],
      edges: [
        { from: `Service/web/${evil}`, to: 'Deployment/web/app', kind: 'selects', label: `${script} → 80`, broken: false },
        { from: 'Ingress/web/in', to: 'Missing/Service/web/<iframe src=javascript:alert(1)>', kind: 'routes', label: '<a href="javascript:alert(1)">x</a>', broken: true, message: `${script} does not exist.` },
        { from: 'Ingress/web/in', to: `Service/web/${evil}`, kind: 'routes', label: '*/ → 80', broken: false },
      ],
    };
    const p = await h.open();
    await p.postGraph(graph);
    assert.equal(await p.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await p.page.$$eval('img, iframe, a, b, i, style:not(head style), foreignObject', (els) => els.length), 0);
    assert.equal(await p.page.$$eval('script', (els) => els.length), 2, 'only the page\'s own scripts');
    const names = (await domNodes(p.page)).map((n) => n.name);
    assert.ok(names.some((n) => n.startsWith('<img src=x')), JSON.stringify(names));
    assert.ok(names.some((n) => n.startsWith('<iframe')));
    const labels = (await domEdges(p.page)).map((e) => e.label);
    assert.ok(labels.includes(`${script} → 80`), JSON.stringify(labels));
    assert.ok(labels.some((l) => l?.startsWith('<a href=')));
    await p.page.hover(`.node[data-node=${JSON.stringify(`Service/web/${evil}`)}]`);
    const tip = await p.page.$eval('.tooltip', (t) => ({ text: t.textContent ?? '', children: t.querySelectorAll('*:not(div)').length }));
    assert.ok(tip.text.includes(evil) && tip.text.includes(script) && tip.text.includes('<svg onload'), tip.text);
    assert.equal(tip.children, 0);
    const brokenId = (await domEdges(p.page)).find((e) => e.broken)!.id;
    await p.page.hover(`.edge[data-id="${brokenId}"] .edge-hit`, { force: true });
    assert.ok((await p.page.$eval('.tooltip', (t) => t.textContent ?? '')).includes(`${script} does not exist.`));
    await p.page.click('button.export-svg');
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'export'));
    const svg = ofType(await p.posted(), 'export')[0]!.data;
    assert.doesNotMatch(svg, /<script|<img|<iframe|<a /i);
    assert.ok(svg.includes('&lt;img src=x onerror='), 'the name, escaped as text');
    assert.ok(svg.includes('&lt;script&gt;window.__xss=2&lt;/script&gt;'), 'the label, escaped as text');
    await p.page.waitForTimeout(300);
    assert.equal(await p.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    await noSecurityProblems(p);
    await p.close();
  });
});

describe('topology webview: a traced request and NetworkPolicy', () => {
  it('lights a branching trace from the trace engine (both weighted backends) and reports it; draws policy-denied edges', async () => {
    // Wide enough that the webview brings the whole path into view in full detail, port chains included (lod.ts).
    const p = await h.open({ theme: 'dark', width: 1920, height: 1080 });
    await p.postGraph(examplesGraph(['examples']));
    const trace = JSON.parse(execFileSync(process.execPath, ['server/out/cli.js', 'trace', 'https://beta.shop.example.com/api/catalog/items', 'examples', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' })) as
      { nodeIds: string[]; edges: { from: string; to: string }[] };
    await p.post({ type: 'trace', path: trace.nodeIds, edges: trace.edges });
    await p.page.waitForTimeout(100);
    const hl = (await domEdges(p.page)).filter((e) => e.cls.includes('hl')).map((e) => `${e.from} > ${e.to}`);
    for (const pair of ['Service/shop/catalog > Deployment/shop/catalog', 'Service/shop/catalog-canary > Deployment/shop/catalog-canary']) assert.ok(hl.includes(pair), `${pair} in ${JSON.stringify(hl)}`);
    assert.ok(!hl.some((e) => e.includes('Service/shop/cart')));
    const shown = (await p.posted()).filter((m) => m.type === 'traceShown');
    assert.ok(shown.length > 0, 'the webview reports what it lit');
    // examples/policies: the admin Deployment is isolated by a default deny; its incoming edge is drawn as denied.
    const denied = (await domEdges(p.page)).filter((e) => e.cls.includes('policy-denied')).map((e) => `${e.from} > ${e.to}`);
    assert.deepEqual(denied, ['Service/store/admin > Deployment/store/admin']);
    await p.page.screenshot({ path: screenshotPath('topology-trace.png') });
    await p.post({ type: 'trace', path: [] });
    await p.page.selectOption('.ns-select', 'store');
    await p.page.waitForTimeout(300);
    await p.page.screenshot({ path: screenshotPath('topology-policy.png') });
    await noSecurityProblems(p);
    await p.close();
  });
});

describe('topology webview: Gateway API mirrors and mesh routes', () => {
  it('draws a RequestMirror as a mirrors edge (dash-dot) and a mesh route attached to its Service', async () => {
    const p = await h.open({ theme: 'dark', width: 1600, height: 900 });
    const g = examplesGraph(['test/webview/fixtures/gateway-semantics.yaml']);
    const r = await p.postGraph(g);
    assert.deepEqual({ nodes: r.nodes, edges: r.edges, brokenEdges: r.brokenEdges }, { nodes: g.nodes.length, edges: g.edges.length, brokenEdges: 0 });
    const edges = await domEdges(p.page);
    const mirror = edges.find((e) => e.from === 'HTTPRoute/app/site' && e.to === 'Service/app/shadow')!;
    const routes = edges.find((e) => e.from === 'HTTPRoute/app/site' && e.to === 'Service/app/echo')!;
    assert.equal(mirror.kind, 'mirrors');
    assert.match(mirror.cls, /\bk-mirrors\b/);
    assert.equal(mirror.label, 'mirror 10% → 80');
    assert.notEqual(mirror.dash, routes.dash, 'a mirror is drawn unlike the route\'s own traffic');
    assert.match(mirror.dash, /\d/);
    const mesh = edges.find((e) => e.from === 'HTTPRoute/app/split' && e.to === 'Service/app/echo' && e.kind === 'attaches')!;
    assert.equal(mesh.label, 'mesh port 80 (producer)');
    assert.equal(mesh.shown, true);
    await p.page.screenshot({ path: screenshotPath('topology-gateway-semantics.png') });
    await noSecurityProblems(p);
    await p.close();
  });
});

describe('topology webview: themes (screenshots)', () => {
  for (const theme of ['dark', 'light', 'hc'] as const) {
    it(`renders the examples in the ${theme} theme`, async () => {
      // The README's pictures: the whole graph, which fits this size in full detail (lod.ts).
      const p = await h.open({ theme, width: 1920, height: 1080 });
      await p.postGraph(examples);
      const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, { dark: 'rgb(31, 31, 31)', light: 'rgb(255, 255, 255)', hc: 'rgb(0, 0, 0)' }[theme]);
      const nameFill = await p.page.$eval('.node .node-name', (e) => getComputedStyle(e).fill);
      assert.equal(nameFill, { dark: 'rgb(204, 204, 204)', light: 'rgb(59, 59, 59)', hc: 'rgb(255, 255, 255)' }[theme]);
      await p.page.waitForTimeout(100);
      await p.page.screenshot({ path: screenshotPath(`topology-${theme}.png`) });
      await noSecurityProblems(p);
      await p.close();
    });
  }
});

describe('topology webview: 1,000 resources', () => {
  const big = generateGraph(1000);

  it('lays out, renders and stays responsive', async (t) => {
    const p = await h.open();
    const start = Date.now();
    const pending = p.postGraph(big);
    // While ELK works (one namespace at a time), the page says so and still answers.
    await p.page.waitForFunction(() => /Laying out [\d,]+ resources/.test(document.querySelector('.overlay')?.textContent ?? '') && !(document.querySelector('.overlay') as HTMLElement).hidden);
    assert.equal(await p.page.evaluate(() => 1 + 1), 2);
    const r = await pending;
    const wall = Date.now() - start;
    assert.ok(await p.page.$eval('.overlay', (o) => (o as HTMLElement).hidden));
    const times = await p.page.$eval('svg.topology', (s) => ({ layout: Number((s as SVGSVGElement).dataset.layoutMs), render: Number((s as SVGSVGElement).dataset.renderMs) }));
    const drawn = await p.page.$$eval('.node', (e) => e.length);
    t.diagnostic(`1,000 nodes (big namespaces collapsed): ${drawn} drawn nodes, layout ${times.layout} ms, render ${times.render} ms, message to rendered ${wall} ms`);
    assert.ok(r.nodes > 400);
    assert.ok(await p.page.$('.node.summary'), 'big namespaces collapsed');
    assert.ok(times.layout + times.render < 20_000);
    // Filter typing and selection: time to the next painted frame.
    const typing = await p.page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('.filter-input')!;
      const out: number[] = [];
      for (const q of ['o', 'or', 'ord', 'orders', '']) {
        const t0 = performance.now();
        input.value = q;
        input.dispatchEvent(new Event('input'));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        out.push(performance.now() - t0);
      }
      return out;
    });
    const select = await p.page.evaluate(async () => {
      const el = document.querySelector('.node[data-kind="Service"]')!;
      const t0 = performance.now();
      el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - t0;
    });
    t.diagnostic(`filter keystrokes ${typing.map((x) => x.toFixed(0)).join(', ')} ms; selection ${select.toFixed(0)} ms`);
    assert.ok(Math.max(...typing) < 1000, `typing ${typing.join(', ')}`); // a guard against hangs; timings come from the benchmark
    assert.ok(select < 1000, `selection ${select}`);
    await p.page.keyboard.press('Escape');
    await p.page.click('button.fit');
    await p.page.waitForTimeout(100);
    await p.page.screenshot({ path: screenshotPath('topology-1000.png') });
    // Expanding a collapsed namespace lays out again.
    const before = await p.page.$$eval('.node', (e) => e.length);
    const rendered = (await p.posted()).filter((m) => m.type === 'rendered').length;
    await p.page.click('.node.summary');
    await p.page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > n, rendered, { timeout: 60_000 });
    assert.ok(await p.page.$$eval('.node', (e) => e.length) > before);
    await noSecurityProblems(p);
    await p.close();
  });

  it('lays out all 1,000 resources expanded', async (t) => {
    const namespaces = [...new Set(big.nodes.map((n) => n.namespace).filter((x): x is string => !!x))];
    const p = await h.open({ state: { v: 1, selected: [], filter: '', namespace: '', follow: false, expanded: namespaces, collapsed: [] } });
    const start = Date.now();
    const r = await p.postGraph(big);
    const wall = Date.now() - start;
    const times = await p.page.$eval('svg.topology', (s) => ({ layout: Number((s as SVGSVGElement).dataset.layoutMs), render: Number((s as SVGSVGElement).dataset.renderMs) }));
    t.diagnostic(`1,000 nodes expanded: ${r.nodes} resources, layout ${times.layout} ms, render ${times.render} ms, message to rendered ${wall} ms`);
    assert.equal(r.nodes, big.nodes.length);
    assert.equal(await p.page.$('.node.summary'), null);
    await noSecurityProblems(p);
    await p.close();
  });
});
