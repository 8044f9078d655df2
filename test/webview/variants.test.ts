/**
 * The topology's variant picker in headless Chromium: hidden for a workspace without variants;
 * with variants, it lists the plain view and each variant, shows the one drawn, and picking one
 * asks the extension for that cluster (a `variant` message).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { examplesGraph, ofType, screenshotPath, startHarness, type Harness } from './harness';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const picker = (page: import('playwright-core').Page) => page.$eval('select.variant-select', (el) => {
  const s = el as HTMLSelectElement;
  return { hidden: s.hidden || getComputedStyle(s).display === 'none', value: s.value, options: [...s.options].map((o) => o.textContent) };
});

it('no variants: no picker', async () => {
  const p = await h.open({ width: 1400, height: 900 });
  try {
    await p.postGraph(examplesGraph());
    assert.deepEqual(await picker(p.page), { hidden: true, value: '', options: [] });
  } finally {
    await p.close();
  }
});

it('variants: the picker lists them, shows the one drawn, and asks for another', async () => {
  const p = await h.open({ width: 1400, height: 900 });
  try {
    const variants = ['deploy/overlays/prod', 'deploy/overlays/staging', 'charts/web:values-prod.yaml'];
    const before = (await p.posted()).length;
    await p.page.evaluate((m) => window.postMessage(m, '*'), { type: 'graph', graph: examplesGraph(), activeIds: [], variants, variant: 'deploy/overlays/prod' });
    await p.page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.slice(n).some((m) => m.type === 'rendered'), before);
    assert.deepEqual(await picker(p.page), { hidden: false, value: 'deploy/overlays/prod', options: ['Plain view', ...variants] });
    if (process.env.KT_UPDATE_SCREENSHOTS === '1') await p.page.screenshot({ path: screenshotPath('topology-variants.png'), clip: { x: 0, y: 0, width: 1400, height: 420 } });
    await p.page.selectOption('select.variant-select', 'deploy/overlays/staging');
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'variant'));
    assert.deepEqual(ofType(await p.posted(), 'variant'), [{ type: 'variant', variant: 'deploy/overlays/staging' }]);
    await p.page.selectOption('select.variant-select', '');
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'variant').length === 2);
    assert.deepEqual(ofType(await p.posted(), 'variant').at(-1), { type: 'variant', variant: null }, 'the plain view');
    assert.deepEqual(await p.violations(), []);
  } finally {
    await p.close();
  }
});
