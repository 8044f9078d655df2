/**
 * The language server on a workspace of variants (test/fixtures/variants: Kustomize overlays, a
 * Helm chart rendered by the real helm, a plain Gateway): diagnostics on the lines people wrote
 * naming the variants, hover per variant, the topology's variant picker, the rendered manifest,
 * edits to a patch re-rendering its root, and no helm in an untrusted workspace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Hover } from 'vscode-languageserver-protocol';
import { startServer, type LspSession, FileChangeType, waitDiag, waitReady, watched } from '../helpers/lsp';
import { removeDir, tempDir } from '../helpers/disk';
import { oracleBinaries } from '../helpers/oracle';
import { GraphRequest, RenderedRequest } from '../../server/src/protocol/messages';
import { lineOf, read, uriOf } from './lspTestUtils';

const FIXTURE = path.resolve(__dirname, '../fixtures/variants');
let dir: string;
let s: LspSession;

function copy(): string {
  const d = tempDir('lsp-variants');
  fs.cpSync(FIXTURE, d, { recursive: true });
  return d;
}

before(async () => {
  dir = copy();
  s = await startServer(dir, { kubeTraffic: { helm: { path: oracleBinaries().helm } }, files: {} });
  await waitReady(s);
});
after(async () => {
  await s?.stop();
  removeDir(dir);
});

test('a finding of one overlay is on the base line, its message names the overlay; the chart\'s on the template line', async () => {
  const svc = await waitDiag(s, uriOf(dir, 'shop/base/service.yaml'), (d) => d.some((x) => x.code === 'target-port-unresolved'));
  const f = svc.find((x) => x.code === 'target-port-unresolved')!;
  assert.equal(f.range.start.line, lineOf(read(dir, 'shop/base/service.yaml'), 'targetPort'));
  assert.equal(typeof f.message, 'string');
  assert.match(String(f.message), /\(in shop\/overlays\/prod\)$/);
  // The chart renders in the background with the real helm.
  const tpl = await waitDiag(s, uriOf(dir, 'charts/web/templates/service.yaml'), (d) => d.some((x) => x.code === 'target-port-unresolved'), 30_000);
  const t = tpl.find((x) => x.code === 'target-port-unresolved')!;
  assert.equal(t.range.start.line, lineOf(read(dir, 'charts/web/templates/service.yaml'), 'targetPort'));
  assert.match(String(t.message), /\(in charts\/web:values-prod\.yaml\)$/);
  assert.ok(t.relatedInformation?.some((r) => r.location.uri === uriOf(dir, 'charts/web/values-prod.yaml')), JSON.stringify(t.relatedInformation));
  assert.ok(!tpl.some((x) => x.code === 'template-skipped'), 'a rendered template is not skipped');
});

test('hover on the base Service tells what it is in each overlay', async () => {
  const text = read(dir, 'shop/base/service.yaml');
  const h = await s.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(dir, 'shop/base/service.yaml') }, position: { line: lineOf(text, 'name: cart'), character: 9 } }) as Hover;
  const md = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(md, /In `shop\/overlays\/prod`[\s\S]*Service `shop-prod\/prod-cart`/);
  assert.match(md, /In `shop\/overlays\/staging`[\s\S]*Service `shop-staging\/cart`/);
});

test('the graph request draws a variant and lists them all; the rendered manifest of a Helm variant', async () => {
  const g = await s.connection.sendRequest(GraphRequest.type, { variant: 'shop/overlays/staging' });
  assert.equal(g.variant, 'shop/overlays/staging');
  assert.deepEqual(g.variants, ['charts/web', 'charts/web:values-prod.yaml', 'shop/overlays/prod', 'shop/overlays/staging']);
  const cart = g.nodes.find((n) => n.id === 'Service/shop-staging/cart')!;
  assert.equal(cart.file, uriOf(dir, 'shop/base/service.yaml'), 'a node opens its source file, never rendered text');
  const plain = await s.connection.sendRequest(GraphRequest.type, {});
  assert.equal(plain.variant, undefined);
  assert.deepEqual(plain.nodes.map((n) => n.id).filter((id) => !id.startsWith('Entry/')), ['Gateway/infra/shared']);
  const r = await s.connection.sendRequest(RenderedRequest.type, { variant: 'charts/web:values-prod.yaml' });
  assert.ok(r.type === 'rendered' && /replicas: 3/.test(r.text) && /targetPort: https/.test(r.text), JSON.stringify(r).slice(0, 400));
});

test('editing the overlay\'s patch in the editor re-renders the root: the finding on the base line goes and comes back', async () => {
  const uri = uriOf(dir, 'shop/overlays/prod/port.yaml');
  const text = read(dir, 'shop/overlays/prod/port.yaml');
  const base = uriOf(dir, 'shop/base/service.yaml');
  s.open(uri, text.replace('name: web', 'name: http'), 1);
  await waitDiag(s, base, (d) => !d.some((x) => x.code === 'target-port-unresolved'));
  s.change(uri, text, 2);
  await waitDiag(s, base, (d) => d.some((x) => x.code === 'target-port-unresolved'));
});

test('an untrusted workspace: helm never runs, the templates say how to enable rendering; Kustomize is still analysed', async () => {
  const d = copy();
  const u = await startServer(d, { kubeTraffic: { helm: { path: oracleBinaries().helm } }, files: {} }, { initializationOptions: { trusted: false } });
  try {
    await waitReady(u);
    const tpl = await waitDiag(u, uriOf(d, 'charts/web/templates/service.yaml'), (x) => x.some((f) => f.code === 'template-skipped' && /Restricted Mode/.test(String(f.message))));
    assert.match(String(tpl.find((f) => f.code === 'template-skipped')!.message), /Trust the workspace/);
    await waitDiag(u, uriOf(d, 'shop/base/service.yaml'), (x) => x.some((f) => f.code === 'target-port-unresolved'));
    const g = await u.connection.sendRequest(GraphRequest.type, {});
    assert.deepEqual(g.variants, ['shop/overlays/prod', 'shop/overlays/staging']);
  } finally {
    await u.stop();
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('a folder copied into the workspace arrives as one Created event for the folder: its manifests and overlays are analysed', async () => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-lsp-folder-')));
  fs.writeFileSync(path.join(d, 'plain.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  const u = await startServer(d);
  try {
    await waitReady(u);
    fs.cpSync(FIXTURE, path.join(d, 'copied'), { recursive: true });
    watched(u, [{ uri: uriOf(d, 'copied'), type: FileChangeType.Created }]);
    const f = await waitDiag(u, uriOf(d, 'copied/shop/base/service.yaml'), (x) => x.some((g) => g.code === 'target-port-unresolved'), 15_000);
    assert.match(String(f.find((g) => g.code === 'target-port-unresolved')!.message), /\(in copied\/shop\/overlays\/prod\)$/);
  } finally {
    await u.stop();
    fs.rmSync(d, { recursive: true, force: true });
  }
});
