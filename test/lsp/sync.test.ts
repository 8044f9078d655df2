/**
 * Keeping the index current: edits in open documents, open editors winning over disk, watched-file
 * events for created/changed/deleted files, and cross-file diagnostics updates (latency, debounce).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import {
  startServer, FileChangeType, close, codes, has, lastReady, msg, recordPublishes, sleep, statuses, until, waitDiag, waitReady, watched,
} from '../helpers/lsp';
import { fixture, posOf, read, tempCopy, uriOf } from './lspTestUtils';
import { removeDir } from '../helpers/disk';

const TRAFFIC = fixture('traffic');

/** The frontend Deployment with its pod label (and matching selector) set to `app: <value>`. */
function relabel(text: string, value: string): string {
  return text.replace(/app: frontend\n/g, `app: ${value}\n`);
}

function hoverText(h: unknown): string {
  return ((h as { contents: { value: string } } | null)?.contents.value) ?? '';
}

test('cross-file: renaming a pod label warns on the Service of another, never opened, file within 1 s; reverting clears it', async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    const dep = uriOf(TRAFFIC, 'frontend/deployment.yaml');
    const svc = uriOf(TRAFFIC, 'frontend/service.yaml');
    const original = read(TRAFFIC, 'frontend/deployment.yaml');
    assert.deepEqual(s.diagnostics.get(svc) ?? [], []);
    s.open(dep, original, 1);
    await sleep(150); // let the open settle so the measurement covers only the change

    const t0 = performance.now();
    s.change(dep, relabel(original, 'frontend-v2'), 2);
    const warned = await waitDiag(s, svc, has('service-selects-nothing'), 5000);
    const ms = performance.now() - t0;
    console.log(`cross-file diagnostics latency (change → publish of service.yaml): ${ms.toFixed(0)} ms`);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    const d = warned.find((x) => x.code === 'service-selects-nothing')!;
    assert.match(msg(d), /selects app=frontend/);
    assert.match(msg(d), /Nearest: Deployment `web\/frontend` in deployment\.yaml has app=frontend-v2/);
    assert.equal(d.range.start.line, lineOfSelector(read(TRAFFIC, 'frontend/service.yaml')));
    assert.equal(d.relatedInformation?.[0]?.location.uri, dep);

    const t1 = performance.now();
    s.change(dep, original, 3);
    await waitDiag(s, svc, (x) => x.length === 0, 5000);
    console.log(`cross-file diagnostics latency (revert → cleared): ${(performance.now() - t1).toFixed(0)} ms`);
    assert.ok(performance.now() - t1 < 1000);
  } finally {
    await s.stop();
  }
});

function lineOfSelector(text: string): number {
  return text.split('\n').findIndex((l) => l.trim() === 'selector:');
}

test('an edit updates every file it affects: two Services and an Ingress in other files', async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    const orders = uriOf(TRAFFIC, 'backend/orders.yaml');
    const ordersText = read(TRAFFIC, 'backend/orders.yaml');
    s.open(orders, ordersText, 1);
    s.change(orders, ordersText.replace(/app: orders\n/g, 'app: order\n'), 2);
    await Promise.all([
      waitDiag(s, uriOf(TRAFFIC, 'backend/orders-service.yaml'), has('service-selects-nothing')),
      waitDiag(s, uriOf(TRAFFIC, 'backend/payments-service.yaml'), has('service-selects-nothing')),
    ]);
    // A Service renamed in its (open) file: the Ingress that names it, in another file, warns.
    const svc = uriOf(TRAFFIC, 'frontend/service.yaml');
    const svcText = read(TRAFFIC, 'frontend/service.yaml');
    s.open(svc, svcText, 1);
    s.change(svc, svcText.replace('name: frontend', 'name: frontend-svc'), 2);
    const ing = await waitDiag(s, uriOf(TRAFFIC, 'frontend/ingress.yaml'), has('ingress-service-missing'));
    assert.match(msg(ing[0]), /Service `frontend`/);
    // Both reverted: everything clears.
    s.change(orders, ordersText, 3);
    s.change(svc, svcText, 3);
    await Promise.all([
      waitDiag(s, uriOf(TRAFFIC, 'backend/orders-service.yaml'), (d) => d.length === 0),
      waitDiag(s, uriOf(TRAFFIC, 'backend/payments-service.yaml'), (d) => d.length === 0),
      waitDiag(s, uriOf(TRAFFIC, 'frontend/ingress.yaml'), (d) => d.length === 0),
    ]);
  } finally {
    await s.stop();
  }
});

