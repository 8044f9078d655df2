/**
 * Text stays legible at any zoom (lod.ts): no text of the topology is drawn smaller than 9 CSS
 * pixels on screen; zoomed out, nodes show their name only, then nothing but boxes, instead of
 * shrinking text. A lit trace is brought into view at a readable scale, and large graphs get an
 * overview map that moves the view. Measured in headless Chromium: the computed font size of
 * every text element drawn inside the view, times the element's on-screen scale.
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { TrafficGraph } from '../../server/src/protocol/webview';
import { generateGraph } from './generate';
import { examplesGraph, ofType, ROOT, screenshotPath, startHarness, type Harness, type TopologyPage } from './harness';

/** The legibility floor the view promises (lod.ts MIN_TEXT_PX). */
const MIN_PX = 9;

interface DrawnText { cls: string; text: string; px: number }

/**
 * Every SVG text element that is rendered (not display:none or visibility:hidden anywhere up its
 * tree), not empty, and at least partly inside the view, with its on-screen font size in CSS
 * pixels. (A string: functions passed to evaluate must not be transformed by the test runner.)
 */
const DRAWN_TEXT = `(() => {
  const vp = document.querySelector('.viewport').getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll('svg.topology text')) {
    if (!el.textContent.trim()) continue;
    if (!el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right < vp.left || r.left > vp.right || r.bottom < vp.top || r.top > vp.bottom) continue;
    out.push({ cls: el.getAttribute('class') || el.parentElement.getAttribute('class'), text: el.textContent.slice(0, 40), px: parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a });
  }
  return out;
})()`;

const drawnText = (page: Page): Promise<DrawnText[]> => page.evaluate(DRAWN_TEXT) as Promise<DrawnText[]>;
const zoom = async (page: Page): Promise<number> => Number(await page.$eval('svg.topology', (s) => (s as SVGSVGElement).dataset.zoom));
const lod = (page: Page): Promise<string | undefined> => page.$eval('svg.topology', (s) => (s as SVGSVGElement).dataset.lod);
/** Waits for the transform to be applied (it is applied on the next animation frame). */
const settle = (page: Page): Promise<void> => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

async function assertLegible(page: Page, what: string): Promise<DrawnText[]> {
  await settle(page);
  const texts = await drawnText(page);
  const small = texts.filter((t) => t.px < MIN_PX - 0.01);
  assert.deepEqual(small.slice(0, 5), [], `${what} (zoom ${await zoom(page)}, ${await lod(page)}): ${small.length} of ${texts.length} texts under ${MIN_PX}px`);
  return texts;
}

/** The view's transform, and the viewport's size. */
async function viewOf(page: Page): Promise<{ x: number; y: number; k: number; w: number; h: number }> {
  return page.evaluate(`(() => {
    const t = document.querySelector('svg.topology > g.transform').getAttribute('transform');
    const m = /translate\\(([-\\d.]+),([-\\d.]+)\\) scale\\(([\\d.]+)\\)/.exec(t);
    const vp = document.querySelector('.viewport');
    return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]), w: vp.clientWidth, h: vp.clientHeight };
  })()`) as Promise<{ x: number; y: number; k: number; w: number; h: number }>;
}

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

