/**
 * The editor commands' requests (TraceRequest, CanReachRequest, TrafficTargetsRequest)
 * on the repository's examples/ workspace, through a real server process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serverPerFile } from '../helpers/lsp';
import { uriOf } from './lspTestUtils';
import { CanReachRequest, TraceRequest, TrafficTargetsRequest } from '../../server/src/protocol/messages';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const s = serverPerFile(EXAMPLES);

const trace = (url: string, extra: Record<string, unknown> = {}) => s.connection.sendRequest(TraceRequest.type, { url, ...extra });

test('trace through the Gateway: reached, both weighted branches, the text names files by path (clickable) and line', async () => {
  const r = await trace('https://beta.shop.example.com/api/catalog/items');
  assert.equal(r.type, 'result');
  if (r.type !== 'result') return;
  assert.equal(r.result.outcome, 'reached');
  assert.ok(r.result.nodeIds.includes('Deployment/shop/catalog') && r.result.nodeIds.includes('Deployment/shop/catalog-canary'));
  assert.ok(new RegExp(`${path.join(EXAMPLES, 'platform/gateway.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`).test(r.text), r.text);
  assert.match(r.text, /\[90%\][\s\S]*\[10%\]/);
});

test('trace follows unsaved editor text: fixing the cart selector in the editor makes the request reach the pods', async () => {
  const stopped = await trace('https://shop.example.com/api/cart/items');
  assert.ok(stopped.type === 'result' && stopped.result.outcome === 'stopped' && stopped.result.stop?.reason === 'service-selects-nothing');
  const cart = uriOf(EXAMPLES, 'shop/cart.yaml');
  const text = fs.readFileSync(path.join(EXAMPLES, 'shop/cart.yaml'), 'utf8');
  s.open(cart, text.replace('app: cart-servce', 'app: cart-service'), 1);
  const deadline = Date.now() + 5000;
  let r = await trace('https://shop.example.com/api/cart/items');
  while (!(r.type === 'result' && r.result.outcome === 'reached') && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 50));
    r = await trace('https://shop.example.com/api/cart/items');
  }
  assert.ok(r.type === 'result' && r.result.outcome === 'reached', JSON.stringify(r).slice(0, 300));
  s.change(cart, text, 2); // back to the planted mistake
  const back = await trace('https://shop.example.com/api/cart/items');
  assert.ok(back.type === 'result' && back.result.outcome === 'stopped');
});

test('trace with a bad URL or header: an error answer with a message, not a failed request', async () => {
  const bad = await trace('http://exa mple.com/');
  assert.equal(bad.type, 'error');
  const badHeader = await trace('https://shop.example.com/', { headers: ['no colon here'] });
  assert.equal(badHeader.type, 'error');
  assert.match(badHeader.type === 'error' ? badHeader.message : '', /not a header/);
});

test('can-reach: allowed and denied by the policies of examples/policies; unknown names get suggestions', async () => {
  const ok = await s.connection.sendRequest(CanReachRequest.type, { from: 'Deployment/store/frontend', to: 'Service/store/cart', port: '80' });
  assert.ok(ok.type === 'result' && ok.result.verdict === 'allowed', JSON.stringify(ok).slice(0, 300));
  assert.match(ok.type === 'result' ? ok.text : '', /allowed by NetworkPolicy store\/cart-from-frontend/);
  const denied = await s.connection.sendRequest(CanReachRequest.type, { from: 'CronJob/store/report', to: 'Service/store/admin' });
  assert.ok(denied.type === 'result' && denied.result.verdict === 'denied');
  const miss = await s.connection.sendRequest(CanReachRequest.type, { from: 'Deployment/store/frontend', to: 'Service/store/carts' });
  assert.ok(miss.type === 'error' && miss.suggestions.includes('Service/store/cart'), JSON.stringify(miss));
});

test('targets: the workloads and Services of the workspace, and example URLs for its Ingress paths and routes', async () => {
  const t = await s.connection.sendRequest(TrafficTargetsRequest.type, {});
  assert.ok(t.workloads.some((w) => w.id === 'Deployment/store/frontend' && w.file === 'policies/store.yaml'), JSON.stringify(t.workloads.slice(0, 3)));
  assert.ok(t.services.some((x) => x.id === 'Service/shop/cart'));
  assert.ok(t.urls.includes('https://shop.example.com/api/cart'), JSON.stringify(t.urls));
  assert.ok(t.urls.some((u) => u.startsWith('https://beta.shop.example.com/')), JSON.stringify(t.urls));
  // Every example URL really reaches something or at least enters the cluster: trace each.
  for (const url of t.urls) {
    const r = await trace(url);
    assert.equal(r.type, 'result', url);
    if (r.type === 'result') assert.ok(r.result.entries.length > 0, `${url} enters nowhere`);
  }
});