test('diagnostics are debounced: a burst of edits gives one publish for the affected file, for the last version', async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    const dep = uriOf(TRAFFIC, 'frontend/deployment.yaml');
    const svc = uriOf(TRAFFIC, 'frontend/service.yaml');
    const original = read(TRAFFIC, 'frontend/deployment.yaml');
    s.open(dep, original, 1);
    await sleep(200);
    const pubs = recordPublishes(s, svc, 3000);
    // 10 edits 10 ms apart, alternating a broken and the right label, ending broken.
    const gaps: number[] = [];
    let last = performance.now();
    for (let v = 2; v <= 11; v++) {
      s.change(dep, v % 2 === 1 ? relabel(original, `frontend-${v}`) : original, v);
      await sleep(10);
      gaps.push(performance.now() - last);
      last = performance.now();
    }
    await waitDiag(s, svc, has('service-selects-nothing'), 3000);
    await sleep(400);
    // One pass for the burst; a gap as long as the debounce (60 ms, only on a very loaded machine) may let one more through.
    const allowed = 1 + gaps.filter((g) => g >= 55).length;
    assert.ok(pubs.length >= 1 && pubs.length <= allowed, `publishes of service.yaml: ${JSON.stringify(pubs.map((p) => codes(p.diagnostics)))}, gaps ${gaps.map((g) => g.toFixed(0)).join(',')}`);
    assert.match(msg(pubs.at(-1)!.diagnostics[0]), /app=frontend-11\b/);
  } finally {
    await s.stop();
  }
});

test('an open editor wins over disk: a watched-file change of an open file is ignored; closing reverts to disk', async () => {
  const dir = tempCopy('traffic');
  const s = await startServer(dir);
  try {
    await waitReady(s);
    const dep = uriOf(dir, 'frontend/deployment.yaml');
    const svc = uriOf(dir, 'frontend/service.yaml');
    const original = read(dir, 'frontend/deployment.yaml');
    const svcText = read(dir, 'frontend/service.yaml');
    const selectorPos = posOf(svcText, 'app: frontend', 0, 6);

    // The editor holds content that differs from disk: it governs at once.
    s.open(dep, relabel(original, 'frontend-editor'), 1);
    await waitDiag(s, svc, (d) => d.some((x) => /app=frontend-editor/.test(msg(x))));

    // Disk changes too, and the watcher reports it: the editor still governs.
    fs.writeFileSync(path.join(dir, 'frontend/deployment.yaml'), relabel(original, 'frontend-disk'));
    watched(s, [{ uri: dep, type: FileChangeType.Changed }]);
    await sleep(500);
    assert.match(msg(s.diagnostics.get(svc)![0]), /app=frontend-editor/);
    const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: svc }, position: selectorPos });
    assert.match(hoverText(h), /has `app=frontend-editor`/);

    // Closing the editor: the disk content governs again.
    close(s, dep);
    const d = await waitDiag(s, svc, (x) => x.some((y) => /app=frontend-disk/.test(msg(y))));
    assert.deepEqual(codes(d), ['service-selects-nothing']);
    const h2 = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: svc }, position: selectorPos });
    assert.match(hoverText(h2), /has `app=frontend-disk`/);
  } finally {
    await s.stop();
    removeDir(dir);
  }
});

test('closing an edited document whose disk content is fine clears the problems the edit caused', async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    const dep = uriOf(TRAFFIC, 'frontend/deployment.yaml');
    const svc = uriOf(TRAFFIC, 'frontend/service.yaml');
    s.open(dep, relabel(read(TRAFFIC, 'frontend/deployment.yaml'), 'unsaved'), 1);
    await waitDiag(s, svc, has('service-selects-nothing'));
    close(s, dep);
    await waitDiag(s, svc, (d) => d.length === 0);
  } finally {
    await s.stop();
  }
});