describe('legible text at any zoom: the 40-resource examples', () => {
  for (const [width, height] of [[1400, 900], [900, 640]] as const) {
    it(`after Fit in a ${width}×${height} view: every text is ≥ ${MIN_PX}px on screen, and the nodes show their names`, async () => {
      const p = await h.open({ width, height });
      try {
        await p.postGraph(examples);
        await p.page.click('button.fit');
        const texts = await assertLegible(p.page, 'after Fit');
        assert.ok((await zoom(p.page)) < 0.818, 'the graph does not fit in full detail: Fit zooms out below it');
        assert.equal(await lod(p.page), 'compact');
        // Compact nodes: the name (or its start, cut with an ellipsis), and no facts, icons or edge labels.
        const names = await p.page.$$eval('.node', (els) => els.map((e) => ({ full: e.querySelector('.node-name')?.textContent ?? '', shown: e.querySelector('.node-compact')?.textContent ?? '' })));
        const named = names.filter((n) => n.shown && (n.shown === n.full || (n.shown.endsWith('…') && n.full.startsWith(n.shown.slice(0, -1)))));
        assert.ok(named.length >= names.length * 0.9, `${named.length} of ${names.length} nodes show their name: ${JSON.stringify(names.slice(0, 5))}`);
        assert.ok(texts.some((t) => t.cls.includes('node-compact')));
        assert.ok(!texts.some((t) => /node-facts|node-icon|label-text/.test(t.cls)), JSON.stringify(texts.filter((t) => /node-facts|node-icon|label-text/.test(t.cls)).slice(0, 3)));
        if (width === 900) await p.page.screenshot({ path: screenshotPath('topology-fit.png') });
        await noSecurityProblems(p);
      } finally { await p.close(); }
    });
  }

  it('zooming out step by step from full detail to the smallest zoom never draws text under 9px; zoomed in, everything is back', async () => {
    const p = await h.open({ width: 1400, height: 900 });
    try {
      await p.postGraph(examples);
      await p.page.mouse.move(700, 500);
      const seen = new Set<string>();
      for (let i = 0; i < 24; i++) {
        await assertLegible(p.page, `zoom-out step ${i}`);
        seen.add((await lod(p.page))!);
        await p.page.keyboard.press('-');
      }
      assert.deepEqual([...seen].sort(), ['compact', 'far', 'full'], 'went through every level of detail');
      assert.ok(await zoom(p.page) < 0.1);
      // Far out: only namespace names, large enough, or none.
      const far = await assertLegible(p.page, 'far');
      assert.ok(far.every((t) => /ns-label/.test(t.cls)), JSON.stringify(far.slice(0, 3)));
      for (let i = 0; i < 24; i++) await p.page.keyboard.press('+');
      const near = await assertLegible(p.page, 'zoomed in');
      assert.equal(await lod(p.page), 'full');
      for (const cls of ['node-name', 'node-facts', 'label-text']) assert.ok(near.some((t) => t.cls.includes(cls)), `${cls} drawn in full detail`);
      await noSecurityProblems(p);
    } finally { await p.close(); }
  });

  it('the first view is readable in full detail (top left, where traffic enters) when all of it would not be', async () => {
    const p = await h.open({ width: 1400, height: 900 });
    try {
      await p.postGraph(examples);
      assert.equal(await lod(p.page), 'full');
      const texts = await assertLegible(p.page, 'first view');
      assert.ok(texts.some((t) => t.cls.includes('node-facts')) && texts.some((t) => t.cls.includes('label-text')));
      assert.ok(!(await p.page.$eval('.minimap', (m) => (m as HTMLElement).hidden)), 'the overview map shows the rest');
    } finally { await p.close(); }
  });

  it('exports the whole graph in full detail even while zoomed out', async () => {
    const p = await h.open({ width: 900, height: 640 });
    try {
      await p.postGraph(examples);
      await p.page.click('button.fit');
      await settle(p.page);
      assert.equal(await lod(p.page), 'compact');
      await p.page.click('button.export-svg');
      await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'export'));
      const svg = ofType(await p.posted(), 'export')[0]!.data;
      assert.ok(svg.includes('Deployment · 3 replicas'), 'facts lines are in the export');
      assert.ok(svg.includes('80 → http (web:8080)'), 'edge labels are in the export');
      assert.equal(await lod(p.page), 'compact', 'the view is as it was');
      assert.equal(await p.page.$eval('svg.topology', (s) => s.classList.contains('exporting')), false);
    } finally { await p.close(); }
  });
});

describe('a lit trace is brought into view at a readable scale', () => {
  const traceOf = (url: string): { nodeIds: string[]; edges: { from: string; to: string }[] } =>
    JSON.parse(execFileSync(process.execPath, ['server/out/cli.js', 'trace', url, 'examples', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' })) as { nodeIds: string[]; edges: { from: string; to: string }[] };

  for (const [width, height, full] of [[1400, 900, false], [1920, 1080, true]] as const) {
    it(`${width}×${height}: from a view elsewhere, the traced nodes come inside the view, names ≥ 9px${full ? ', in full detail with the port chains' : ''}`, async () => {
      const p = await h.open({ width, height });
      try {
        await p.postGraph(examplesGraph(['examples']));
        // Look somewhere else first: zoomed in on the bottom right corner.
        for (let i = 0; i < 6; i++) await p.page.keyboard.press('+');
        await p.page.mouse.move(width - 50, height - 50);
        await p.page.mouse.wheel(0, -300);
        const trace = traceOf('https://beta.shop.example.com/api/catalog/items');
        const lit = new Set(trace.nodeIds);
        await settle(p.page);
        const before = await p.page.$eval('svg.topology > g.transform', (g) => g.getAttribute('transform'));
        await p.post({ type: 'trace', path: trace.nodeIds, edges: trace.edges });
        await p.page.waitForFunction((t0) => document.querySelector('svg.topology > g.transform')!.getAttribute('transform') !== t0, before, { timeout: 5000 });
        await settle(p.page);
        const vp = await p.page.$eval('.viewport', (e) => { const r = e.getBoundingClientRect(); return { l: r.left, t: r.top, r: r.right, b: r.bottom }; });
        const nodes = await p.page.$$eval('.node.hl', (els) => els.map((e) => {
          const r = e.getBoundingClientRect();
          return { id: e.getAttribute('data-node')!, l: r.left, t: r.top, r: r.right, b: r.bottom };
        }));
        for (const id of lit) assert.ok(nodes.some((n) => n.id === id), `${id} is lit`);
        for (const n of nodes) assert.ok(n.l >= vp.l - 0.5 && n.t >= vp.t - 0.5 && n.r <= vp.r + 0.5 && n.b <= vp.b + 0.5, `${n.id} inside the view: ${JSON.stringify(n)} in ${JSON.stringify(vp)}`);
        const k = await zoom(p.page);
        assert.ok(k >= 0.3125, `zoom ${k}: compact names still fit their boxes`);
        const texts = await assertLegible(p.page, 'trace');
        // Each lit node shows its name: the full-detail name or the compact one.
        const names = await p.page.$$eval('.node.hl', (els) => els.map((e) => {
          const full = e.querySelector('.node-name')!;
          const compact = e.querySelector('.node-compact')!;
          const shown = getComputedStyle(full).display !== 'none' ? full : compact;
          return (getComputedStyle(shown).display !== 'none' ? shown.textContent : '') ?? '';
        }));
        assert.ok(names.every((n) => n.length > 0), JSON.stringify(names));
        if (full) {
          assert.ok(k >= 0.818 - 1e-3, `zoom ${k}: full detail`);
          const labels = texts.filter((t) => t.cls.includes('label-text')).map((t) => t.text);
          assert.ok(labels.some((l) => l.startsWith('/api/catalog → 80')), JSON.stringify(labels));
        }
        await noSecurityProblems(p);
      } finally { await p.close(); }
    });
  }
});

describe('overview map (minimap) for large graphs', () => {
  const big = generateGraph(1000);

  it('1,000 resources: Fit keeps text ≥ 9px; zoomed in, the map shows; clicking and dragging it moves the view there', async () => {
    const p = await h.open({ width: 1400, height: 900 });
    try {
      await p.postGraph(big);
      await p.page.click('button.fit');
      const texts = await assertLegible(p.page, '1,000 resources after Fit');
      assert.ok(texts.some((t) => t.cls.includes('ns-label')), 'namespace names are drawn');
      const map = await p.page.$('.minimap');
      assert.ok(map);
      // Fitted, the whole graph is in view: no map over it. Zoomed in to full detail, the map shows.
      assert.equal(await map.evaluate((m) => (m as HTMLElement).hidden), true, 'no map while everything is in view');
      for (let i = 0; i < 10; i++) await p.page.keyboard.press('+');
      await settle(p.page);
      assert.equal(await lod(p.page), 'full');
      assert.equal(await map.evaluate((m) => (m as HTMLElement).hidden), false, 'the map is shown');
      const canvas = (await p.page.$('.minimap canvas'))!;
      const box = (await canvas.boundingBox())!;
      const lw = Number(await map.getAttribute('data-layout-width'));
      const lh = Number(await map.getAttribute('data-layout-height'));
      const s = box.width / lw;
      assert.ok(Math.abs(box.height / lh - s) < 0.02, 'the map keeps the layout\'s proportions');
      // A click on the map centres the view on that point.
      const rectBefore = await p.page.$eval('.minimap-view', (e) => (e as HTMLElement).style.left);
      for (const [fx, fy] of [[0.8, 0.7], [0.2, 0.3]] as const) {
        const cx = box.x + box.width * fx;
        const cy = box.y + box.height * fy;
        await p.page.mouse.click(cx, cy);
        await settle(p.page);
        const v = await viewOf(p.page);
        const centre = { x: (v.w / 2 - v.x) / v.k, y: (v.h / 2 - v.y) / v.k };
        const want = { x: (cx - box.x) / s, y: (cy - box.y) / s };
        assert.ok(Math.abs(centre.x - want.x) < 3 && Math.abs(centre.y - want.y) < 3, `centre ${JSON.stringify(centre)}, clicked ${JSON.stringify(want)}`);
        await assertLegible(p.page, `after a click on the map at ${fx},${fy}`);
      }
      assert.notEqual(await p.page.$eval('.minimap-view', (e) => (e as HTMLElement).style.left), rectBefore, 'the outline of the view follows');
      // Dragging on the map pans continuously.
      await p.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      await p.page.mouse.down();
      const xs: number[] = [];
      for (const f of [0.4, 0.5, 0.6]) {
        await p.page.mouse.move(box.x + box.width * f, box.y + box.height * 0.5, { steps: 2 });
        await settle(p.page);
        xs.push((await viewOf(p.page)).x);
      }
      await p.page.mouse.up();
      assert.ok(xs[0]! > xs[1]! && xs[1]! > xs[2]!, `the view moves right as the pointer does: ${xs.join(', ')}`);
      await p.page.screenshot({ path: screenshotPath('topology-minimap.png') });
      // The toolbar button (and `m`) turn it off and on; the choice is kept in the view state.
      await p.page.click('button.minimap-toggle');
      await settle(p.page);
      assert.equal(await map.evaluate((m) => (m as HTMLElement).hidden), true);
      assert.equal(await p.page.getAttribute('button.minimap-toggle', 'aria-pressed'), 'false');
      await p.page.waitForFunction(() => (window as unknown as { __state?: { minimap?: boolean } }).__state?.minimap === false);
      await p.page.keyboard.press('m');
      await settle(p.page);
      assert.equal(await map.evaluate((m) => (m as HTMLElement).hidden), false);
      await noSecurityProblems(p);
    } finally { await p.close(); }
  });

  it('a graph that fits in full detail gets no map', async () => {
    const small: TrafficGraph = {
      nodes: [
        { id: 'Service/web/api', kind: 'Service', namespace: 'web', name: 'api', details: { type: 'ClusterIP', exposure: ['ClusterIP'], selector: { app: 'api' }, ports: [] } },
        { id: 'Deployment/web/api', kind: 'Deployment', namespace: 'web', name: 'api', details: { replicas: 2, labels: { app: 'api' }, containers: [] } },
      ],
      edges: [{ from: 'Service/web/api', to: 'Deployment/web/api', kind: 'selects', label: '80 → 8080', broken: false }],
    };
    const p = await h.open({ width: 1400, height: 900 });
    try {
      await p.postGraph(small);
      await settle(p.page);
      assert.equal(await lod(p.page), 'full');
      assert.equal(await p.page.$eval('.minimap', (m) => (m as HTMLElement).hidden), true);
      await assertLegible(p.page, 'small graph');
    } finally { await p.close(); }
  });
});