test('files created and deleted on disk (didChangeWatchedFiles) update the diagnostics of their dependents', async () => {
  const dir = tempCopy('traffic');
  const s = await startServer(dir);
  try {
    await waitReady(s);
    const invSvc = uriOf(dir, 'backend/inventory-service.yaml');
    assert.deepEqual(codes(s.diagnostics.get(invSvc)), ['service-selects-nothing']);

    // Created: the Deployment the inventory Service was waiting for.
    const invDep = uriOf(dir, 'backend/inventory.yaml');
    fs.writeFileSync(path.join(dir, 'backend/inventory.yaml'), read(dir, 'backend/orders.yaml').replace(/orders/g, 'inventory').replace(/grpc/g, 'http').replace('50051', '8080'));
    watched(s, [{ uri: invDep, type: FileChangeType.Created }]);
    await waitDiag(s, invSvc, (d) => d.length === 0);
    await waitDiag(s, invDep, (d) => d.length === 0); // the new file is published too

    // Deleted: the frontend Deployment goes; its Service now selects nothing; its own diagnostics are cleared.
    const dep = uriOf(dir, 'frontend/deployment.yaml');
    fs.rmSync(path.join(dir, 'frontend/deployment.yaml'));
    watched(s, [{ uri: dep, type: FileChangeType.Deleted }]);
    const d = await waitDiag(s, uriOf(dir, 'frontend/service.yaml'), has('service-selects-nothing'));
    assert.match(msg(d[0]), /no pod template in scope/);

    // Changed on disk (not open): the orders Deployment's label changes; both Services selecting it warn.
    fs.writeFileSync(path.join(dir, 'backend/orders.yaml'), read(dir, 'backend/orders.yaml').replace(/app: orders\n/g, 'app: orders-v2\n'));
    watched(s, [{ uri: uriOf(dir, 'backend/orders.yaml'), type: FileChangeType.Changed }]);
    await waitDiag(s, uriOf(dir, 'backend/orders-service.yaml'), has('service-selects-nothing'));
    await waitDiag(s, uriOf(dir, 'backend/payments-service.yaml'), has('service-selects-nothing'));
  } finally {
    await s.stop();
    removeDir(dir);
  }
});

test('a deleted folder (one watched-file event) removes all its files: dependents are updated, the files leave the index', async () => {
  const dir = tempCopy('traffic');
  const s = await startServer(dir);
  try {
    await waitReady(s);
    const invSvc = uriOf(dir, 'backend/inventory-service.yaml');
    assert.deepEqual(codes(s.diagnostics.get(invSvc)), ['service-selects-nothing']);
    // A new folder with the inventory Deployment (and a ConfigMap) appears.
    fs.mkdirSync(path.join(dir, 'backend/inventory'));
    fs.writeFileSync(path.join(dir, 'backend/inventory/deployment.yaml'), read(dir, 'backend/orders.yaml').replace(/orders/g, 'inventory').replace(/grpc/g, 'http').replace('50051', '8080'));
    fs.writeFileSync(path.join(dir, 'backend/inventory/config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inventory\n  namespace: backend\ndata:\n  LOG_LEVEL: info\n');
    watched(s, [
      { uri: uriOf(dir, 'backend/inventory/deployment.yaml'), type: FileChangeType.Created },
      { uri: uriOf(dir, 'backend/inventory/config.yaml'), type: FileChangeType.Created },
    ]);
    await waitDiag(s, invSvc, (d) => d.length === 0);
    await until('ready with 9 files', () => statuses(s).find((x) => x.type === 'ready' && x.files === 9));
    // The folder is deleted; the watcher sends one event for the folder.
    fs.rmSync(path.join(dir, 'backend/inventory'), { recursive: true });
    watched(s, [{ uri: uriOf(dir, 'backend/inventory'), type: FileChangeType.Deleted }]);
    await waitDiag(s, invSvc, has('service-selects-nothing'));
    await until('ready with 7 files', () => lastReady(s)?.files === 7);
    const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(dir, 'backend/inventory/deployment.yaml') }, position: { line: 3, character: 9 } });
    assert.equal(h, null);
  } finally {
    await s.stop();
    removeDir(dir);
  }
});
